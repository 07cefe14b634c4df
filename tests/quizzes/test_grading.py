"""The grading rules: credit per question, partial credit, and the exact pass mark."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from quizzes import grading


def credit(kind, scoring, correct, chosen):
    return grading.question_credit(
        kind=kind, scoring=scoring, correct_ids=correct, chosen_ids=chosen
    )


def test_single_choice_needs_exactly_the_right_option():
    assert credit("single", "partial", [1], [1]) == 1
    assert credit("single", "partial", [1], [2]) == 0
    assert credit("single", "partial", [1], []) == 0
    assert credit("true_false", "partial", [1], [1, 2]) == 0


def test_multiple_all_or_nothing():
    assert credit("multiple", "all", [1, 2], [1, 2]) == 1
    assert credit("multiple", "all", [1, 2], [1]) == 0
    assert credit("multiple", "all", [1, 2], [1, 2, 3]) == 0


def test_multiple_partial_credit_is_right_minus_wrong_over_right_floored_at_zero():
    assert credit("multiple", "partial", [1, 2, 3], [1, 2, 3]) == 1
    assert credit("multiple", "partial", [1, 2, 3], [1, 2]) == Fraction(2, 3)
    assert credit("multiple", "partial", [1, 2, 3], [1, 2, 4]) == Fraction(1, 3)
    assert credit("multiple", "partial", [1, 2], [1, 3, 4]) == 0  # (1 - 2) / 2 floored
    assert credit("multiple", "partial", [1, 2], [1, 2, 3, 4]) == 0  # everything chosen
    assert credit("multiple", "partial", [1, 2], []) == 0


def test_pass_mark_is_compared_exactly():
    # 4 of 5 right is exactly 80 %: passes an 80 % pass mark.
    score = grading.score_fraction([Fraction(1)] * 4 + [Fraction(0)])
    assert grading.score_passes(score=score, pass_mark=80)
    # Partial credit that lands exactly on 80 % (5.6 of 7) passes; a hair below fails.
    exact = grading.score_fraction([Fraction(1)] * 5 + [Fraction(3, 5), Fraction(0)])
    assert exact * 100 == 80
    assert grading.score_passes(score=exact, pass_mark=80)
    below = grading.score_fraction([Fraction(1)] * 5 + [Fraction(4, 7), Fraction(0)])
    assert not grading.score_passes(score=below, pass_mark=80)
    # 0.1 + 0.7 style float error cannot make 80 % fail.
    assert grading.score_passes(score=Fraction(8, 10), pass_mark=80)


def test_percent_is_rounded_down_so_a_failed_score_never_shows_the_pass_mark():
    # 79.99... % would round to 80 % with ordinary rounding.
    score = Fraction(7999, 10000) + Fraction(9, 100000)
    assert grading.score_percent(score) == Decimal("79.99")
    assert grading.score_percent(score, places=0) == Decimal("79")
    assert grading.score_percent(Fraction(2, 3)) == Decimal("66.66")
    assert grading.score_percent(Fraction(1)) == Decimal("100.00")


@st.composite
def multiple_choice(draw):
    n = draw(st.integers(min_value=2, max_value=8))
    options = list(range(n))
    correct = draw(st.sets(st.sampled_from(options), min_size=1))
    chosen = draw(st.sets(st.sampled_from(options)))
    return correct, chosen


@given(multiple_choice())
def test_partial_credit_properties(case):
    correct, chosen = case
    partial = credit("multiple", "partial", correct, chosen)
    strict = credit("multiple", "all", correct, chosen)
    assert 0 <= partial <= 1
    assert strict in {0, 1}
    assert strict <= partial  # partial credit never gives less than all-or-nothing
    assert (partial == 1) == (chosen == correct)
    right, wrong = len(chosen & correct), len(chosen - correct)
    assert partial == max(Fraction(0), Fraction(right - wrong, len(correct)))


@given(
    st.lists(st.fractions(min_value=0, max_value=1), min_size=1, max_size=30),
    st.integers(min_value=0, max_value=100),
)
def test_pass_decision_and_shown_percent_agree(credits, pass_mark):
    score = grading.score_fraction(credits)
    passed = grading.score_passes(score=score, pass_mark=pass_mark)
    assert passed == (sum(credits) * 100 >= pass_mark * len(credits))
    shown = grading.score_percent(score, places=0)
    stored = grading.score_percent(score)
    assert shown <= stored <= score * 100
    if not passed:
        assert shown < pass_mark  # what the learner sees never contradicts the verdict
