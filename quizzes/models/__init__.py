from .attempts import Attempt, AttemptQuestion
from .knowledge import KnowledgeTest, Option, Question
from .polls import (
    RESULTS_THRESHOLD,
    EvaluationPoll,
    PollAnswer,
    PollChoice,
    PollQuestion,
    PollResponse,
)

__all__ = [
    "RESULTS_THRESHOLD",
    "Attempt",
    "AttemptQuestion",
    "EvaluationPoll",
    "KnowledgeTest",
    "Option",
    "PollAnswer",
    "PollChoice",
    "PollQuestion",
    "PollResponse",
    "Question",
]
