"""Pagefind's filter indexes put in one order, so that the same pages index to the same bytes.

Pagefind 1.5 writes each filter's values, and the list of filters in its `pf_meta` file,
in the order of a hash table seeded anew on every run; the names of those files are hashes
of their bytes, so they change too, and with them `pagefind-entry.json`. Everything else it
writes is already the same on every run. Here each filter's values and the list of filters
are sorted, the files renamed after a hash of their new bytes, and the entry file pointed at
the new `pf_meta` file: what a search finds is unchanged, only the order is fixed.

The files are gzip-compressed CBOR (RFC 8949) after a 12-byte signature. Pagefind writes
only unsigned integers, text and arrays of definite length, and that is all this reads.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from ..engine.errors import OutputError

#: What every Pagefind index file starts with, inside its gzip compression.
SIGNATURE = b"pagefind_dcd"

_UNSIGNED, _TEXT, _ARRAY = 0, 3, 4


def order_filters(bundle: Path) -> None:
    """Sort the filter indexes of the Pagefind bundle in `bundle` (see above)."""
    entry_file = bundle / "pagefind-entry.json"
    entry_text = entry_file.read_text(encoding="utf-8")
    for language in json.loads(entry_text)["languages"].values():
        meta_name = language["hash"]
        meta_file = bundle / f"pagefind.{meta_name}.pf_meta"
        meta = _read(meta_file)
        filters = _filter_list(meta, meta_file)
        if not filters:
            continue
        meta[3] = sorted(
            [facet, _order_filter(bundle / "filter" / f"{name}.pf_filter")]
            for facet, name in filters
        )
        meta_file.unlink()
        renamed = _write_named(bundle, "pagefind.{}.pf_meta", meta_name, meta)
        entry_text = entry_text.replace(f'"{meta_name}"', f'"{renamed}"')
    entry_file.write_text(_languages_in_order(entry_text), encoding="utf-8")


def _languages_in_order(entry_text: str) -> str:
    """The entry file with its languages in one order: Pagefind lists them in the order
    its threads finished them."""
    entry = json.loads(entry_text)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def _filter_list(meta: Any, path: Path) -> list[list[str]]:
    """The filters a `pf_meta` file names, as [filter, file name] pairs."""
    if not (isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list)):
        raise _unknown(path)
    if not all(isinstance(f, list) and len(f) == 2 for f in meta[3]):
        raise _unknown(path)
    return meta[3]


def _order_filter(path: Path) -> str:
    """Sort one filter file's values; its new name (without the suffix)."""
    index = _read(path)
    if not (isinstance(index, list) and len(index) == 2 and isinstance(index[1], list)):
        raise _unknown(path)
    index[1] = sorted(index[1])
    path.unlink()
    return _write_named(path.parent, "{}.pf_filter", path.stem, index)


def _write_named(folder: Path, pattern: str, old: str, value: Any) -> str:
    """Write `value` as a Pagefind file named after a hash of its bytes, keeping the
    language and the length of the `old` name ('en_4681196'); the new name."""
    data = SIGNATURE + encode(value)
    language, digest = old.rsplit("_", 1)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[: len(digest)]}"
    (folder / pattern.format(name)).write_bytes(gzip.compress(data, mtime=0))
    return name


def _read(path: Path) -> Any:
    """A Pagefind file's value; an `OutputError` if it is not the CBOR this knows."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise _unknown(path)
    try:
        value, end = decode(data, len(SIGNATURE))
    except (IndexError, ValueError, UnicodeDecodeError):
        raise _unknown(path) from None
    if end != len(data) or SIGNATURE + encode(value) != data:
        raise _unknown(path)
    return value


def _unknown(path: Path) -> OutputError:
    return OutputError(
        f"Pagefind wrote {path.name} in a form this version of site-builder does not know; "
        "install the Pagefind it was made for: pip install 'pagefind[bin]==1.5.*'"
    )


def encode(value: Any) -> bytes:
    """`value` (an int of 0 or more, a str, or a list of them) as CBOR, each length and
    number in its shortest form, as Pagefind writes them."""
    if isinstance(value, bool) or not isinstance(value, int | str | list):
        raise ValueError(f"cannot encode {value!r}")
    if isinstance(value, int):
        return _head(_UNSIGNED, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(_TEXT, len(data)) + data
    return _head(_ARRAY, len(value)) + b"".join(encode(item) for item in value)


def _head(major: int, number: int) -> bytes:
    if number < 0:
        raise ValueError("negative numbers are not written by Pagefind")
    if number < 24:
        return bytes([major << 5 | number])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | extra]) + number.to_bytes(size, "big")
    raise ValueError("number too large for CBOR")


def decode(data: bytes, at: int) -> tuple[Any, int]:
    """The value at `at` in `data`, and where the next one starts."""
    major, extra = data[at] >> 5, data[at] & 31
    at += 1
    if extra < 24:
        number = extra
    elif extra <= 27:
        size = 1 << (extra - 24)
        number, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise ValueError("indefinite lengths are not written by Pagefind")
    if major == _UNSIGNED:
        return number, at
    if major == _TEXT:
        return data[at : at + number].decode("utf-8"), at + number
    if major == _ARRAY:
        items = []
        for _ in range(number):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} is not written by Pagefind")
