"""The grading rules, as pure functions on plain values so they can be tested exhaustively.

Credit per question is an exact Fraction between 0 and 1:

- single choice and true/false: 1 when exactly the right option is chosen, else 0;
- multiple choice, all or nothing: 1 when the chosen set equals the set of right options;
- multiple choice, partial credit: (right options chosen - wrong options chosen) / right
  options, floored at 0. Choosing everything therefore earns nothing unless every option
  is right.

The score is the mean credit over the attempt's questions. An attempt passes when
score * 100 >= pass mark, compared exactly (no float error, no rounding). The percentage
shown is rounded down to whole percent (and stored rounded down to two decimals), so a
failed attempt never shows a percentage at or above the pass mark.

`kind` and `scoring` are the stored values of Question.Kind and KnowledgeTest.Scoring.
"""

from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from quizzes.models.knowledge import KnowledgeTest, Question


def question_credit(
    *, kind: str, scoring: str, correct_ids: Iterable[int], chosen_ids: Iterable[int]
) -> Fraction:
    correct = set(correct_ids)
    chosen = set(chosen_ids)
    if kind != Question.Kind.MULTIPLE or scoring == KnowledgeTest.Scoring.ALL_OR_NOTHING:
        return Fraction(1) if chosen == correct else Fraction(0)
    if not correct:
        return Fraction(1) if not chosen else Fraction(0)
    right = len(chosen & correct)
    wrong = len(chosen - correct)
    return max(Fraction(0), Fraction(right - wrong, len(correct)))


def score_fraction(credits: Iterable[Fraction]) -> Fraction:
    credits = list(credits)
    if not credits:
        return Fraction(0)
    return sum(credits, Fraction(0)) / len(credits)


def score_passes(*, score: Fraction, pass_mark: int) -> bool:
    return score * 100 >= pass_mark


def score_percent(score: Fraction, *, places: int = 2) -> Decimal:
    """The score in percent, rounded down to `places` decimals."""
    exact = Decimal(score.numerator * 100) / Decimal(score.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def credit_decimal(credit: Fraction) -> Decimal:
    """A credit as stored for statistics (six decimals, rounded down)."""
    exact = Decimal(credit.numerator) / Decimal(credit.denominator)
    return exact.quantize(Decimal("0.000001"), rounding=ROUND_DOWN)
