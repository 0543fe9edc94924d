"""The one way site-builder runs git: in one folder, with the settings that change what git
prints pinned, never sent to another repository by a hook's environment, and counted.

The history reading, `publish` and the preview's "not yet published" banner all run git
through `Git`, so that what one of them reads is what the others would; `parse_objects`
reads what `cat-file --batch` prints, for the history and for publish alike.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

#: Settings that change what git prints, pinned whatever the user's or system's config says.
#: (GIT_CONFIG_NOSYSTEM is not set: containers often need a system `safe.directory`.)
#: Names come from the `.mailmap` at the repository's top alone: a `mailmap.file` or
#: `mailmap.blob` in one machine's config would change the site without a commit, unseen by
#: what is kept between builds (an empty value turns each off).
PINNED = (
    "core.quotepath=off",
    "diff.relative=false",
    "log.follow=false",
    "log.showRoot=true",
    "log.showSignature=false",
    "i18n.logOutputEncoding=UTF-8",
    "mailmap.file=",
    "mailmap.blob=",
)
#: Variables that point git at another repository than the one the folder is in, as git
#: hooks set them.
REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")
#: Messages in English (callers read them), never a prompt for a password, and no lock git
#: could do without (so that `status` never rewrites the index under the user's feet).
_FIXED_ENVIRONMENT = {"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


class Git:
    """Runs git in `folder` and counts the processes it started.

    Both ways of running raise `OSError` when git cannot be started (not installed, the
    folder gone); what git itself says comes back in the result, for the caller to word.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes = 0

    def run(
        self, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """Run git to its end; `env` adds to the environment (a private index, say)."""
        result = subprocess.run(
            self._command(args),
            cwd=self.folder,
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True,
            env=self._environment(env),
            check=False,
        )
        self.processes += 1
        return result

    def start(self, *args: str) -> Running:
        """Run git beside the caller, its output going to files (a pipe nobody reads yet
        would stop it once full)."""
        with contextlib.ExitStack() as files:
            output = files.enter_context(tempfile.TemporaryFile())
            errors = files.enter_context(tempfile.TemporaryFile())
            process = subprocess.Popen(
                self._command(args),
                cwd=self.folder,
                env=self._environment(None),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=errors,
            )
            files.pop_all()  # they belong to the running process now, closed by `result`
        self.processes += 1
        return Running(process, output, errors)

    @staticmethod
    def _command(args: Sequence[str]) -> list[str]:
        return ["git", *(part for setting in PINNED for part in ("-c", setting)), *args]

    @staticmethod
    def _environment(extra: Mapping[str, str] | None) -> dict[str, str]:
        """This process's environment less the variables naming another repository."""
        env = {k: v for k, v in os.environ.items() if k not in REPOSITORY_VARIABLES}
        return env | _FIXED_ENVIRONMENT | dict(extra or {})


@dataclass
class Running:
    """A git process started by `Git.start`."""

    process: subprocess.Popen[bytes]
    output: IO[bytes]
    errors: IO[bytes]

    def result(self) -> subprocess.CompletedProcess[bytes]:
        """Wait for it to end; its output and errors, read from their files."""
        returncode = self.process.wait()
        with self.output, self.errors:
            self.output.seek(0)
            self.errors.seek(0)
            return subprocess.CompletedProcess(
                self.process.args, returncode, self.output.read(), self.errors.read()
            )


def parse_objects(output: bytes) -> list[tuple[str, str, bytes] | None]:
    """What `git cat-file --batch` printed, one entry per name asked for, in order: the
    object's id, type and content, or None when no object has that name."""
    objects: list[tuple[str, str, bytes] | None] = []
    position = 0
    while (end := output.find(b"\n", position)) >= 0:
        header = output[position:end].split(b" ")
        position = end + 1
        if len(header) != 3:  # "<name> missing" (or "ambiguous"), not "<id> <type> <size>"
            objects.append(None)
            continue
        size = int(header[2])
        objects.append((header[0].decode(), header[1].decode(), output[position : position + size]))
        position += size + 1
    return objects
