"""Split `---` front matter from Markdown and load YAML safely, keeping real line numbers.

Every value's line in the *file* is recorded so that validation can say `path:line:`;
dates stay strings here (the models parse them, so a bad date is a clear message and not
a constructor crash), duplicate keys are reported, and alias bombs are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import ContentError, Problem

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is missing on this Python
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc]

#: A location inside the YAML data: keys and list indexes from the root.
KeyPath = tuple[str | int, ...]

#: How many nodes a document may expand to; far above any real page, far below a bomb.
MAX_NODES = 50_000
#: Invisible characters no page, feed or calendar may carry (XML forbids them): the C0
#: controls but tab and line ends.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Every byte but those characters: in UTF-8 they are single bytes below 0x20, which no
#: other character's bytes use, so the bytes tell at once whether to search the text.
_NOT_CONTROL = bytes(b for b in range(256) if not CONTROL_CHARACTER.match(chr(b)))


class _ContentLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps timestamps as text for the models to validate."""


_ContentLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def _number_unless_clock(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """YAML 1.1 reads `10:30` as 630 (base 60); an agenda time must stay '10:30'."""
    if ":" in node.value:
        return loader.construct_scalar(node)
    if node.tag.endswith(":int"):
        return loader.construct_yaml_int(node)
    return loader.construct_yaml_float(node)


_ContentLoader.add_constructor("tag:yaml.org,2002:int", _number_unless_clock)
_ContentLoader.add_constructor("tag:yaml.org,2002:float", _number_unless_clock)


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


def decode(raw: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without a byte-order mark), CRLF turned into LF."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            [Problem(path, line, "the file is not UTF-8 text; save it with UTF-8 encoding "
                     "in your editor (\"Save with encoding\" → UTF-8)")]
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = raw.translate(None, _NOT_CONTROL) and CONTROL_CHARACTER.search(text)
    if control:
        raise ContentError([Problem(path, text.count("\n", 0, control.start()) + 1,
                                    _control_message(control.group()))])
    return text


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """Return (yaml text, body, line the body starts on) of a `---` delimited file."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ContentError(
            [Problem(path, 1, "the file must start with a line '---', then its fields "
                     "(title: …), then another line '---', then the text")]
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index]) + "\n"
            body = "\n".join(lines[index + 1 :])
            return yaml_text, body, index + 2
    raise ContentError(
        [Problem(path, 1, "the front matter is never closed; add a line '---' after the "
                 "last field")]
    )


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, dict[KeyPath, int]]:
    """Load one YAML document safely; return its data and the file line of every value.

    `first_line` is the file line on which the YAML text starts (2 for front matter).
    """
    offset = first_line - 1
    loader = _ContentLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {(): first_line}
        lines: dict[KeyPath, int] = {}
        problems: list[Problem] = []
        _record_lines(node, (), lines, problems, path, offset, [0])
        if problems:
            raise ContentError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context and ("flow" in error.context or "quoted" in error.context) \
                and error.context_mark:
            mark = error.context_mark  # an unclosed [, { or quote: point at where it opened
        line = offset + (mark.line + 1 if mark else 1)
        raise ContentError([Problem(path, line, _explain_yaml_error(error))]) from None
    except yaml.reader.ReaderError as error:
        line = first_line + text.count("\n", 0, error.position)
        raise ContentError([Problem(path, line, _control_message(chr(error.character)))]
                           ) from None
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())  # one line, as every problem is
        raise ContentError([Problem(path, first_line, f"invalid YAML: {message}")]) from None
    finally:
        loader.dispose()
    return data, lines


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
        raise ContentError([Problem(path, lines.get(("body",), 1),
                                    "'body' must be text; use 'body: |' and indent the prose")])
    return Document(path, data, lines, body, lines.get(("body",), 1) + 1)


def parse_content(text: str, path: str) -> Document:
    """Parse a content file by its extension (`.md` or `.yaml`/`.yml`)."""
    if path.endswith((".yaml", ".yml")):
        return parse_yaml_file(text, path)
    return parse_markdown_file(text, path)


def _require_mapping(data: Any, path: str, line: int) -> None:
    if not isinstance(data, dict):
        raise ContentError([Problem(path, line, "the fields must be 'key: value' lines, "
                                    "not a list or a single value")])


def _record_lines(
    node: yaml.Node,
    key_path: KeyPath,
    lines: dict[KeyPath, int],
    problems: list[Problem],
    path: str,
    offset: int,
    budget: list[int],
) -> None:
    """Walk the node tree: note each value's line, report duplicate keys, stop bombs."""
    budget[0] += 1
    if budget[0] > MAX_NODES:
        if not problems or not problems[-1].message.startswith("the YAML expands"):
            problems.append(Problem(path, offset + node.start_mark.line + 1,
                                    "the YAML expands to too many values (are '*' aliases "
                                    "nested?); write the values out instead"))
        return
    lines.setdefault(key_path, offset + node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            key_line = offset + key_node.start_mark.line + 1
            if key == "<<":
                continue
            if key in seen:
                where = ("on this line" if seen[key] == key_line
                         else f"(also on line {seen[key]})")
                problems.append(Problem(path, key_line, f"'{key}' is given twice {where}; "
                                        "keep one"))
                continue
            seen[key] = key_line
            lines[(*key_path, key)] = key_line
            _record_lines(value_node, (*key_path, key), lines, problems, path, offset, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*key_path, index), lines, problems, path, offset, budget)


def _explain_yaml_error(error: yaml.MarkedYAMLError) -> str:
    """Turn PyYAML's wording into a sentence with a likely fix."""
    problem = (error.problem or str(error)).strip()
    if "could not determine a constructor" in problem or "python/" in problem:
        return (f"invalid YAML: {problem}; tags such as '!!python/…' are not allowed — "
                "remove the '!!' tag")
    context = error.context or ""
    if context.startswith("while parsing a flow"):
        pair = "[ ]" if "sequence" in context else "{ }"
        return (f"invalid YAML: {problem}; the {pair} that opens on this line is not closed, "
                "or a value in it needs quotes")
    if "quoted" in context and "end of stream" in problem:
        return ("invalid YAML: a quote opened on this line is never closed; end the value "
                "with the same quote mark")
    if "unknown escape character" in problem:
        return (f"invalid YAML: {problem}; a backslash inside double quotes starts an escape "
                "— use single quotes ('C:\\folder') or write the backslash twice")
    if "mapping values are not allowed" in problem:
        return ("invalid YAML: a ':' inside a value; put the value in quotes "
                "(title: \"Goal: fewer shootings\")")
    if "tab character" in problem or "found character '\\t'" in problem:
        return "invalid YAML: a tab character; indent with spaces"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return f"invalid YAML: {problem}; check the indentation of this line and the one above"
    return f"invalid YAML: {problem}"


def _control_message(character: str) -> str:
    return (f"an invisible character (U+{ord(character):04X}) is in this line, perhaps from a "
            "copy and paste; delete it (retype the line if you cannot see it)")
