"""Import rules: "description contains / starts with / matches REGEX" -> a category (and,
optionally, a cleaner description), tried in order; and learned suggestions for the rows no rule
matches. Each public function is one transaction; adding or deleting a rule is a change in the
history (undo takes it back).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget_tui.controller import categories as cats
from budget_tui.controller import ledger, validate
from budget_tui.controller._tx import action, read_action
from budget_tui.controller.import_views import MATCH_WORDS, MATCHES, RuleView
from budget_tui.db.models import Category, Expense, Rule
from budget_tui.errors import InvalidInput, NotFound

# A learned suggestion is applied without asking only when at least this share of the earlier
# rows with the same cleaned description went to one category, and there were at least
# SUGGEST_MIN_ROWS of them; below that it is shown as a suggestion, never applied.
SUGGEST_THRESHOLD = 0.8
SUGGEST_MIN_ROWS = 2
PATTERN_MAX = 200

_NOISE = re.compile(r"[\d#*/\\_.,:;'\"()\[\]-]+")


def clean_key(description: str) -> str:
    """A description as suggestions compare it: lower case, without numbers and punctuation
    (``"TESCO STORES 3297 #12"`` and ``"Tesco Stores 1104"`` are one)."""
    return " ".join(_NOISE.sub(" ", description.casefold()).split())


def _match(value: object) -> str:
    text = str(value or "").strip().casefold().replace("-", "").replace(" ", "")
    aliases = {"startswith": "starts", "start": "starts", "re": "regex", "matches": "regex"}
    text = aliases.get(text, text)
    if text not in MATCHES:
        raise InvalidInput("match", "A rule matches by contains, starts (with) or regex.")
    return text


def _pattern(match: str, value: object) -> str:
    pattern = validate.clean_text(value, "pattern", max_length=PATTERN_MAX, what="The pattern")
    if match == "regex":
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InvalidInput("pattern", f"The pattern is not a valid regex: {exc}.") from None
    return pattern


def _rows(session: Session) -> list[RuleView]:
    found = session.execute(
        select(Rule.id, Rule.match, Rule.pattern, Category.name, Rule.rename)
        .join(Category, Category.id == Rule.category_id)
        .order_by(Rule.position, Rule.id)
    ).all()
    return [
        RuleView(id=i, position=n, match=m, pattern=p, category=name, rename=rename)
        for n, (i, m, p, name, rename) in enumerate(found, start=1)
    ]


@read_action
def list_rules(session: Session) -> tuple[RuleView, ...]:
    """Every rule, in the order they are tried (``position`` 1 first)."""
    return tuple(_rows(session))


@action
def add_rule(
    session: Session,
    pattern: str,
    category: str | int,
    *,
    match: str = "contains",
    rename: str | None = None,
    position: int | None = None,
) -> RuleView:
    """Add a rule, tried at ``position`` (1 first; default last). Raises InvalidInput (match,
    pattern, rename, position) and NotFound (the category)."""
    kind = _match(match)
    clean = _pattern(kind, pattern)
    new_name = validate.description(rename, "rename") if rename not in (None, "") else None
    category_row = cats.load(session, category)
    existing = _rows(session)
    if position is None:
        position = len(existing) + 1
    if not 1 <= position <= len(existing) + 1:
        raise InvalidInput("position", f"Give a position from 1 to {len(existing) + 1}.")
    # Positions are stored as given counts: existing rules are numbered 1..n in order.
    stored = _stored_position(session, position, existing)
    rule_id = ledger.add_rule(
        session,
        match=kind,
        pattern=clean,
        category=category_row,
        rename=new_name,
        position=stored,
    )
    return next(r for r in _rows(session) if r.id == rule_id)


def _stored_position(session: Session, position: int, existing: list[RuleView]) -> int:
    """The stored position that puts a new rule ``position``-th: the stored position of the
    rule now there (which moves down), or one past the last."""
    r = ledger.rules_t.c
    if position <= len(existing):
        return int(session.scalar(select(r.position).where(r.id == existing[position - 1].id)) or 0)
    return int(session.scalar(select(func.max(r.position))) or 0) + 1


@action
def delete_rule(session: Session, rule_id: int) -> RuleView:
    """Delete a rule by its id; returns it as it was. Raises NotFound."""
    found = next((r for r in _rows(session) if r.id == rule_id), None)
    if found is None:
        raise NotFound(f"There is no rule #{rule_id}.")
    ledger.delete_rule(session, rule_id, found.describe())
    return found


@dataclass(frozen=True)
class _Compiled:
    match: str
    pattern: str
    regex: re.Pattern[str] | None
    category_id: int
    rename: str | None

    def matches(self, folded: str, text: str) -> bool:
        if self.regex is not None:
            return self.regex.search(text) is not None
        if self.match == "starts":
            return folded.startswith(self.pattern)
        return self.pattern in folded


class Categoriser:
    """The rules of a book, compiled once per import, and its learned suggestions (read from the
    book only when a row needs one)."""

    def __init__(self, session: Session, *, unlearned: int | None = None) -> None:
        self.session = session
        self.unlearned = unlearned  # a category never suggested (Uncategorised)
        r = Rule
        self.rules = [
            _Compiled(
                m,
                p.casefold(),
                re.compile(p, re.IGNORECASE) if m == "regex" else None,
                cat,
                rename,
            )
            for m, p, cat, rename in session.execute(
                select(r.match, r.pattern, r.category_id, r.rename).order_by(r.position, r.id)
            )
        ]
        self._learned: dict[str, dict[int, int]] | None = None
        self._cache: dict[str, tuple[int, float, int] | None] = {}

    def by_rule(self, description: str) -> tuple[int, str | None] | None:
        """The first matching rule's category id and cleaner description, or None."""
        if not self.rules:
            return None
        folded = description.casefold()
        for rule in self.rules:
            if rule.matches(folded, description):
                return rule.category_id, rule.rename
        return None

    def suggestion(self, description: str) -> tuple[int, float, int] | None:
        """The category most used before for the same cleaned description: its id, its share
        of those rows (0..1) and how many rows there were; None when never seen."""
        key = clean_key(description)
        if key in self._cache:
            return self._cache[key]
        if self._learned is None:
            self._learned = self._learn()
        counts = self._learned.get(key)
        found = None
        if counts:
            best = max(counts, key=lambda c: counts[c])
            total = sum(counts.values())
            found = (best, counts[best] / total, total)
        if len(self._cache) < 100_000:
            self._cache[key] = found
        return found

    def _learn(self) -> dict[str, dict[int, int]]:
        e = Expense
        learned: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        stmt = select(e.description, e.category_id, func.count())
        if self.unlearned is not None:
            stmt = stmt.where(e.category_id != self.unlearned)
        rows = self.session.execute(
            stmt.group_by(e.description, e.category_id).execution_options(yield_per=10_000)
        )
        for description, category_id, n in rows:
            learned[clean_key(description)][category_id] += int(n)
        return learned


def sure_enough(found: tuple[int, float, int] | None) -> bool:
    return found is not None and found[1] >= SUGGEST_THRESHOLD and found[2] >= SUGGEST_MIN_ROWS


__all__ = [
    "MATCH_WORDS",
    "Categoriser",
    "add_rule",
    "clean_key",
    "delete_rule",
    "list_rules",
    "sure_enough",
]
