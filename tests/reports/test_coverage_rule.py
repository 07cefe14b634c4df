"""The coverage rule (DESIGN.md), checked case by case and against a brute-force count."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import Completion, CoursePage, StaffMember, Unit, UnitVersion
from courses.reports.coverage import (
    coverage_by_course,
    coverage_by_target_group,
    coverage_tree,
    coverage_trees,
    coverage_trend,
    tree_totals,
)
from courses.reports.people import coverage_people, person_status
from tests.factories import StaffMemberFactory, TargetGroupFactory, UnitFactory, make_course
from tests.reports.factories import AS_OF, completion, small_organisation, staff

pytestmark = pytest.mark.django_db


def by_code(tree):
    return {n.code: n for n in tree}


def test_employment_dates_are_inclusive_on_both_ends():
    org = small_organisation()
    staff(org["a"], org["alla"], start=AS_OF)  # first day
    staff(org["a"], org["alla"], end=AS_OF)  # last day
    staff(org["a"], org["alla"], start=AS_OF + datetime.timedelta(days=1))  # not yet
    staff(org["a"], org["alla"], end=AS_OF - datetime.timedelta(days=1))  # gone
    tree = by_code(coverage_tree(course=org["course"], as_of=AS_OF))
    assert tree["A"].own_population == 2


def test_only_target_groups_the_course_is_required_for_count():
    org = small_organisation()
    staff(org["a"], org["alla"])
    staff(org["a"], org["larare"])  # not required for
    staff(org["a"])  # no group at all
    staff(org["a"], org["alla"], org["larare"])  # in two groups: counted once
    tree = by_code(coverage_tree(course=org["course"], as_of=AS_OF))
    assert tree["A"].own_population == 2


def test_trained_needs_a_completion_valid_on_the_day():
    org = small_organisation()
    course = org["course"]
    day = datetime.timedelta(days=1)
    fresh = staff(org["a"], org["alla"])
    completion(fresh, course, on=AS_OF)  # completed that very day
    lasting = staff(org["a"], org["alla"])
    completion(lasting, course, on=AS_OF - day * 400, valid_until=AS_OF)  # last valid day
    expired = staff(org["a"], org["alla"])
    completion(expired, course, on=AS_OF - day * 400, valid_until=AS_OF - day)
    future = staff(org["a"], org["alla"])
    completion(future, course, on=AS_OF + day)
    withdrawn = staff(org["a"], org["alla"])
    completion(withdrawn, course, on=AS_OF - day, withdrawn=True)
    other_course = make_course(required_for=[org["alla"]], title="Annan", slug="annan")
    elsewhere = staff(org["a"], org["alla"])
    completion(elsewhere, other_course, on=AS_OF - day)
    twice = staff(org["a"], org["alla"])  # two valid completions still count once
    completion(twice, course, on=AS_OF - day * 10)
    completion(twice, course, on=AS_OF - day * 5)

    node = by_code(coverage_tree(course=course, as_of=AS_OF))["A"]
    assert (node.own_population, node.own_trained) == (7, 3)
    statuses = {
        p.pk: person_status(p)
        for p in coverage_people(course=course, as_of=AS_OF, unit_ids=[org["a"].pk])
    }
    assert statuses[fresh.pk] == statuses[lasting.pk] == statuses[twice.pk] == "trained"
    assert statuses[expired.pk] == "expired"
    assert (
        statuses[future.pk] == statuses[withdrawn.pk] == statuses[elsewhere.pk] == ("not_trained")
    )


def test_subtree_totals_are_sums_not_averages_and_empty_is_none():
    org = small_organisation()
    course = org["course"]
    # A: 1 of 1 trained (100 %); B: 0 of 3 (0 %); the department: 1 of 4, not 50 %.
    completion(staff(org["a"], org["alla"]), course, on=AS_OF)
    for _ in range(3):
        staff(org["b"], org["alla"])
    staff(org["dept"], org["alla"])  # someone placed on the department itself
    tree = by_code(coverage_tree(course=course, as_of=AS_OF))
    assert (tree["DEPT"].population, tree["DEPT"].trained) == (5, 1)
    assert tree["DEPT"].coverage == pytest.approx(0.2)
    assert (tree["ROOT"].population, tree["ROOT"].trained) == (5, 1)
    assert tree["OTHER"].population == 0 and tree["OTHER"].coverage is None
    assert [n.code for n in coverage_tree(course=course, as_of=AS_OF)] == [
        "ROOT",
        "DEPT",
        "A",
        "B",
        "OTHER",
    ]
    assert tree_totals(list(tree.values())) == (5, 1)


def test_scope_and_root_unit_restrict_to_the_subtree():
    org = small_organisation()
    course = org["course"]
    completion(staff(org["a"], org["alla"]), course, on=AS_OF)
    staff(org["other"], org["alla"])
    # A scope names the roots of the subtrees one answers for.
    scoped = coverage_tree(course=course, as_of=AS_OF, units=[org["dept"].pk])
    assert [n.code for n in scoped] == ["DEPT", "A", "B"]
    assert scoped[0].parent_code == "ROOT" and scoped[0].depth == 0
    assert [n.code for n in coverage_tree(course=course, as_of=AS_OF, units=[org["a"].pk])] == ["A"]
    rooted = coverage_tree(course=course, as_of=AS_OF, root_unit=org["other"])
    assert [(n.code, n.population, n.trained) for n in rooted] == [("OTHER", 1, 0)]


def test_per_course_per_target_group_and_trend_agree_with_the_tree():
    org = small_organisation()
    course = org["course"]
    course.required_for.add(org["larare"])
    course.save_revision().publish()
    teacher = staff(org["a"], org["alla"], org["larare"])
    completion(teacher, course, on=AS_OF - datetime.timedelta(days=10))
    staff(org["b"], org["larare"])
    staff(org["b"], org["alla"])
    tree = coverage_tree(course=course, as_of=AS_OF)
    assert tree_totals(tree) == (3, 1)
    [totals] = [c for c in coverage_by_course(as_of=AS_OF) if c.key.pk == course.pk]
    assert (totals.population, totals.trained) == (3, 1)
    groups = {
        c.key.code: (c.population, c.trained)
        for c in coverage_by_target_group(course=course, as_of=AS_OF)
    }
    assert groups == {"alla": (2, 1), "larare": (2, 1)}
    trend = coverage_trend(course=course, as_of=AS_OF)
    assert len(trend) == 12 and trend[-1].key == AS_OF
    assert (trend[-1].population, trend[-1].trained) == (3, 1)
    assert (trend[-2].population, trend[-2].trained) == (3, 0)


# ---------------------------------------------------------------------------- brute force

DAY0 = datetime.date(2024, 1, 1)

people = st.lists(
    st.tuples(
        st.integers(0, 5),  # unit index
        st.integers(0, 60),  # employment start offset
        st.one_of(st.none(), st.integers(0, 60)),  # employment end offset (after start)
        st.sets(st.integers(0, 2), max_size=3),  # target groups
        st.lists(  # completions: course, completed offset, validity days, withdrawn
            st.tuples(
                st.integers(0, 1),
                st.integers(0, 60),
                st.one_of(st.none(), st.integers(0, 30)),
                st.booleans(),
            ),
            max_size=3,
        ),
    ),
    max_size=12,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parents=st.lists(st.integers(0, 5), min_size=5, max_size=5),
    people=people,
    required=st.lists(st.sets(st.integers(0, 2), max_size=3), min_size=2, max_size=2),
    day=st.integers(0, 90),
    scope_root=st.integers(0, 5),
)
def test_selector_matches_a_brute_force_count(parents, people, required, day, scope_root):
    as_of = DAY0 + datetime.timedelta(days=day)
    Completion.objects.all().delete()
    StaffMember.objects.all().delete()
    UnitVersion.objects.all().delete()
    Unit.objects.update(parent=None)
    Unit.objects.all().delete()
    CoursePage.required_for.through.objects.all().delete()
    groups = [TargetGroupFactory(code=f"g{i}") for i in range(3)]
    units = [UnitFactory(code="U0")]
    for i, parent in enumerate(parents, start=1):  # parent index < own index: a tree
        units.append(UnitFactory(code=f"U{i}", parent=units[parent % i]))
    courses = []
    for i, wanted in enumerate(required):
        # Pages are slow to make: one pair serves every example of this test.
        course = CoursePage.objects.filter(slug=f"kurs-{i}").first() or make_course(
            title=f"Kurs {i}", slug=f"kurs-{i}"
        )
        course.required_for.set([groups[g] for g in wanted])
        course.save()
        courses.append(course)
    records = []
    for unit_i, start, end, member_of, completions in people:
        person = StaffMemberFactory(
            unit=units[unit_i],
            target_groups=[groups[g] for g in member_of],
            employment_start=DAY0 + datetime.timedelta(days=start),
            employment_end=None if end is None else DAY0 + datetime.timedelta(days=start + end),
        )
        for course_i, done, valid_days, withdrawn in completions:
            completed_on = DAY0 + datetime.timedelta(days=done)
            completion(
                person,
                courses[course_i],
                on=completed_on,
                valid_until=None
                if valid_days is None
                else completed_on + datetime.timedelta(days=valid_days),
                withdrawn=withdrawn,
            )
        records.append((person, unit_i, member_of, completions))

    def subtree(i):
        found = {i}
        changed = True
        while changed:
            changed = False
            for j in range(1, len(units)):
                if parents[j - 1] % j in found and j not in found:
                    found.add(j)
                    changed = True
        return found

    for course_i, course in enumerate(courses):
        tree = by_code(coverage_tree(course=course, as_of=as_of))
        for unit_i, unit in enumerate(units):
            population = trained = 0
            for person, person_unit, member_of, completions in records:
                if person_unit not in subtree(unit_i):
                    continue
                if not person.is_employed_on(as_of) or not member_of & required[course_i]:
                    continue
                population += 1
                trained += any(
                    c == course_i
                    and not withdrawn
                    and DAY0 + datetime.timedelta(days=done) <= as_of
                    and (valid is None or DAY0 + datetime.timedelta(days=done + valid) >= as_of)
                    for c, done, valid, withdrawn in completions
                )
            node = tree[unit.code]
            assert (node.population, node.trained) == (population, trained), unit.code
            expected = trained / population if population else None
            assert node.coverage == expected
        # The trend counts each month's date by the same rule as the tree on that date.
        for point in coverage_trend(course=course, as_of=as_of, months=4):
            on_that_day = coverage_tree(course=course, as_of=point.key)
            assert (point.population, point.trained) == tree_totals(on_that_day), point.key
        # A subtree (as for --unit or a manager) must give its units the same numbers.
        scoped = coverage_tree(course=course, as_of=as_of, root_unit=units[scope_root])
        assert {n.code for n in scoped} == {units[i].code for i in subtree(scope_root)}
        for node in scoped:
            assert (node.population, node.trained) == (
                tree[node.code].population,
                tree[node.code].trained,
            )

    # Exports without --course and the follow-up ask for every course in one grouped query:
    # it must give each course the numbers of its own (brute-force checked) tree.
    together = coverage_trees(courses=courses, as_of=as_of)
    totals = {c.key.pk: c for c in coverage_by_course(as_of=as_of, courses=courses)}
    for course in courses:
        alone = coverage_tree(course=course, as_of=as_of)
        assert [(n.code, n.population, n.trained) for n in together[course.pk]] == [
            (n.code, n.population, n.trained) for n in alone
        ]
        assert (totals[course.pk].population, totals[course.pk].trained) == tree_totals(alone)


def test_scoped_counts_still_apply_every_rule_to_the_same_person():
    """Regression: the scope filter once joined the staff table a second time, so a person
    who had left was counted because a colleague in the same unit was employed."""
    org = small_organisation()
    course = org["course"]
    staff(org["a"], org["alla"])
    staff(org["a"], org["alla"], end=AS_OF - datetime.timedelta(days=1))
    staff(org["a"], org["larare"])
    for kwargs in ({"units": [org["a"].pk]}, {"root_unit": org["dept"]}):
        tree = by_code(coverage_tree(course=course, as_of=AS_OF, **kwargs))
        assert tree["A"].population == 1
        [point] = coverage_trend(course=course, as_of=AS_OF, months=1, **kwargs)
        assert point.population == 1
        [group] = coverage_by_target_group(course=course, as_of=AS_OF, **kwargs)
        assert group.population == 1


def test_coverage_by_kind_counts_each_kind_apart_and_leaves_out_kinds_with_nobody():
    from courses.reports.coverage import coverage_by_kind

    org = small_organisation()
    course = org["course"]
    other = make_course(required_for=[org["larare"]], title="Fördjupning", slug="fordjupning")
    kinds = StaffMember.Kind
    trained = staff(org["a"], org["alla"])
    completion(trained, course, on=AS_OF)
    staff(org["b"], org["alla"], org["larare"])
    elected = staff(org["a"], org["alla"], org["larare"], kind=kinds.ELECTED)
    completion(elected, other, on=AS_OF)
    staff(org["other"], org["alla"], kind=kinds.ELECTED)

    def figures(found):
        return {
            kind: [(c.key.slug, c.population, c.trained) for c in rows]
            for kind, rows in found.items()
        }

    everyone = [kinds.EMPLOYEE, kinds.ELECTED, kinds.PARTNER]
    # Two courses required for different groups, then one alone (one shared population).
    assert figures(coverage_by_kind(as_of=AS_OF, courses=[course, other], kinds=everyone)) == {
        kinds.EMPLOYEE: [("grund", 2, 1), ("fordjupning", 1, 0)],
        kinds.ELECTED: [("grund", 2, 0), ("fordjupning", 1, 1)],
    }
    assert figures(coverage_by_kind(as_of=AS_OF, courses=[course], kinds=everyone)) == {
        kinds.EMPLOYEE: [("grund", 2, 1)],
        kinds.ELECTED: [("grund", 2, 0)],
    }
    assert figures(
        coverage_by_kind(as_of=AS_OF, courses=[course], kinds=everyone, units=[org["dept"].pk])
    ) == {kinds.EMPLOYEE: [("grund", 2, 1)], kinds.ELECTED: [("grund", 1, 0)]}
