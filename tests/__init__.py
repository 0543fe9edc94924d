"""The test suite: a folder per layer of site_builder, the browser checks in browser/, the
shared fixtures in conftest.py and the helpers tests call in support/."""

from __future__ import annotations

import pytest

# The helpers in support/ assert too: rewritten as test modules are, a failure shows the
# values it compared.
pytest.register_assert_rewrite("tests.support")
