"""Mina uppgifter: every record about one person, by kind, for the page, JSON and PDF.

The kinds courses owns are listed here; quizzes and certificates add theirs through the
PERSONAL_DATA hook (courses.extension). Each kind reads its rows in one query.
"""

from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import extension
from courses.models import (
    Attendance,
    Completion,
    CoordinatorScope,
    DigestOptOut,
    Enrolment,
    ExternalAccount,
    FollowupFile,
    FollowupSnapshot,
    HrImport,
    ManagerResponsibility,
    ModuleProgress,
    Notice,
    Placement,
    ReflectionAnswer,
    Registration,
    Reminder,
    ScormAttempt,
    ScormScoData,
    StaffMember,
    TargetGroup,
    TargetGroupMember,
)
from courses.personal_data import Field, Kind, field, value_json, value_of, value_text
from courses.selectors.history import staff_groups_on


def _staff_rows(staff, user):
    if staff is None:
        return []
    return StaffMember.objects.filter(pk=staff.pk).select_related("unit")


def _account_rows(staff, user):
    return get_user_model().objects.filter(pk=user.pk)


def _by_staff(queryset, *related, order=("-pk",)):
    """rows(staff, user) reading `queryset` for the staff member, newest first."""

    def rows(staff, user):
        if staff is None:
            return []
        return queryset.filter(staff=staff).select_related(*related).order_by(*order)

    return rows


def _by_user(queryset, user_field, *related, order=("-pk",)):
    def rows(staff, user):
        return queryset.filter(**{user_field: user}).select_related(*related).order_by(*order)

    return rows


def _progress_rows(staff, user):
    if staff is None:
        return []
    return (
        ModuleProgress.objects.filter(enrolment__staff=staff)
        .select_related("enrolment__course", "module")
        .order_by("-updated_at")
    )


def _notice_rows(staff, user):
    mine = Q(user=user)
    if staff is not None:
        mine |= Q(staff=staff)
    return Notice.objects.filter(mine).select_related("course", "session").order_by("-created_at")


def _snapshot_rows(staff, user):
    if staff is None:
        return []
    return (
        FollowupSnapshot.objects.filter(people=staff)
        .only("period", "adopted_at", "adopted_by_name")
        .order_by("-period")
    )


def _scorm_data_rows(staff, user):
    if staff is None:
        return []
    return (
        ScormScoData.objects.filter(attempt__staff=staff)
        .select_related("attempt__module")
        .order_by("-updated_at")
    )


def _sign_ins(model):
    def rows(staff, user):
        return model.objects.filter(username=user.get_username()).order_by("-attempt_time")

    return rows


def _target_groups(staff) -> str:
    ids = staff_groups_on(staff=staff, day=timezone.localdate())
    return ", ".join(TargetGroup.objects.filter(pk__in=ids).values_list("name", flat=True))


def _provider_account_rows(staff, user):
    return ExternalAccount.objects.filter(user=user).prefetch_related("provider_roles")


def _provider_roles(account) -> str:
    return ", ".join(sorted(group.name for group in account.provider_roles.all()))


def person_name(user) -> str | None:
    """Who did something (recorded, sent): their name, or their username without one."""
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


SIGN_IN_FIELDS = (
    field("attempt_time", _("Time")),
    field("ip_address", _("IP address")),
    field("user_agent", _("Browser")),
    field("path_info", _("Address")),
)

COURSES_KINDS = [
    Kind(
        key="staff_record",
        title=_("Staff record"),
        models=(StaffMember,),
        rows=_staff_rows,
        fields=(
            field("full_name", _("Name")),
            field("employee_number", _("Employee number")),
            field("email", _("E-mail")),
            field("title", _("Title")),
            field("unit", _("Unit"), "unit.name"),
            field("unit_code", _("Unit code"), "unit.code"),
            field("target_groups", _("Target groups"), _target_groups),
            field("employment_start", _("Employment start")),
            field("employment_end", _("Employment end")),
            field("kind", _("Person kind"), "get_kind_display"),
            field("organisation", _("Organisation")),
            field("language", _("Preferred language"), "get_language_display"),
        ),
    ),
    Kind(
        key="placements",
        title=_("Your placements over time (from HR)"),
        models=(Placement,),
        rows=_by_staff(Placement.objects, "unit", order=("-valid_from",)),
        fields=(
            field("unit", _("Unit"), "unit.name"),
            field("title", _("Title")),
            field("valid_from", _("From")),
            field("valid_to", _("To")),
        ),
    ),
    Kind(
        key="group_memberships",
        title=_("Target groups you were named into"),
        models=(TargetGroupMember,),
        rows=_by_staff(TargetGroupMember.objects, "group", order=("-valid_from",)),
        fields=(
            field("group", _("Target group"), "group.name"),
            field("valid_from", _("From")),
            field("valid_to", _("To")),
        ),
    ),
    Kind(
        key="account",
        title=_("User account"),
        models=(get_user_model(),),
        rows=_account_rows,
        fields=(
            field("username", _("Username")),
            field("first_name", _("First name")),
            field("last_name", _("Last name")),
            field("email", _("E-mail")),
            field("date_joined", _("Created")),
            field("last_login", _("Last signed in")),
        ),
    ),
    Kind(
        key="provider_accounts",
        title=_("Accounts at the identity provider"),
        models=(ExternalAccount,),
        rows=_provider_account_rows,
        fields=(
            field("issuer", _("Identity provider")),
            field("subject", _("Subject at the provider")),
            field("employee_key", _("Employee number or e-mail the provider gave")),
            field("provider_roles", _("Roles from the provider"), _provider_roles),
            field("first_signed_in_at", _("First sign-in")),
            field("last_signed_in_at", _("Last sign-in")),
        ),
    ),
    Kind(
        key="manager_responsibilities",
        title=_("Units you are responsible for as a manager"),
        models=(ManagerResponsibility,),
        rows=_by_user(ManagerResponsibility.objects, "user", "unit"),
        fields=(
            field("unit", _("Unit"), "unit.name"),
            field("unit_code", _("Unit code"), "unit.code"),
        ),
    ),
    Kind(
        key="coordinator_scopes",
        title=_("Parts of the organisation you coordinate"),
        models=(CoordinatorScope,),
        rows=_by_user(CoordinatorScope.objects, "user", "unit"),
        fields=(
            field("unit", _("Unit"), "unit.name"),
            field("unit_code", _("Unit code"), "unit.code"),
        ),
    ),
    Kind(
        key="hr_imports",
        title=_("HR imports you ran"),
        models=(HrImport,),
        rows=_by_user(HrImport.objects, "created_by"),
        fields=(
            field("created_at", _("When")),
            field("staff_file_name", _("Staff file")),
            field("effective_on", _("Effective date")),
            field("status", _("Status"), "get_status_display"),
        ),
    ),
    Kind(
        key="enrolments",
        title=_("Enrolments"),
        models=(Enrolment,),
        rows=_by_staff(
            Enrolment.objects, "course", "last_module", "completion", order=("-started_at",)
        ),
        fields=(
            field("course", _("Course"), "course.title"),
            field("started_at", _("Started")),
            field("last_module", _("Last module"), "last_module.title"),
            field("completed_on", _("Completed on"), "completion.completed_on"),
        ),
    ),
    Kind(
        key="module_progress",
        title=_("Progress per module"),
        models=(ModuleProgress,),
        rows=_progress_rows,
        fields=(
            field("module", _("Module"), "module.title"),
            field("course", _("Course"), "enrolment.course.title"),
            field("video_position", _("Video watched (s)")),
            field("video_duration", _("Video duration (s)")),
            field("completed_at", _("Completed")),
        ),
    ),
    Kind(
        key="completions",
        title=_("Completions"),
        models=(Completion,),
        rows=_by_staff(
            Completion.objects, "course", "recorded_by", order=("-completed_on", "-recorded_at")
        ),
        fields=(
            field("course", _("Course"), "course.title"),
            field("completed_on", _("Completed on")),
            field("method", _("How"), "get_method_display"),
            field("recorded_by", _("Recorded by"), lambda c: person_name(c.recorded_by)),
            field("recorded_at", _("Recorded")),
            field("valid_until", _("Valid until")),
            field("withdrawn_at", _("Withdrawn")),
            field("note", _("Note")),
        ),
    ),
    Kind(
        key="registrations",
        title=_("Session registrations and waiting-list places"),
        models=(Registration,),
        rows=_by_staff(Registration.objects, "session", order=("-queued_at",)),
        fields=(
            field("session", _("Session"), "session"),
            field("status", _("Status"), "get_status_display"),
            field("queued_at", _("Registered at")),
            field("promoted_at", _("Moved up from the waiting list")),
            field("cancelled_at", _("Cancelled at")),
        ),
    ),
    Kind(
        key="attendance",
        title=_("Attendance at sessions"),
        models=(Attendance,),
        rows=_by_staff(Attendance.objects, "session", order=("-marked_at",)),
        fields=(
            field("session", _("Session"), "session"),
            field("status", _("Attendance"), "get_status_display"),
            field("walk_in", _("Walk-in")),
            field("checked_in_at", _("Checked in")),
            field("marked_at", _("Marked")),
        ),
    ),
    Kind(
        key="reflections",
        title=_("Your reflection answers"),
        models=(ReflectionAnswer,),
        rows=_by_staff(ReflectionAnswer.objects, "module", order=("-updated_at",)),
        fields=(
            field("module", _("Module"), "module.title"),
            field("text", _("Answer")),
            field("updated_at", _("Saved")),
        ),
    ),
    Kind(
        key="notices",
        title=_("E-mails sent to you automatically"),
        models=(Notice,),
        rows=_notice_rows,
        fields=(
            field("kind", _("Kind"), "get_kind_display"),
            field("subject", _("Subject")),
            field("course", _("Course"), "course.title"),
            field("session", _("Session"), "session"),
            field("status", _("Status"), "get_status_display"),
            field("created_at", _("Created")),
            field("sent_at", _("Sent")),
        ),
    ),
    Kind(
        key="reminders",
        title=_("Reminders from your manager"),
        models=(Reminder,),
        rows=_by_staff(Reminder.objects, "course", "sent_by", order=("-sent_at",)),
        fields=(
            field("course", _("Course"), "course.title"),
            field("sent_by", _("Sent by"), lambda r: person_name(r.sent_by)),
            field("sent_at", _("Sent")),
        ),
    ),
    Kind(
        key="digest_opt_out",
        title=_("Weekly summary turned off"),
        models=(DigestOptOut,),
        rows=_by_user(DigestOptOut.objects, "user"),
        fields=(field("created_at", _("Turned off")),),
    ),
    Kind(
        key="followup_files",
        title=_("Follow-up files you asked for"),
        models=(FollowupFile,),
        rows=_by_user(FollowupFile.objects, "requested_by"),
        fields=(
            field("period", _("Period")),
            field("requested_at", _("Requested")),
            field("status", _("Status"), "get_status_display"),
        ),
    ),
    Kind(
        key="followup_snapshots",
        title=_("Adopted follow-ups that hold your completions"),
        models=(FollowupSnapshot,),
        rows=_snapshot_rows,
        fields=(
            field("period", _("Period")),
            field("adopted_at", _("Adopted")),
            field("adopted_by", _("Adopted by"), "adopted_by_name"),
        ),
    ),
    Kind(
        key="scorm_attempts",
        title=_("E-learning package attempts"),
        models=(ScormAttempt,),
        rows=_by_staff(ScormAttempt.objects, "module", "version__package", order=("-started_at",)),
        fields=(
            field("module", _("Module"), "module.title"),
            field("package", _("Package"), "version"),
            field("started_at", _("Started")),
            field("completed_at", _("Completed")),
            field("failed", _("Not passed")),
            field("closed_at", _("Closed")),
            field("close_reason", _("Reason")),
        ),
    ),
    Kind(
        key="scorm_data",
        title=_("What e-learning packages recorded"),
        models=(ScormScoData,),
        rows=_scorm_data_rows,
        fields=(
            field("module", _("Module"), "attempt.module.title"),
            field("sco", _("Part")),
            field("completion_status", _("Status")),
            field("success_status", _("Result")),
            field("score_raw", _("Score")),
            field("score_scaled", _("Scaled score")),
            field("total_seconds", _("Time (s)")),
            field("location", _("Location")),
            field("suspend_data", _("Saved state")),
            field("interactions", _("Answers")),
            field("updated_at", _("Saved")),
        ),
    ),
    Kind(
        key="sign_ins",
        title=_("Sign-ins"),
        models=(AccessLog,),
        rows=_sign_ins(AccessLog),
        fields=(*SIGN_IN_FIELDS, field("logout_time", _("Signed out"))),
    ),
    Kind(
        key="failed_sign_ins",
        title=_("Failed sign-ins"),
        models=(AccessFailureLog,),
        rows=_sign_ins(AccessFailureLog),
        fields=(*SIGN_IN_FIELDS, field("locked_out", _("Locked out"))),
    ),
    Kind(
        key="sign_in_lockouts",
        title=_("Failed sign-ins counted towards a lock-out"),
        models=(AccessAttempt,),
        rows=_sign_ins(AccessAttempt),
        fields=(*SIGN_IN_FIELDS, field("failures_since_start", _("Failed sign-ins"))),
    ),
]


def personal_data_kinds() -> list[Kind]:
    """Every kind of record about a person: courses' own, then the other apps'."""
    return [*COURSES_KINDS, *extension.personal_data_kinds()]


@dataclass(frozen=True)
class KindData:
    kind: Kind
    # Each row: the raw values by field key, JSON-ready, and the same values as text.
    rows: list[dict]
    texts: list[list[str]]

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.kind.fields


def personal_data_collect(*, user, staff: StaffMember | None) -> list[KindData]:
    """Every record about the user (and their staff record) by kind, one query per kind."""
    result = []
    for kind in personal_data_kinds():
        rows, texts = [], []
        for obj in kind.rows(staff, user):
            values = [value_of(obj, f.path) for f in kind.fields]
            rows.append({f.key: value_json(v) for f, v in zip(kind.fields, values, strict=True)})
            texts.append([value_text(v) for v in values])
        result.append(KindData(kind=kind, rows=rows, texts=texts))
    return result


def personal_data_json(*, data: list[KindData]) -> dict:
    """The download: {kind key: {"title": ..., "records": [{field key: value}]}}."""
    return {item.kind.key: {"title": str(item.kind.title), "records": item.rows} for item in data}
