"""A small, safe language for conditions over outcomes: ``occupancy_rate < 0.5 and ...``.

A condition is written in a scenario file or on the command line and may
come from anyone, so it is never given to Python's ``eval``: this module
tokenises and parses it itself and evaluates the tree on NumPy arrays. It
knows outcome names (and their summaries, :mod:`sim.analysis.summaries`),
numbers such as ``1e8``, the comparisons ``< <= > >= == !=`` (chains such
as ``0.2 < x < 0.5`` mean both), ``and``, ``or``, ``not``, ``+ - * /`` and
parentheses. Anything else (attribute access, calls, indexing, text,
keywords such as ``import``) is refused in one line that says where.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sim.analysis.summaries import NAME

ALLOWED = (
    "outcome names, numbers, comparisons (< <= > >= == !=), and/or/not, + - * / and parentheses"
)
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_OPS = ("<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/", "(", ")")
_WORDS = ("and", "or", "not")
_COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


class ExpressionError(ValueError):
    """A condition that is not in the language: one line with the column."""


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op", "word", "end"
    text: str
    col: int


def tokenize(text: str) -> list[Token]:
    tokens, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        m = _NUMBER.match(text, i)
        if m and not (ch == "." and tokens and tokens[-1].kind == "name"):
            tokens.append(Token("number", m.group(), i + 1))
            i = m.end()
            if i < len(text) and (text[i].isalpha() or text[i] == "_"):
                raise _at(text, i, f"a number runs into a name at '{text[m.start() : i + 1]}'")
            continue
        m = NAME.match(text, i)
        if m:
            word = m.group()
            kind = "word" if word in _WORDS else "name"
            if kind == "name":
                _check_name(text, i, word)
            tokens.append(Token(kind, word, i + 1))
            i = m.end()
            continue
        op = next((o for o in _OPS if text.startswith(o, i)), None)
        if op:
            tokens.append(Token("op", op, i + 1))
            i += len(op)
            continue
        raise _at(text, i, _refusal(ch))
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def _refusal(ch: str) -> str:
    why = {
        ".": "attribute access ('.') is not allowed",
        "[": "indexing ('[') is not allowed",
        "'": "text in quotes is not allowed",
        '"': "text in quotes is not allowed",
        "=": "'=' assigns; compare with '=='",
        "&": "write 'and' instead of '&'",
        "|": "write 'or' instead of '|'",
        "~": "write 'not' instead of '~'",
        "!": "write 'not' instead of '!'",
        ",": "',' is not allowed (no calls or tuples)",
    }
    return why.get(ch, f"'{ch}' is not allowed")


def _check_name(text: str, i: int, word: str) -> None:
    if word.startswith("__"):
        raise _at(text, i, f"'{word}': names starting with '__' are not allowed")
    if keyword.iskeyword(word) or keyword.issoftkeyword(word) or word in ("True", "False"):
        raise _at(text, i, f"'{word}' is not allowed")


def _at(text: str, i: int, problem: str) -> ExpressionError:
    return ExpressionError(f"column {i + 1}: {problem} (a condition holds {ALLOWED})")


class _Parser:
    """Recursive descent; each node is ``(kind, ...)`` and returns a bool or a number."""

    def __init__(self, text: str):
        self.text, self.tokens, self.pos = text, tokenize(text), 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        t = self.tokens[self.pos]
        self.pos += 1
        return t

    def error(self, problem: str, tok: Token | None = None) -> ExpressionError:
        tok = tok or self.tok
        return ExpressionError(f"column {tok.col}: {problem} (a condition holds {ALLOWED})")

    def parse(self) -> tuple:
        if self.tok.kind == "end":
            raise self.error("the condition is empty")
        node = self.or_()
        if self.tok.kind != "end":
            raise self.error(f"unexpected '{self.tok.text}'")
        return node

    def or_(self) -> tuple:
        node = self.and_()
        while self.tok.kind == "word" and self.tok.text == "or":
            op = self.take()
            node = ("or", self.bool_(node, op), self.bool_(self.and_(), op))
        return node

    def and_(self) -> tuple:
        node = self.not_()
        while self.tok.kind == "word" and self.tok.text == "and":
            op = self.take()
            node = ("and", self.bool_(node, op), self.bool_(self.not_(), op))
        return node

    def not_(self) -> tuple:
        if self.tok.kind == "word" and self.tok.text == "not":
            op = self.take()
            return ("not", self.bool_(self.not_(), op))
        return self.compare()

    def compare(self) -> tuple:
        left = self.arith()
        parts = []
        while self.tok.kind == "op" and self.tok.text in _COMPARE:
            op = self.take()
            right = self.arith()
            parts.append(("cmp", op.text, self.num_(left, op), self.num_(right, op)))
            left = right
        if not parts:
            return left
        node = parts[0]
        for p in parts[1:]:
            node = ("and", node, p)
        return node

    def arith(self) -> tuple:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.take()
            node = ("arith", op.text, self.num_(node, op), self.num_(self.term(), op))
        return node

    def term(self) -> tuple:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/":
            op = self.take()
            node = ("arith", op.text, self.num_(node, op), self.num_(self.unary(), op))
        return node

    def unary(self) -> tuple:
        if self.tok.kind == "op" and self.tok.text in "+-":
            op = self.take()
            inner = self.num_(self.unary(), op)
            return ("arith", "-", ("num", 0.0), inner) if op.text == "-" else inner
        return self.atom()

    def atom(self) -> tuple:
        t = self.take()
        if t.kind == "number":
            return ("num", float(t.text))
        if t.kind == "name":
            if self.tok.kind == "op" and self.tok.text == "(":
                raise self.error(f"calls are not allowed ('{t.text}(...)')", t)
            return ("name", t.text)
        if t.kind == "op" and t.text == "(":
            node = self.or_()
            if not (self.tok.kind == "op" and self.tok.text == ")"):
                raise self.error("a '(' is not closed")
            self.take()
            return node
        if t.kind == "end":
            raise self.error("the condition ends too early", t)
        raise self.error(f"unexpected '{t.text}'", t)

    def bool_(self, node: tuple, op: Token) -> tuple:
        if not _is_bool(node):
            raise self.error(f"'{op.text}' joins conditions such as 'x < 1', not numbers", op)
        return node

    def num_(self, node: tuple, op: Token) -> tuple:
        if _is_bool(node):
            raise self.error(f"'{op.text}' works on numbers, not on a condition", op)
        return node


def _is_bool(node: tuple) -> bool:
    return node[0] in ("and", "or", "not", "cmp")


@dataclass(frozen=True)
class Condition:
    """A parsed condition: ``names`` it reads, and ``evaluate`` on arrays."""

    text: str
    tree: tuple

    @property
    def names(self) -> list[str]:
        out: list[str] = []

        def walk(node: tuple) -> None:
            if node[0] == "name":
                out.append(node[1])
            for child in node[1:]:
                if isinstance(child, tuple):
                    walk(child)

        walk(self.tree)
        return list(dict.fromkeys(out))

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """True where the condition holds (NaN compares as false)."""
        import numpy as np

        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(_eval(self.tree, values), dtype=bool)


def _eval(node: tuple, values: Mapping[str, Any]) -> Any:
    import numpy as np

    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        return np.asarray(values[node[1]], dtype=float)
    if kind == "cmp":
        return _COMPARE[node[1]](_eval(node[2], values), _eval(node[3], values))
    if kind == "arith":
        return _ARITH[node[1]](_eval(node[2], values), _eval(node[3], values))
    if kind == "not":
        return np.logical_not(_eval(node[1], values))
    join = np.logical_and if kind == "and" else np.logical_or
    return join(_eval(node[1], values), _eval(node[2], values))


def parse_condition(text: str) -> Condition:
    """Parse ``text``; an :class:`ExpressionError` says what and where, in one line."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected a condition as text, got {text!r}")
    tree = _Parser(text).parse()
    if not _is_bool(tree):
        raise ExpressionError(
            f"'{text}' is a number, not a condition (compare it, e.g. '{text.strip()} < 0.5')"
        )
    return Condition(text, tree)
