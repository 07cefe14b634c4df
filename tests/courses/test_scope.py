"""A manager sees exactly the staff of their subtrees: one selector decides it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import ManagerResponsibility, StaffMember, Unit, UnitVersion
from courses.roles import COORDINATOR
from courses.selectors.organisation import staff_visible_to, unit_subtree_ids, units_visible_to
from tests.factories import StaffMemberFactory, UnitFactory, UserFactory, manager_of


@pytest.mark.django_db
def test_manager_sees_the_subtree_and_nothing_else():
    root = UnitFactory(code="ROOT")
    dept = UnitFactory(code="D1", parent=root)
    unit_a = UnitFactory(code="A", parent=dept)
    unit_b = UnitFactory(code="B", parent=dept)
    other = UnitFactory(code="X", parent=root)
    inside = [StaffMemberFactory(unit=u) for u in (dept, unit_a, unit_b)]
    outside = [StaffMemberFactory(unit=other), StaffMemberFactory(unit=root)]

    manager = manager_of(dept)
    assert set(staff_visible_to(user=manager)) == set(inside)
    assert not set(staff_visible_to(user=manager)) & set(outside)
    assert set(units_visible_to(user=manager)) == {dept, unit_a, unit_b}


@pytest.mark.django_db
def test_manager_of_two_units_sees_both_subtrees():
    a, b, c = UnitFactory(), UnitFactory(), UnitFactory()
    staff = [StaffMemberFactory(unit=u) for u in (a, b, c)]
    manager = manager_of(a, c)
    assert set(staff_visible_to(user=manager)) == {staff[0], staff[2]}


@pytest.mark.django_db
def test_coordinator_sees_everyone_and_others_no_one():
    StaffMemberFactory.create_batch(3)
    assert staff_visible_to(user=UserFactory(roles=[COORDINATOR])).count() == 3
    assert staff_visible_to(user=UserFactory()).count() == 0
    assert staff_visible_to(user=AnonymousUser()).count() == 0


@st.composite
def trees(draw):
    """A random forest: parent index of unit i is one of the units before it, or none."""
    size = draw(st.integers(min_value=1, max_value=25))
    parents = [None]
    for i in range(1, size):
        parents.append(draw(st.one_of(st.none(), st.integers(min_value=0, max_value=i - 1))))
    managed = draw(st.sets(st.integers(min_value=0, max_value=size - 1), max_size=3))
    staff_units = draw(st.lists(st.integers(min_value=0, max_value=size - 1), max_size=40))
    return parents, managed, staff_units


def _descendants(parents, roots):
    result = set()
    for i in range(len(parents)):
        j = i
        while j is not None:
            if j in roots:
                result.add(i)
                break
            j = parents[j]
    return result


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(trees())
def test_scope_matches_a_brute_force_walk_up_the_tree(tree):
    parents, managed, staff_units = tree
    ManagerResponsibility.objects.all().delete()
    StaffMember.objects.all().delete()
    UnitVersion.objects.all().delete()
    Unit.objects.update(parent=None)
    Unit.objects.all().delete()
    units = []
    for i, parent in enumerate(parents):
        units.append(
            UnitFactory(
                code=f"R{i}", name=f"R{i}", parent=units[parent] if parent is not None else None
            )
        )
    staff = [StaffMemberFactory(unit=units[i]) for i in staff_units]
    manager = manager_of(*[units[i] for i in managed])

    expected_units = _descendants(parents, managed)
    expected = {s.pk for s, i in zip(staff, staff_units, strict=True) if i in expected_units}
    assert set(staff_visible_to(user=manager).values_list("pk", flat=True)) == expected
    assert unit_subtree_ids(unit_ids=[units[i].pk for i in managed]) == {
        units[i].pk for i in expected_units
    }
