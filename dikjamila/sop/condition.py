"""The small condition language of `when = "..."` and `rule = "..."` in SOP files.

It is parsed here, never handed to Python's `eval`. Grammar (keywords in lower case):

    expr     := and_expr ("or" and_expr)*
    and_expr := not_expr ("and" not_expr)*
    not_expr := "not" not_expr | "(" expr ")" | comparison
    comparison := FACT [op value]          a bare FACT means FACT == true (yes/no facts only)
    op       := "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in"
    value    := INTEGER | 'text' | "text" | true | false | "[" value ("," value)* "]"

Examples: `subject_age >= 5`, `applicant_is_subject == false`, `not foundling`,
`marital_status in ['cerai_hidup', 'cerai_mati'] or partner_marital_status == 'cerai_mati'`.

Every fact name must be in the vocabulary (`facts.FACTS`) and every value must suit the fact:
numbers for number facts, listed values for choice facts, true/false for yes/no facts. Date
facts cannot be tested directly; use the number derived from them (`subject_age`).

Evaluation is three-valued: a fact that is not known (None) makes its comparison unknown
(None); `and`, `or` and `not` follow Kleene's logic, so `false and unknown` is false and
`true or unknown` is true.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass

from dikjamila.i18n import tr
from dikjamila.sop.facts import FACTS, FactType

_TOKEN = re.compile(
    r"""\s*(?:(?P<int>-?\d+)|(?P<str>'[^']*'|"[^"]*")|(?P<op>==|!=|<=|>=|<|>)"""
    r"""|(?P<punct>[()\[\],])|(?P<name>[A-Za-z_][A-Za-z0-9_]*))"""
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
_ORDER_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class ConditionError(ValueError):
    """A condition that cannot be parsed or names an unknown fact; message in Indonesian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Compare:
    """`fact op value`; value is an int, str, bool or a tuple of those (for `in`)."""

    fact: str
    op: str
    value: object


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Compare | Not | And | Or


@dataclass(frozen=True)
class _Token:
    kind: str  # int, str, op, punct, name, end
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            if text[pos:].strip() == "":
                break
            bad = len(text) - len(text[pos:].lstrip())
            raise ConditionError(tr("karakter '{char}' tidak dikenal (posisi {pos})",
                                    char=text[bad], pos=bad + 1))
        kind = match.lastgroup or "end"
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    """Recursive-descent parser that also checks facts and values against the vocabulary."""

    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, token: _Token, expected: str) -> ConditionError:
        found = token.text or tr("akhir kondisi")
        return ConditionError(tr("{expected} diharapkan, bukan '{found}' (posisi {pos})",
                                 expected=expected, found=found, pos=token.pos + 1))

    def is_word(self, word: str, offset: int = 0) -> bool:
        token = self.tokens[min(self.i + offset, len(self.tokens) - 1)]
        return token.kind == "name" and token.text == word

    def parse(self) -> Node:
        node = self.expr()
        if self.peek().kind != "end":
            raise self.fail(self.peek(), tr("'and', 'or' atau akhir kondisi"))
        return node

    def expr(self) -> Node:
        parts = [self.and_expr()]
        while self.is_word("or"):
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.not_expr()]
        while self.is_word("and"):
            self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def not_expr(self) -> Node:
        if self.is_word("not"):
            self.take()
            return Not(self.not_expr())
        if self.peek().text == "(":
            self.take()
            node = self.expr()
            if self.peek().text != ")":
                raise self.fail(self.peek(), "')'")
            self.take()
            return node
        return self.comparison()

    def comparison(self) -> Node:
        token = self.take()
        if token.kind != "name" or token.text in _KEYWORDS:
            raise self.fail(token, tr("nama fakta"))
        fact = FACTS.get(token.text)
        if fact is None:
            raise ConditionError(tr("fakta '{name}' tidak dikenal", name=token.text))
        if fact.type is FactType.DATE:
            raise ConditionError(tr("fakta tanggal '{name}' tidak dapat dipakai langsung; "
                                    "pakai umur/jumlah hari", name=token.text))
        if self.peek().kind == "op":
            op = self.take().text
        elif self.is_word("in"):
            op = self.take().text
        elif self.is_word("not") and self.is_word("in", 1):
            self.take(), self.take()
            op = "not in"
        else:
            if fact.type is not FactType.BOOL:
                raise ConditionError(tr("fakta '{name}' bukan ya/tidak: bandingkan dengan "
                                        "nilai, mis. {name} == ...", name=fact.name))
            return Compare(fact.name, "==", True)
        value = self.value_list() if op in ("in", "not in") else self.value()
        self.check(fact.name, op, value)
        return Compare(fact.name, op, value)

    def value(self) -> object:
        token = self.take()
        if token.kind == "int":
            return int(token.text)
        if token.kind == "str":
            return token.text[1:-1]
        if token.kind == "name" and token.text in ("true", "false"):
            return token.text == "true"
        raise self.fail(token, tr("nilai"))

    def value_list(self) -> tuple[object, ...]:
        if self.take().text != "[":
            raise self.fail(self.tokens[self.i - 1], "'['")
        values = [self.value()]
        while self.peek().text == ",":
            self.take()
            values.append(self.value())
        if self.take().text != "]":
            raise self.fail(self.tokens[self.i - 1], "']'")
        return tuple(values)

    def check(self, name: str, op: str, value: object) -> None:
        """Refuse operators and values that do not suit the fact's type."""
        fact = FACTS[name]
        values = value if isinstance(value, tuple) else (value,)
        if fact.type is not FactType.INT and op in _ORDER_OPS:
            raise ConditionError(tr("'{op}' hanya untuk fakta angka, bukan '{name}'",
                                    op=op, name=name))
        for item in values:
            if fact.type is FactType.BOOL and not isinstance(item, bool):
                raise ConditionError(tr("'{name}' hanya dapat dibandingkan dengan true/false",
                                        name=name))
            if fact.type is FactType.INT and type(item) is not int:
                raise ConditionError(tr("'{name}' hanya dapat dibandingkan dengan angka",
                                        name=name))
            if fact.type is FactType.ENUM and item not in fact.allowed:
                raise ConditionError(tr("nilai '{value}' tidak dikenal untuk '{name}' "
                                        "(pilihan: {choices})", value=item, name=name,
                                        choices=", ".join(fact.allowed)))


def _evaluate(node: Node, facts: Mapping[str, object]) -> bool | None:
    match node:
        case Compare(fact=name, op=op, value=value):
            actual = facts.get(name)
            if actual is None:
                return None
            if op == "in":
                return actual in value  # type: ignore[operator]
            if op == "not in":
                return actual not in value  # type: ignore[operator]
            if op in _ORDER_OPS:
                return _ORDER_OPS[op](actual, value)
            return (actual == value) if op == "==" else (actual != value)
        case Not(operand=operand):
            result = _evaluate(operand, facts)
            return None if result is None else not result
        case And(operands=operands) | Or(operands=operands):
            decisive = isinstance(node, Or)  # the value that settles the whole expression
            outcome: bool | None = not decisive
            for part in operands:
                result = _evaluate(part, facts)
                if result is decisive:
                    return decisive
                if result is None:
                    outcome = None
            return outcome
    raise TypeError(node)  # pragma: no cover


def lower_first(text: str) -> str:
    """'Umur ...' -> 'umur ...', but 'KK lama' stays (an acronym keeps its capitals)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _describe(node: Node, nested: bool = False) -> str:
    """Indonesian explanation of a condition, e.g. 'umur yang bersangkutan 5 tahun ke atas'."""
    match node:
        case Compare(fact=name, op=op, value=value):
            fact = FACTS[name]
            if fact.type is FactType.BOOL:
                return fact.value_label(value if op == "==" else not value)
            label = lower_first(tr(fact.label))
            if op in ("in", "not in"):
                shown = tr(" atau ").join(fact.value_label(v) for v in value)  # type: ignore
                return f"{label} {shown}" if op == "in" else tr("{label} bukan {values}",
                                                                   label=label, values=shown)
            phrase = {
                "==": "{label} {value}", "!=": "{label} bukan {value}",
                ">=": "{label} {value} ke atas", ">": "{label} lebih dari {value}",
                "<": "{label} di bawah {value}", "<=": "{label} paling banyak {value}",
            }[op]
            return tr(phrase, label=label, value=fact.value_label(value))
        case Not(operand=Compare(fact=name, op="==", value=bool() as value)):
            return FACTS[name].value_label(not value)
        case Not(operand=operand):
            return tr("tidak ({inner})", inner=_describe(operand))
        case And(operands=operands) | Or(operands=operands):
            word = tr(" dan ") if isinstance(node, And) else tr(" atau ")
            text = word.join(_describe(part, nested=True) for part in operands)
            return f"({text})" if nested else text
    raise TypeError(node)  # pragma: no cover


def _facts_in(node: Node) -> frozenset[str]:
    match node:
        case Compare(fact=name):
            return frozenset({name})
        case Not(operand=operand):
            return _facts_in(operand)
        case And(operands=operands) | Or(operands=operands):
            return frozenset().union(*(_facts_in(part) for part in operands))
    raise TypeError(node)  # pragma: no cover


@dataclass(frozen=True)
class Condition:
    """A parsed condition; `source` is the text as written in the SOP file."""

    source: str
    node: Node

    def evaluate(self, facts: Mapping[str, object]) -> bool | None:
        """True, False, or None when the known facts cannot decide it."""
        return _evaluate(self.node, facts)

    def facts(self) -> frozenset[str]:
        """Names of the facts this condition reads."""
        return _facts_in(self.node)

    def describe(self) -> str:
        """Indonesian explanation, for 'hanya bila ...' reasons."""
        return _describe(self.node)


def parse_condition(text: str) -> Condition:
    """Parse and check `text`; raises `ConditionError` (message in Indonesian)."""
    if not text.strip():
        raise ConditionError(tr("kondisi kosong"))
    return Condition(text, _Parser(text).parse())
