"""A content file as data: `---` front matter split from its Markdown body (or a `.yaml`
file's fields, prose in `body:`), read into a `Document` that knows each value's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine.characters import NOT_IN_TEXT
from ..engine.errors import ContentError, Problem
from .text import escaped_character_message
from .yaml_load import KeyPath, load_yaml


@dataclass(frozen=True)
class Document:
    """A content file: its YAML data, where each value sits, and its Markdown body."""

    path: str
    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(repr=False)
    body: str = ""
    body_line: int = 1

    def line(self, key_path: KeyPath) -> int:
        """The file line of `key_path`, or of its nearest ancestor that has one."""
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            key_path = key_path[:-1]
        return self.lines.get((), 1)


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """Return (yaml text, body, line the body starts on) of a `---` delimited file."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ContentError(
            [
                Problem(
                    path,
                    1,
                    "the file must start with a line '---', then its fields "
                    "(title: …), then another line '---', then the text",
                )
            ]
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index]) + "\n"
            body = "\n".join(lines[index + 1 :])
            return yaml_text, body, index + 2
    raise ContentError(
        [
            Problem(
                path, 1, "the front matter is never closed; add a line '---' after the last field"
            )
        ]
    )


def parse_markdown_file(text: str, path: str) -> Document:
    """A `.md` content file: front matter (a mapping) plus a Markdown body."""
    yaml_text, body, body_line = split_front_matter(text, path)
    data, lines = load_yaml(yaml_text, path, first_line=2)
    _require_mapping(data, path, 2)
    return Document(path, data, lines, body, body_line)


def parse_yaml_file(text: str, path: str) -> Document:
    """A `.yaml` content file: every field at the top level, prose in `body:`."""
    data, lines = load_yaml(text.lstrip("\ufeff"), path)
    _require_mapping(data, path, 1)
    body = data.pop("body", "") or ""
    if not isinstance(body, str):
        raise ContentError(
            [
                Problem(
                    path,
                    lines.get(("body",), 1),
                    "'body' must be text; use 'body: |' and indent the prose",
                )
            ]
        )
    # `decode` refused such characters in the file; only an escape can have written one
    found = NOT_IN_TEXT.search(body) if "\\" in text else None
    if found:
        raise ContentError(
            [
                Problem(
                    path,
                    lines.get(("body",), 1),
                    escaped_character_message("'body'", found.group()),
                )
            ]
        )
    return Document(path, data, lines, body, lines.get(("body",), 1) + 1)


def parse_content(text: str, path: str) -> Document:
    """Parse a content file by its extension (`.md` or `.yaml`/`.yml`)."""
    if path.endswith((".yaml", ".yml")):
        return parse_yaml_file(text, path)
    return parse_markdown_file(text, path)


def _require_mapping(data: Any, path: str, line: int) -> None:
    if not isinstance(data, dict):
        raise ContentError(
            [
                Problem(
                    path,
                    line,
                    "the fields must be 'key: value' lines, not a list or a single value",
                )
            ]
        )
