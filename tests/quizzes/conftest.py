import pytest

from tests.factories import learner
from tests.quizzes.factories import make_test, module_with_test


@pytest.fixture
def quiz(home):
    """A staff member, a four-question test (pass mark 75 %) and the module holding it."""
    test = make_test(pass_mark=75)
    module = module_with_test(test)
    staff = learner()
    return staff, test, module
