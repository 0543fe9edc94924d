"""What someone with push access could commit into the build cache."""

from __future__ import annotations

import os
from pathlib import Path


class Planted:
    """A pickled object whose loading runs code: it makes the folder `proof`."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.proof),)
