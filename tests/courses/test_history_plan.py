"""`dated_plan`, the one rule for how a dated statement meets the facts already recorded,
checked alone (it is pure): over random non-overlapping facts and a random statement "from
`start` to `end`, `value` holds, as of `effective`", the facts after applying its plan

- never overlap,
- say on every day before the cut (the effective day, or the day after a back-dated end)
  what they said before,
- say from the cut on exactly the statement: `value` from `start` to `end`, nothing else,

and the same statement planned again on them changes nothing (UNCHANGED).
"""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from courses.services.organisation import Change, Fact, Plan, dated_plan

BASE = datetime.date(2026, 1, 1)
HORIZON = 80  # days checked: BASE .. BASE + HORIZON


def day(n: int) -> datetime.date:
    return BASE + datetime.timedelta(days=n)


values = st.tuples(st.integers(0, 1), st.sampled_from(["a", "b"]))


@st.composite
def histories(draw) -> list[Fact]:
    """Facts that never overlap, some adjacent, the last perhaps open."""
    facts, cursor = [], 0
    for n, (gap, length, value) in enumerate(
        draw(st.lists(st.tuples(st.integers(0, 4), st.integers(1, 8), values), max_size=5))
    ):
        start = cursor + gap
        facts.append(Fact(n + 1, day(start), day(start + length - 1), value))
        cursor = start + length
    if facts and draw(st.booleans()):
        last = facts[-1]
        facts[-1] = Fact(last.pk, last.valid_from, None, last.value)
    return facts


@st.composite
def statements(draw) -> dict:
    start = draw(st.integers(0, 50))
    length = draw(st.one_of(st.none(), st.integers(1, 20)))
    return {
        "value": draw(values),
        "start": day(start),
        "end": None if length is None else day(start + length - 1),
        "effective": day(draw(st.integers(0, 50))),
    }


def applied(facts: list[Fact], plan: Plan) -> list[Fact]:
    """What `plans_apply` writes, on a list: delete, re-close, create."""
    ends = dict(plan.close)
    kept = [
        Fact(f.pk, f.valid_from, ends.get(f.pk, f.valid_to), f.value)
        for f in facts
        if f.pk not in plan.delete
    ]
    next_pk = max((f.pk for f in facts), default=0) + 1
    created = [
        Fact(next_pk + n, f.valid_from, f.valid_to, f.value) for n, f in enumerate(plan.create)
    ]
    return sorted(kept + created, key=lambda f: f.valid_from)


def value_on(facts: list[Fact], on: datetime.date):
    holding = [
        f.value for f in facts if f.valid_from <= on and (f.valid_to is None or f.valid_to >= on)
    ]
    assert len(holding) <= 1, (on, facts)
    return holding[0] if holding else None


@settings(max_examples=300)
@given(facts=histories(), statement=statements())
def test_a_plan_applied_says_the_statement_from_the_cut_and_nothing_else(facts, statement):
    plan = dated_plan(facts=facts, **statement)
    after = applied(facts, plan)

    for fact in after:
        assert fact.valid_to is None or fact.valid_to >= fact.valid_from, (fact, plan)
    for a, b in zip(after, after[1:], strict=False):
        assert a.valid_to is not None and a.valid_to < b.valid_from, (a, b, plan)

    end, effective = statement["end"], statement["effective"]
    cut = end + datetime.timedelta(days=1) if end is not None and end < effective else effective
    if not any(f.valid_from < cut for f in facts):  # nothing recorded before the cut:
        cut = min(cut, statement["start"])  # the statement holds whole, from its start
    for n in range(HORIZON):
        on = day(n)
        if on < cut:
            assert value_on(after, on) == value_on(facts, on), (on, plan)
        else:
            stated = statement["start"] <= on and (end is None or on <= end)
            assert value_on(after, on) == (statement["value"] if stated else None), (on, plan)

    again = dated_plan(facts=after, **statement)
    assert again == Plan(Change.UNCHANGED), (after, again)
    if plan.change == Change.UNCHANGED:
        assert plan == Plan(Change.UNCHANGED)
        assert after == sorted(facts, key=lambda f: f.valid_from)
