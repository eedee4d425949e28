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

import os
import re
import stat
from typing import Any

import yaml

MAX_BYTES = 1_000_000  # of the file, and of its scalars' text after alias expansion
MAX_NODES = 100_000  # nodes after alias expansion
MAX_DEPTH = 64  # nested maps and lists
MAX_DIGITS = 30  # an integer longer than this is no lever value (Python refuses 4,300)
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
# YAML 1.1 reads 012 as octal 10 and 1:30 as 90: refuse them rather than guess
OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")

Path = tuple[str, ...]  # keys and list indices, as text


class YamlProblem(Exception):
    """A file that cannot be read; carries the line and what is wrong."""

    def __init__(self, line: int, problem: str, allowed: str = "", path: Path = ()):
        super().__init__(problem)
        self.line = line
        self.problem = problem
        self.allowed = allowed
        self.path = path  # the key whose value is wrong, when it is one value


def load(text: str, max_nodes: int = MAX_NODES) -> tuple[Any, dict[Path, int]]:
    """Parse ``text``; return the data and a map from key path to line number.

    Raises :class:`YamlProblem` on a syntax error, a duplicate key, a
    recursive alias, or a document larger than ``max_nodes`` after aliases
    are expanded.
    """
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise YamlProblem(1, f"file is larger than {MAX_BYTES:,} bytes", "a small YAML file")
    try:
        return _load(text, max_nodes)
    except RecursionError:
        raise YamlProblem(1, "maps and lists are nested too deeply", TOO_DEEP) from None


TOO_DEEP = f"at most {MAX_DEPTH} levels"


def read_text(path: os.PathLike | str) -> str:
    """The text of a scenario file, read safely: only a regular file, and at most
    :data:`MAX_BYTES` (so a FIFO, ``/dev/zero`` or a huge sparse file costs
    nothing). Raises ``OSError``/``UnicodeDecodeError``, or :class:`YamlProblem`
    for a file that is not a regular one or is too large."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise YamlProblem(0, f"is not a regular file ({_kind(st.st_mode)})", "a YAML text file")
    if st.st_size > MAX_BYTES:
        raise YamlProblem(1, f"file is larger than {MAX_BYTES:,} bytes", "a small YAML file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped since the stat
            raise YamlProblem(0, "is not a regular file", "a YAML text file")
        data = b""
        while len(data) <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - len(data))
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:  # grew since the stat
        raise YamlProblem(1, f"file is larger than {MAX_BYTES:,} bytes", "a small YAML file")
    return data.decode("utf-8")


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def _check_depth(text: str) -> None:
    """Refuse deep nesting from the event stream, which PyYAML reads without
    recursion (its composer and constructor recurse, and would overflow)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(
                    event.start_mark.line + 1, "maps and lists are nested too deeply", TOO_DEEP
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _load(text: str, max_nodes: int) -> tuple[Any, dict[Path, int]]:
    try:
        _check_depth(text)
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
    _walk(node, (), lines, [0, 1, 0], max_nodes, set())
    try:
        data = yaml.SafeLoader(text).get_single_data()
    except yaml.YAMLError as err:  # e.g. a python tag, found only while constructing
        mark = getattr(err, "problem_mark", None)
        raise YamlProblem(
            mark.line + 1 if mark else 1,
            f"YAML error: {_one_line(err)}",
            "plain YAML data, no tags",
        ) from None
    except ValueError as err:  # a value PyYAML's constructors cannot build
        raise YamlProblem(1, f"YAML value error: {err}", "plain YAML data") from None
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
    """Count nodes and the bytes of scalars with aliases expanded, and record the
    line of each key. One long string aliased many times is as costly as many
    nodes, so both are limited.

    ``count`` is [nodes so far, line of the top-level key being walked, bytes].
    """
    count[0] += 1
    if count[0] > max_nodes:
        raise YamlProblem(
            count[1],
            f"document expands to more than {max_nodes:,} YAML nodes (aliases included)",
            "a scenario of ordinary size",
        )
    if len(path) > MAX_DEPTH:
        raise YamlProblem(
            node.start_mark.line + 1, "maps and lists are nested too deeply", TOO_DEEP
        )
    if isinstance(node, yaml.ScalarNode):
        count[2] += len(node.value)
        if count[2] > MAX_BYTES:
            raise YamlProblem(
                count[1],
                f"document expands to more than {MAX_BYTES:,} bytes of text (aliases included)",
                "a scenario of ordinary size",
            )
        _check_number(node, path)
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


def _check_number(node: yaml.ScalarNode, path: Path) -> None:
    """Refuse numbers YAML 1.1 would read other than as written, and huge ones."""
    if node.tag not in (INT_TAG, FLOAT_TAG) or node.style is not None:
        return  # quoted text stays text
    text, line = node.value, node.start_mark.line + 1
    if OCTAL.match(text):
        raise YamlProblem(
            line,
            f"{text} has a leading zero, which YAML reads as an octal number",
            f"write {text.lstrip('+-0_') or '0'}, or quote it as text",
            path,
        )
    if SEXAGESIMAL.match(text):
        raise YamlProblem(
            line,
            f"{text} is read by YAML as a base-60 number",
            "a plain number, or quote it as text",
            path,
        )
    if node.tag == INT_TAG and len(text.lstrip("+-")) > MAX_DIGITS:
        raise YamlProblem(
            line,
            f"an integer of {len(text.lstrip('+-')):,} digits",
            f"at most {MAX_DIGITS} digits",
            path,
        )
