"""Writes about a person make the learner pages kept for them stale (`cms.page_cache`).

Each app names the models whose rows a learner page shows about their person and how a row
leads to the person's account (courses' own in `PERSON_PATHS`), and connects their signals
in its `ready` with `learner_pages_connect`. A write that sends no signal
(`QuerySet.update`, `bulk_create`, `bulk_update`) calls `learner_pages_forget` itself
with the people it wrote about.
"""

from collections.abc import Iterable

from django.core.exceptions import ObjectDoesNotExist

from cms.page_cache import content_changed, people_changed
from courses.models import StaffMember

# How a row leads to its person's account: attributes followed from the row.
PERSON_PATHS: dict[str, str] = {
    "auth.User": "pk",
    "courses.StaffMember": "user_id",
    "courses.Placement": "staff.user_id",
    "courses.TargetGroupMember": "staff.user_id",
    "courses.ManagerResponsibility": "user_id",
    "courses.CoordinatorScope": "user_id",
    "courses.Enrolment": "staff.user_id",
    "courses.ModuleProgress": "enrolment.staff.user_id",
    "courses.Completion": "staff.user_id",
    "courses.Registration": "staff.user_id",
    "courses.Attendance": "staff.user_id",
    "courses.ReflectionAnswer": "staff.user_id",
    "courses.ScormAttempt": "staff.user_id",
    "courses.ScormScoData": "attempt.staff.user_id",
}

# Personal data that no learner page shows, so a write to it keeps their pages.
NOT_ON_LEARNER_PAGES: dict[str, str] = {
    "courses.ExternalAccount": "the link to a sign-in provider's account",
    "courses.HrImport": "who uploaded an HR file (the admin's)",
    "courses.Notice": "e-mails sent",
    "courses.Reminder": "reminders a manager sent",
    "courses.DigestOptOut": "a manager's choice about the weekly e-mail",
    "courses.FollowupFile": "a coordinator's follow-up files",
    "courses.FollowupSnapshot": "a coordinator's follow-up figures",
    "axes.AccessLog": "sign-ins",
    "axes.AccessFailureLog": "failed sign-ins",
    "axes.AccessAttempt": "failed sign-ins",
}

# Every model connected by `learner_pages_connect`, by label, with its path.
CONNECTED: dict[str, str] = {}

# Above this many people at once (an HR import), every kept page goes instead.
MANY_PEOPLE = 1000


def _user_id_of(row, path: str) -> int | None:
    value = row
    for name in path.split("."):
        try:
            value = getattr(value, name)
        except ObjectDoesNotExist:  # deleted with its person
            return None
        if value is None:
            return None
    return value


def learner_pages_connect(*, paths: dict[str, str]) -> None:
    """Each model (by label) forgets the kept pages of a row's person when the row is saved,
    and of the person it belonged to before when a save gives it to another (a staff record
    linked to another account); its path leads from a row to the account's id
    ("staff.user_id"). A deleted row makes every kept page stale: deletes are rare (an
    answer taken back, the retention job, an erasure) and often many at once, and no query
    is made for each of them."""
    from django.db.models.signals import post_delete, post_save, pre_save

    for label, path in paths.items():
        owner_in_query = path.replace(".", "__")

        def owner_before(sender, instance=None, raw=False, _owner=owner_in_query, **kwargs):
            if raw or instance._state.adding or instance.pk is None or _owner == "pk":
                return
            rows = sender._default_manager.filter(pk=instance.pk)
            instance._learner_pages_owner = rows.values_list(_owner, flat=True).first()

        def forget(sender, instance=None, _path=path, **kwargs):
            before = getattr(instance, "_learner_pages_owner", None)
            people_changed(user_ids=[_user_id_of(instance, _path), before])

        uid = f"learner-pages-{label}"
        pre_save.connect(owner_before, sender=label, weak=False, dispatch_uid=uid)
        post_save.connect(forget, sender=label, weak=False, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=label, weak=False, dispatch_uid=uid)
        CONNECTED[label] = path


def learner_pages_forget(
    *, staff_ids: Iterable[int] = (), user_ids: Iterable[int | None] = ()
) -> None:
    """Pages kept for these people (staff records or accounts) go."""
    staff_ids = set(staff_ids)
    user_ids = set(user_ids)
    if len(staff_ids) + len(user_ids) > MANY_PEOPLE:
        content_changed()
        return
    if staff_ids:
        user_ids |= set(
            StaffMember.objects.filter(pk__in=staff_ids, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
    people_changed(user_ids=user_ids)
