"""Reading scenario YAML safely, and remembering where every key was written.

A scenario file is input from anyone, so it is parsed with PyYAML's safe
loader only (no Python objects), and refused when it is too large or when
aliases would expand it into something huge ("billion laughs"): PyYAML
shares aliased nodes while composing, so the cost only appears when the
tree is turned into Python objects, which we do only after counting.

Error messages must point at a line, so the composed node tree is also
walked into a map from key path (``("levers", "registration_cost")``) to
the 1-based line of that key.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_NODES = 100_000  # nodes after alias expansion

Path = tuple[str, ...]  # keys and list indices, as text


class YamlProblem(Exception):
    """A file that cannot be read; carries the line and what is wrong."""

    def __init__(self, line: int, problem: str, allowed: str = ""):
        super().__init__(problem)
        self.line = line
        self.problem = problem
        self.allowed = allowed


def load(text: str, max_nodes: int = MAX_NODES) -> tuple[Any, dict[Path, int]]:
    """Parse ``text``; return the data and a map from key path to line number.

    Raises :class:`YamlProblem` on a syntax error, a duplicate key, a
    recursive alias, or a document larger than ``max_nodes`` after aliases
    are expanded.
    """
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise YamlProblem(1, f"file is larger than {MAX_BYTES:,} bytes", "a small YAML file")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise YamlProblem(
            mark.line + 1 if mark else 1, f"YAML syntax error: {_one_line(err)}", "valid YAML"
        ) from None
    except yaml.YAMLError as err:
        raise YamlProblem(1, f"YAML syntax error: {_one_line(err)}", "valid YAML") from None
    if node is None:
        return None, {}
    lines: dict[Path, int] = {}
    _walk(node, (), lines, [0, 1], max_nodes, set())
    try:
        data = yaml.SafeLoader(text).get_single_data()
    except yaml.YAMLError as err:  # e.g. a python tag, found only while constructing
        mark = getattr(err, "problem_mark", None)
        raise YamlProblem(
            mark.line + 1 if mark else 1,
            f"YAML error: {_one_line(err)}",
            "plain YAML data, no tags",
        ) from None
    return data, lines


def _one_line(err: yaml.YAMLError) -> str:
    return " ".join(str(getattr(err, "problem", None) or err).split())


def _walk(
    node: yaml.Node,
    path: Path,
    lines: dict[Path, int],
    count: list[int],
    max_nodes: int,
    active: set[int],
) -> None:
    """Count nodes with aliases expanded and record the line of each key.

    ``count`` is [nodes so far, line of the top-level key being walked].
    """
    count[0] += 1
    if count[0] > max_nodes:
        raise YamlProblem(
            count[1],
            f"document expands to more than {max_nodes:,} YAML nodes (aliases included)",
            "a scenario of ordinary size",
        )
    if isinstance(node, yaml.ScalarNode):
        return
    if id(node) in active:
        raise YamlProblem(node.start_mark.line + 1, "recursive alias", "aliases to finished nodes")
    active.add(id(node))
    try:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                line = key_node.start_mark.line + 1
                if key is not None and key != "<<":
                    if key in seen:
                        raise YamlProblem(
                            line,
                            f"duplicate key '{key}' (first on line {seen[key]})",
                            "each key once",
                        )
                    seen[key] = line
                    if not path:
                        count[1] = line  # the top-level key being expanded
                    lines.setdefault((*path, str(key)), line)
                    _walk(value_node, (*path, str(key)), lines, count, max_nodes, active)
                else:
                    _walk(value_node, path, lines, count, max_nodes, active)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines.setdefault((*path, str(i)), item.start_mark.line + 1)
                _walk(item, (*path, str(i)), lines, count, max_nodes, active)
    finally:
        active.discard(id(node))
