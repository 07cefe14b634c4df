import datetime

import pytest

from courses.roles import COORDINATOR
from tests.factories import UserFactory, manager_of
from tests.reports.factories import AS_OF, completion, small_organisation, staff


@pytest.fixture
def org(db):
    """ROOT > DEPT > A (2 of 3 trained), B (0 of 2); OTHER (1 of 1); one person gone."""
    org = small_organisation()
    course = org["course"]
    for i in range(3):
        person = staff(org["a"], org["alla"], last_name=f"Aström{i}")
        if i < 2:
            completion(person, course, on=AS_OF - datetime.timedelta(days=30 + i))
    for _ in range(2):
        staff(org["b"], org["alla"])
    completion(staff(org["other"], org["alla"]), course, on=AS_OF - datetime.timedelta(days=5))
    staff(org["a"], org["alla"], end=AS_OF - datetime.timedelta(days=1))
    return org


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=[COORDINATOR])


@pytest.fixture
def manager(org):
    return manager_of(org["dept"])
