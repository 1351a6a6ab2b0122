"""Safe YAML loading that keeps where each value was written."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ..errors import BuildError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def load(text: str, file: str, first_line: int = 1) -> tuple[Document | None, list[BuildError]]:
    """Parse `text` (which starts on line `first_line` of `file`) safely."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        positions: dict = {}
        errors: list[BuildError] = []
        if node is not None:
            _walk(node, (), positions, errors, file, first_line - 1, set())
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
    return Document(data, positions), errors


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
