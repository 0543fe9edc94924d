"""Load YAML safely, keeping the file line of every value.

Every value's line in the *file* is recorded so that validation can say `path:line:`;
dates stay strings here (the models parse them, so a bad date is a clear message and not
a constructor crash), duplicate keys are reported, and keys are text as written (`1:` is
the field '1', `null:` the field 'null'). No file can make loading cost more than its size
(which `text.decode` bounds):

- YAML nests at most `MAX_DEPTH` levels (a plan needs four). That is checked before any
  code that recurses per level sees the values — PyYAML's constructor, the models, the
  diff of past revisions. libyaml itself refuses 1,000 levels before its composer recurses;
  where it sets no such limit, the depth is counted from the parser's events first;
- aliases (`*name`) may expand the values to at most twice the file's size plus
  `ALIAS_ALLOWANCE` characters. Values written out take at least two thirds of a character
  each in the file, so a file without aliases never comes near that: a big file within the
  size limit loads (10,000 goals do), and only aliases are ever blamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import yaml

from ..engine.characters import shown
from ..engine.errors import ContentError, Problem
from .text import character_message

#: libyaml's safe loader (C, several times faster) where PyYAML was built with it.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: A location inside the YAML data: keys and list indexes from the root.
KeyPath = tuple[str | int, ...]

#: How deep YAML may nest (mappings and lists in one another): far above the content model.
MAX_DEPTH = 32
#: How many characters aliases may add beyond twice the file's size.
ALIAS_ALLOWANCE = 100_000
#: The libyaml nesting limit up to which its composer's recursion is safe (its default).
_BOUNDED_NESTING = 1_000

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: Keys YAML would read as another type; a key is always the text it is written as.
_TEXT_KEY_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)
_TOO_DEEP = (
    f"the values here are nested more than {MAX_DEPTH} levels deep, and no field "
    "needs more than a few; look for a '[' or '{' that is never closed, lines "
    "indented further and further, or a '*' alias inside the value it names"
)
_BYTE_ORDER_MARK = (
    "an invisible byte-order mark (U+FEFF) starts this line, perhaps from "
    "joining or pasting files; delete it (retype the start of the line if you "
    "cannot see it)"
)
_ALIASES_NESTED = (
    "the YAML expands to too many values (are '*' aliases nested?); write the values out instead"
)


class _ContentLoader(_BaseLoader):
    """Safe loader that keeps timestamps as text for the models to validate."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """A date stays the text it is written as, for the models to validate."""
    return loader.construct_scalar(cast(yaml.ScalarNode, node))  # only scalars are dates


_ContentLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _number_unless_clock(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """YAML 1.1 reads `10:30` as 630 (base 60); an agenda time must stay '10:30'."""
    if ":" in node.value:
        return loader.construct_scalar(node)
    if node.tag.endswith(":int"):
        return loader.construct_yaml_int(node)
    return loader.construct_yaml_float(node)


_ContentLoader.add_constructor("tag:yaml.org,2002:int", _number_unless_clock)
_ContentLoader.add_constructor("tag:yaml.org,2002:float", _number_unless_clock)


def load_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, dict[KeyPath, int]]:
    """Load one YAML document safely; return its data and the file line of every value.

    `first_line` is the file line on which the YAML text starts (2 for front matter).
    """
    offset = first_line - 1
    loader = _ContentLoader(text)
    try:
        if not _composer_is_bounded():
            deep = _read_events(text, budget=None)
            if deep is not None:
                raise ContentError([Problem(path, offset + deep.line + 1, _TOO_DEEP)])
        node = loader.get_single_node()
        if node is None:
            return {}, {(): first_line}
        budget = 2 * len(text) + ALIAS_ALLOWANCE
        lines, problems, overflow = _record_lines(node, path, offset, budget)
        if overflow is not None:
            problems.append(_alias_problem(text, path, offset, budget, overflow))
        if problems:
            raise ContentError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if (
            error.context
            and ("flow" in error.context or "quoted" in error.context)
            and error.context_mark
        ):
            mark = error.context_mark  # an unclosed [, { or quote: point at where it opened
        line = mark.line if mark else 0
        rows = text.split("\n")
        message = (
            _BYTE_ORDER_MARK
            if line < len(rows) and "\ufeff" in rows[line]
            else _explain_yaml_error(error)
        )
        raise ContentError([Problem(path, offset + line + 1, message)]) from None
    except yaml.reader.ReaderError as error:
        line = first_line + text.count("\n", 0, error.position)
        raise ContentError([Problem(path, line, character_message(chr(error.character)))]) from None
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())  # one line, as every problem is
        raise ContentError([Problem(path, first_line, f"invalid YAML: {message}")]) from None
    finally:
        loader.dispose()
    return data, lines


def _composer_is_bounded() -> bool:
    """Whether libyaml refuses deep nesting before its composer recurses into it, in C,
    one call per level (it does from 1,000 levels unless told otherwise; older versions set
    no limit, and the pure-Python composer recurses in Python)."""
    nest_limit = getattr(getattr(yaml, "_yaml", None), "_get_max_nest_level", None)
    return nest_limit is not None and nest_limit() <= _BOUNDED_NESTING


def _record_lines(
    root: yaml.Node, path: str, offset: int, budget: int
) -> tuple[dict[KeyPath, int], list[Problem], int | None]:
    """Walk the node tree, aliases expanded, with a stack (so no depth can recurse): note
    each value's file line, report duplicate keys and keys that are not text, and stop at
    nesting deeper than `MAX_DEPTH` or at values expanding past `budget` characters (that
    file line is returned, for the caller to find the alias to blame).

    Merged keys (`<<: *defaults`) get the line they are written on in the merged mapping,
    unless the mapping they are merged into writes them itself.
    """
    lines: dict[KeyPath, int] = {}
    problems: list[Problem] = []
    size = 0
    stack: list[tuple[yaml.Node, KeyPath, int]] = [(root, (), 1)]
    while stack:
        node, key_path, depth = stack.pop()
        line = offset + node.start_mark.line + 1
        lines.setdefault(key_path, line)
        if isinstance(node, yaml.ScalarNode):
            size += 1 + len(node.value)
        elif depth > MAX_DEPTH:
            problems.append(Problem(path, line, _TOO_DEEP))
            return lines, problems, None
        elif isinstance(node, yaml.SequenceNode):
            size += 1
            stack.extend(
                (node.value[index], (*key_path, index), depth + 1)
                for index in range(len(node.value) - 1, -1, -1)
            )
        else:
            size += 1
            children: list[tuple[yaml.Node, KeyPath, int]] = []
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key_line = offset + key_node.start_mark.line + 1
                if key_node.tag == _MERGE_TAG:  # its mappings' keys join this one's
                    size += 3
                    if isinstance(value_node, yaml.SequenceNode):
                        size += 1
                        children += [(merged, key_path, depth + 2) for merged in value_node.value]
                    else:
                        children.append((value_node, key_path, depth + 1))
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(
                        Problem(
                            path,
                            key_line,
                            "a field name must be a word, not a "
                            "list or a group of fields; write each field as "
                            "'name: value'",
                        )
                    )
                    continue
                if key_node.tag in _TEXT_KEY_TAGS:
                    key_node.tag = _STR_TAG
                key = key_node.value
                size += 1 + len(key)
                if key in seen:
                    where = (
                        "on this line" if seen[key] == key_line else f"(also on line {seen[key]})"
                    )
                    problems.append(
                        Problem(path, key_line, f"'{shown(key)}' is given twice {where}; keep one")
                    )
                    continue
                seen[key] = key_line
                lines.setdefault((*key_path, key), key_line)
                children.append((value_node, (*key_path, key), depth + 1))
            stack += reversed(children)
        if size > budget:
            return lines, problems, line
    return lines, problems, None


@dataclass(frozen=True)
class _Passed:
    """Where the YAML's events pass a limit (lines from 0): nesting too deep, or the alias
    at which the values expand past the budget, with the line of the value it repeats and,
    when that value repeats aliases in turn, the line of the value repeated innermost."""

    line: int
    anchor: str = ""
    anchor_line: int = 0
    innermost_line: int | None = None


def _read_events(text: str, budget: int | None) -> _Passed | None:
    """Read the parser's events, which keep what composed nodes lose (where each alias is
    written) and can be counted without recursion: the first place where the text nests
    deeper than `MAX_DEPTH` or, given a `budget`, where aliases expand the values past it
    (counted as `_record_lines` counts them)."""
    depth = size = 0
    anchors: dict[str, tuple[int, int, int | None]] = {}  # size, line, innermost line
    reading: list[list[Any]] = []  # open collections: anchor, size before, line, innermost
    alias: _Passed | None = None  # the last alias read
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.ScalarEvent):
            size += 1 + len(event.value)
            if event.anchor:
                anchors[event.anchor] = (1 + len(event.value), _line(event), None)
        elif isinstance(event, yaml.AliasEvent):
            # (an alias inside the value it names is not yet known here: the walk has
            # already refused it as nested too deep)
            repeated, line, innermost = anchors.get(event.anchor or "", (0, 0, None))
            size += repeated
            alias = _Passed(_line(event), event.anchor or "", line, innermost)
            if reading and reading[-1][3] is None:
                reading[-1][3] = line if innermost is None else innermost
        elif isinstance(event, yaml.CollectionStartEvent):
            depth, size = depth + 1, size + 1
            if depth > MAX_DEPTH:
                return _Passed(_line(event))
            reading.append([event.anchor, size - 1, _line(event), None])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, before, line, innermost = reading.pop()
            if reading and reading[-1][3] is None:
                reading[-1][3] = innermost
            if anchor:
                anchors[anchor] = (size - before, line, innermost)
        if budget is not None and size > budget and alias is not None:
            return alias
    return None


def _line(event: yaml.Event) -> int:
    """The line an event starts on (from 0); the parser always marks it."""
    return event.start_mark.line if event.start_mark is not None else 0


def _alias_problem(text: str, path: str, offset: int, budget: int, walked_to: int) -> Problem:
    """Values expanding past `budget`: blamed on the alias that repeats one value too
    often, or, when aliases repeat aliases, on the value repeated innermost (`walked_to`,
    the line the walk had reached, should the events tell nothing)."""
    passed = _read_events(text, budget)
    if passed is None:
        return Problem(path, walked_to, _ALIASES_NESTED)
    if passed.innermost_line is not None:
        return Problem(path, offset + passed.innermost_line + 1, _ALIASES_NESTED)
    return Problem(
        path,
        offset + passed.line + 1,
        f"the '*{shown(passed.anchor)}' aliases repeat the value anchored on line "
        f"{offset + passed.anchor_line + 1} so often that the file would hold more "
        f"than {budget:,} characters; repeat it less often, or shorten it",
    )


def _explain_yaml_error(error: yaml.MarkedYAMLError) -> str:
    """Turn PyYAML's wording into a sentence with a likely fix."""
    problem = (error.problem or str(error)).strip()
    if "maximum nesting depth" in problem:  # libyaml's own limit, far beyond ours
        return _TOO_DEEP
    if "could not determine a constructor" in problem or "python/" in problem:
        return (
            f"invalid YAML: {problem}; tags such as '!!python/…' are not allowed — "
            "remove the '!!' tag"
        )
    context = error.context or ""
    if context.startswith("while parsing a flow"):
        pair = "[ ]" if "sequence" in context else "{ }"
        return (
            f"invalid YAML: {problem}; the {pair} that opens on this line is not closed, "
            "or a value in it needs quotes"
        )
    if "quoted" in context and "end of stream" in problem:
        return (
            "invalid YAML: a quote opened on this line is never closed; end the value "
            "with the same quote mark"
        )
    if "unknown escape character" in problem:
        return (
            f"invalid YAML: {problem}; a backslash inside double quotes starts an escape "
            "— use single quotes ('C:\\folder') or write the backslash twice"
        )
    if "mapping values are not allowed" in problem:
        return (
            "invalid YAML: a ':' inside a value; put the value in quotes "
            '(title: "Goal: fewer shootings")'
        )
    if "tab character" in problem or "found character '\\t'" in problem:
        return "invalid YAML: a tab character; indent with spaces"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return f"invalid YAML: {problem}; check the indentation of this line and the one above"
    return f"invalid YAML: {problem}"
