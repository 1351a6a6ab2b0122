"""Safe YAML loading that keeps where each value was written, refusing documents too deep or too large."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import yaml

from .errors import BuildError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Pickling the parse cache and writing JSON recurse once per level: far below Python's limit.
MAX_DEPTH = 50
# Characters no page or feed may contain: XML 1.0 forbids C0 controls but tab, line feed and
# carriage return, lone surrogates, U+FFFE and U+FFFF; HTML forbids also DEL, the C1 controls
# and every noncharacter. One of them in a title makes the whole Atom feed unreadable.
_ASCII_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_BMP_FORBIDDEN = _ASCII_FORBIDDEN + "\x80-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
FORBIDDEN = re.compile(f"[{_BMP_FORBIDDEN}"
                       + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17)) + "]")
_FASTER = (re.compile(f"[{_ASCII_FORBIDDEN}]"), re.compile(f"[{_BMP_FORBIDDEN}]"))
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # the line breaks libyaml's marks count
_ESCAPE = re.compile(r'\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))|"', re.DOTALL)
_SHORT_ESCAPES = {"0": 0, "a": 7, "b": 8, "v": 11, "f": 12, "e": 27, "N": 0x85}


class Loader(_Base):  # type: ignore[misc, valid-type]
    """libyaml's safe loader, leaving dates as text so we can check them."""

    # Timestamps are parsed by `content` instead: PyYAML would raise a bare
    # ValueError for 2025-02-30 and silently pick a timezone for date-times.
    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


def _timestamp(loader: Loader, node) -> object:
    # PyYAML's own constructor fails with an AttributeError on `!!timestamp 2025`.
    if isinstance(node, yaml.ScalarNode) and not loader.timestamp_regexp.match(node.value):
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a date or date-time, as the tag !!timestamp needs", node.start_mark)
    return loader.construct_yaml_timestamp(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


Path = tuple  # a key path into the document: ("sources", 0, "url")


@dataclass(frozen=True)
class Document:
    """A loaded YAML document and the (line, column) of each value, 1-based."""

    data: object
    positions: dict

    def where(self, path: Path) -> tuple[int, int]:
        """Position of the value at `path`, else of its nearest parent."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (0, 0))


def load(text: str, file: str, first_line: int = 1, max_size: int | None = None,
         clean: bool = False, verbatim: tuple = ()) -> tuple[Document | None, list[BuildError]]:
    """Parse `text` (which starts on line `first_line` of `file`) safely.

    A brief's header gives `max_size`, its limit in characters with every alias written out,
    and `clean`: forbidden characters are removed from every text (but the top-level keys
    `verbatim`), each kind with a warning.
    """
    if max_size is not None and len(text) > max_size:
        return None, [BuildError(file, first_line, 1, too_large(max_size))]
    loader = Loader(text)
    try:
        return _read(loader, text, file, first_line - 1, max_size, verbatim if clean else None)
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error(exc, file, first_line)]
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        message = f"invalid YAML: unacceptable character #x{exc.character:04x}: {exc.reason}"
        return None, [BuildError(file, line + first_line - 1, column, message)]
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        # An explicit tag with a value it cannot hold, such as `!!int abc`.
        return None, [BuildError(file, first_line, 0, f"invalid YAML: a value does not fit its explicit tag ({exc})")]
    except RecursionError:
        return None, [BuildError(file, first_line, 0, "invalid YAML: nested too deeply")]
    finally:
        loader.dispose()


def _read(loader: Loader, text: str, file: str, offset: int, max_size: int | None,
          verbatim: tuple | None) -> tuple[Document | None, list[BuildError]]:
    """The document: measured, cleaned (unless `verbatim` is None) and placed before it is built."""
    node = loader.get_single_node()
    if node is None:
        return Document(None, {}), []
    refused = _refused(node, max_size)
    if refused:
        mark, reason = refused
        return None, [BuildError(file, mark.line + 1 + offset, mark.column + 1, reason)]
    # The reader refuses forbidden characters written as they are: only an escape can write one.
    cleaning = verbatim is not None and ("\\" in text or forbidden(text).search(text))
    problems = clean_scalars(node, text, file, offset, verbatim) if cleaning else []
    positions: dict = {}
    # Walked before it is built: building merges `<<: *base` keys into the mapping's own, which
    # may override them, and the merged keys are no duplicates.
    _walk(node, (), positions, problems, file, offset, set())
    return Document(loader.construct_document(node), positions), problems


def too_large(max_size: int) -> str:
    """What a header over its size limit is told."""
    return f"the header is larger than {max_size} characters with its aliases written out (max_header_size in site.yml)"


def _line_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset in `text`."""
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position) + 1, position - line_start + 1


def _yaml_error(exc: yaml.MarkedYAMLError, file: str, first_line: int) -> BuildError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark else first_line
    column = mark.column + 1 if mark else 0
    what = exc.problem or "malformed document"
    if exc.context:
        what += f" ({exc.context})"
    return BuildError(file, line, column, f"invalid YAML: {what}")


def _refused(root, max_size: int | None):
    """(mark, reason) when the document may not be built: nested too deep, holding itself, or too large.

    Each node is measured once, so an alias bomb is measured, never expanded.
    """
    measured: dict[int, tuple[int, int]] = {}  # id of a node -> (size, height)
    open_: set[int] = set()

    def measure(node, depth: int) -> tuple[int, int]:
        if depth > MAX_DEPTH:
            raise _Refused(node, f"lists and mappings are nested more than {MAX_DEPTH} levels deep")
        known = measured.get(id(node))
        if known is None:
            if id(node) in open_:
                raise _Refused(node, "an alias refers to a list or mapping that contains it")
            open_.add(id(node))
            known = measured[id(node)] = _measure(node, lambda child: measure(child, depth + 1))
            open_.discard(id(node))
        if depth + known[1] - 1 > MAX_DEPTH:
            raise _Refused(node, f"lists and mappings are nested more than {MAX_DEPTH} levels deep")
        if max_size is not None and known[0] > max_size:
            raise _Refused(node, too_large(max_size))
        return known

    try:
        measure(root, 1)
    except _Refused as refused:
        node, reason = refused.args
        return node.start_mark, reason
    return None


class _Refused(Exception):
    """A node the document may not have, and why."""


def _measure(node, measure) -> tuple[int, int]:
    """A node's size (its characters, plus one per value) and height, from its children's `measure`."""
    if isinstance(node, yaml.ScalarNode):
        return len(node.value) + 1, 1
    children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
    size, height = 1, 0
    for child in children:
        child_size, child_height = measure(child)
        size, height = size + child_size, max(height, child_height)
    return size, height + 1


def forbidden(text: str) -> re.Pattern:
    """The quickest pattern that finds every forbidden character of `text` (astral ones slow a class down)."""
    if text.isascii():
        return _FASTER[0]
    return FORBIDDEN if max(text) > "\uffff" else _FASTER[1]


def removed(field: str, char: str, count: int = 1) -> str:
    """The warning for a forbidden character: 'title: control character U+001B removed (...)'."""
    code = ord(char)
    kind = "control character" if code < 0xA0 else "lone surrogate" if code < 0xE000 else "noncharacter"
    times = f", {count} times" if count > 1 else ""
    first = "; the first is here" if count > 1 else ""
    return f"{field}: {kind} U+{code:04X} removed{times} (no page or feed may contain it){first}"


def clean_scalars(root, text: str, file: str, offset: int, verbatim: tuple = ()) -> list[BuildError]:
    """Remove forbidden characters from every scalar but those of the top-level keys `verbatim`,
    warning where each kind was first written."""
    starts = [0] + [match.end() for match in _BREAK.finditer(text)]
    found: dict[tuple[str, str], list[int]] = {}  # (top-level key, character) -> [line, column, count]
    seen: set[int] = set()
    stack = [(root, "header")]
    while stack:
        node, field = stack.pop()
        if id(node) in seen or field in verbatim:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and FORBIDDEN.search(node.value):  # values are short
            for line, column, char in _written(node, text, starts):
                found.setdefault((field, char), [line + 1 + offset, column + 1, 0])[2] += 1
            node.value = FORBIDDEN.sub("", node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, field) for child in reversed(node.value)]
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                top = FORBIDDEN.sub("", str(key.value)) if node is root and isinstance(key, yaml.ScalarNode) else field
                stack += [(value, top), (key, top)]
    return [BuildError(file, line, column, removed(field, char, count), warning=True)
            for (field, char), (line, column, count) in found.items()]


def _written(node, text: str, starts: list[int]) -> list[tuple[int, int, str]]:
    """(line, column), 0-based, and character of each forbidden character in a scalar."""
    mark = node.start_mark
    raw = [(mark.line, mark.column, char) for char in FORBIDDEN.findall(node.value)]
    if node.style != '"' or mark.line >= len(starts):  # only escapes can write them: the reader refuses them raw
        return raw
    found = []
    for match in _ESCAPE.finditer(text, starts[mark.line] + mark.column + 1):
        if match.group(0) == '"':
            break
        digits = match.group(1) or match.group(2) or match.group(3)
        code = int(digits, 16) if digits else _SHORT_ESCAPES.get(match.group(4), 0x20)
        if code < 0x110000 and FORBIDDEN.match(chr(code)):
            line = bisect.bisect_right(starts, match.start()) - 1
            found.append((line, match.start() - starts[line], chr(code)))
    return found or raw


def _walk(node, path, positions, errors, file, offset, seen) -> None:
    positions[path] = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    if id(node) in seen:  # an alias: walked already (and aliases may nest exponentially)
        return
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), positions, errors, file, offset, seen)
    elif isinstance(node, yaml.MappingNode):
        first_seen: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1 + offset
            if key is not None and key in first_seen:
                errors.append(BuildError(
                    file, line, key_node.start_mark.column + 1,
                    f"duplicate key '{key}' (first given on line {first_seen[key]})"))
            first_seen.setdefault(key, line)
            _walk(value_node, path + (key,), positions, errors, file, offset, seen)
