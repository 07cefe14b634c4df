"""Automatic e-mails: the morning reminders and the managers' weekly digest.

Sending is claim-then-send. A run inserts one `Notice` per step with its own batch token,
ignoring rows whose key exists (another run, or an earlier day, has the step); the rows that
carry this run's token are exactly the steps this run may send. So two workers running the
same job at once never send a step twice, and a run killed halfway leaves its claimed rows
QUEUED, which a later run never sends again: a reminder goes out at most once.
E-mails go out over one connection, in batches.
"""

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext

from cms.addresses import absolute_url
from courses.models import DigestOptOut, ManagerResponsibility, Notice, NoticeKind, NoticeWording
from courses.reminder_rules import Kind, reminder_plan
from courses.selectors.learning import course_refresher
from courses.selectors.manager import staff_course_rows
from courses.selectors.notices import reminder_candidates, reminder_keys_sent
from courses.selectors.reminder_history import reminder_policy

logger = logging.getLogger(__name__)

SEND_BATCH = 500


@dataclass
class NoticeRun:
    claimed: int = 0
    sent: int = 0
    no_address: int = 0
    failed: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "claimed": self.claimed,
            "sent": self.sent,
            "no_address": self.no_address,
            "failed": self.failed,
            "by_kind": self.by_kind,
        }


def _default_wording(kind: str) -> tuple[str, str]:
    """Subject and opening text when coordinators have not written their own (in the active
    language)."""
    texts = {
        NoticeKind.DUE: (
            gettext("Training to complete soon"),
            gettext("This is a reminder of training that is required in your role."),
        ),
        NoticeKind.OVERDUE: (
            gettext("Required training is overdue"),
            gettext(
                "The date by which you should have completed this required training has passed."
            ),
        ),
        NoticeKind.EXPIRY: (
            gettext("Your certificate expires soon"),
            gettext("Your completion of this training expires soon. Take the refresher in time."),
        ),
        NoticeKind.DIGEST: (
            gettext("Weekly summary of your staff's training"),
            gettext("Here is what has changed in your staff's training."),
        ),
        NoticeKind.SESSION_REMINDER: (
            gettext("Reminder: your session tomorrow"),
            gettext("This is a reminder that you have a seat at this session tomorrow."),
        ),
        NoticeKind.SESSION_CANCELLED: (
            gettext("Session cancelled"),
            gettext("The session you registered for is cancelled and will not take place."),
        ),
        NoticeKind.SESSION_PROMOTED: (
            gettext("You have a seat"),
            gettext(
                "A seat became free and you have moved up from the waiting list. If you "
                "cannot come, please cancel so that someone else can have the seat."
            ),
        ),
        NoticeKind.SESSION_MOVED: (
            gettext("Session moved"),
            gettext("The session you registered for has a new time or place."),
        ),
    }
    return texts[kind]


def notice_wordings() -> dict[tuple[str, str], NoticeWording]:
    return {(w.kind, w.language): w for w in NoticeWording.objects.all()}


def notice_texts(*, kind: str, language: str, wordings=None) -> tuple[str, str]:
    """The subject and opening text of a kind of e-mail in `language`: the coordinators'
    own wording where they wrote one, else the built-in text."""
    wordings = notice_wordings() if wordings is None else wordings
    own = wordings.get((kind, language))
    if own is not None:
        return own.subject, own.intro
    with translation.override(language):
        return _default_wording(kind)


def staff_address(*, staff) -> str:
    return staff.email or (staff.user.email if staff.user_id and staff.user else "")


def notice_message(*, to: str, language: str, subject: str, template: str, context: dict):
    with translation.override(language):
        text = get_template(f"courses/email/{template}.txt").render(context)
        html = get_template(f"courses/email/{template}.html").render(context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def notices_deliver(*, messages: list[tuple[list[int], object]], run: NoticeRun) -> None:
    """Send (notice ids, message) pairs over one connection in batches; record the outcome."""
    connection = get_connection()
    for start in range(0, len(messages), SEND_BATCH):
        chunk = messages[start : start + SEND_BATCH]
        ids = [pk for pks, _m in chunk for pk in pks]
        try:
            connection.send_messages([m for _pks, m in chunk])
        except Exception:  # the mail server refused the batch: record it, go on
            logger.exception("sending %d notices failed", len(chunk))
            Notice.objects.filter(pk__in=ids).update(status=Notice.Status.FAILED)
            run.failed += len(ids)
            continue
        Notice.objects.filter(pk__in=ids).update(status=Notice.Status.SENT, sent_at=timezone.now())
        run.sent += len(ids)


def notices_claim(*, notices: list[Notice], token: str) -> dict[str, int]:
    """Insert the notices, skipping steps already recorded; the keys this run got, with ids."""
    Notice.objects.bulk_create(notices, ignore_conflicts=True, batch_size=1000)
    return dict(Notice.objects.filter(batch=token).values_list("key", "pk"))


def reminders_send_due(*, day: datetime.date | None = None) -> NoticeRun:
    """The morning job: every reminder step that begins for someone today, at most once."""
    day = day or timezone.localdate()
    policy = reminder_policy()
    sent = reminder_keys_sent(day=day, policy=policy)
    token = uuid.uuid4().hex
    planned: dict[tuple[int, str], list] = defaultdict(list)  # (staff, kind) -> items
    people = {}
    wordings = notice_wordings()
    subjects: dict[tuple[str, str], str] = {}
    notices = []
    for c in reminder_candidates(day=day):
        step, _next = reminder_plan(
            standing=c.standing,
            required=c.required,
            day=day,
            policy=policy,
            sent=sent,
            staff_id=c.staff.pk,
            course_id=c.course.pk,
        )
        if step is None:
            continue
        key = step.key(staff_id=c.staff.pk, course_id=c.course.pk)
        language = c.staff.language or settings.LANGUAGE_CODE
        if (step.kind, language) not in subjects:
            subjects[(step.kind, language)] = notice_texts(
                kind=step.kind, language=language, wordings=wordings
            )[0]
        notices.append(
            Notice(
                kind=step.kind,
                key=key,
                staff_id=c.staff.pk,
                course_id=c.course.pk,
                step=step.step,
                subject=subjects[(step.kind, language)],
                status=Notice.Status.QUEUED
                if staff_address(staff=c.staff)
                else Notice.Status.NO_ADDRESS,
                batch=token,
            )
        )
        people[c.staff.pk] = c.staff
        planned[(c.staff.pk, step.kind)].append((key, c.course, step))
    run = NoticeRun()
    if not notices:
        return run
    claimed = notices_claim(notices=notices, token=token)
    run.claimed = len(claimed)
    course_urls: dict[int, str] = {}
    messages = []
    for (staff_id, kind), items in planned.items():
        items = [item for item in items if item[0] in claimed]
        if not items:
            continue
        staff = people[staff_id]
        ids = [claimed[key] for key, _c, _s in items]
        address = staff_address(staff=staff)
        if not address:  # recorded as such when claimed
            run.no_address += len(ids)
            continue
        language = staff.language or settings.LANGUAGE_CODE
        subject, intro = notice_texts(kind=kind, language=language, wordings=wordings)
        rows = []
        for _key, course, step in items:
            # An expiring completion is renewed by the course's refresher.
            target = course_refresher(course=course) if kind == Kind.EXPIRY else course
            if target.pk not in course_urls:
                course_urls[target.pk] = absolute_url(path=target.url or "/")
            rows.append(
                {
                    "course": course,
                    "target": target,
                    "url": course_urls[target.pk],
                    "date": step.anchor,
                }
            )
        context = {
            "staff": staff,
            "intro": intro,
            "kind": kind,
            "rows": rows,
            "my_url": absolute_url(path="/my/"),
            "expiry": kind == Kind.EXPIRY,
        }
        messages.append(
            (
                ids,
                notice_message(
                    to=address,
                    language=language,
                    subject=subject,
                    template="reminder",
                    context=context,
                ),
            )
        )
        run.by_kind[kind] = run.by_kind.get(kind, 0) + len(ids)
    notices_deliver(messages=messages, run=run)
    return run


# ---------------------------------------------------------------------------- digest

DIGEST_EXPIRING = datetime.timedelta(days=30)
DIGEST_COMPLETED = datetime.timedelta(days=7)


def digest_content(*, user, day: datetime.date) -> dict:
    """What a manager's weekly digest says: who in their subtrees is overdue, whose
    completion expires within 30 days, and who completed in the last week."""
    overdue, expiring, completed = [], [], []
    for sr in staff_course_rows(user=user, as_of=day).iter_rows():
        for row in sr.rows:
            if row.overdue:
                overdue.append((sr.staff, row))
            elif row.trained and row.valid_until and row.valid_until <= day + DIGEST_EXPIRING:
                expiring.append((sr.staff, row))
            if row.completed_on and day - DIGEST_COMPLETED < row.completed_on <= day:
                completed.append((sr.staff, row))
    return {"overdue": overdue, "expiring": expiring, "completed": completed}


def digest_key(*, user_id: int, day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"digest:{user_id}:{year}-W{week:02d}"


def digests_send(*, day: datetime.date | None = None) -> NoticeRun:
    """The weekly digest to each manager who has something to hear and has not turned it
    off; at most once per manager and week."""
    day = day or timezone.localdate()
    run = NoticeRun()
    opted_out = set(DigestOptOut.objects.values_list("user_id", flat=True))
    managers = (
        ManagerResponsibility.objects.exclude(user_id__in=opted_out)
        .select_related("user__staff_member")  # the language of the digest
        .order_by("user_id")
        .distinct()
    )
    users = {r.user_id: r.user for r in managers}
    wordings = notice_wordings()
    messages = []
    for user_id, user in users.items():
        if not user.is_active or not user.email:
            continue
        content = digest_content(user=user, day=day)
        if not any(content.values()):
            continue
        language = settings.LANGUAGE_CODE
        staff = getattr(user, "staff_member", None)
        if staff is not None and staff.language:
            language = staff.language
        subject, intro = notice_texts(kind=NoticeKind.DIGEST, language=language, wordings=wordings)
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    kind=NoticeKind.DIGEST,
                    key=digest_key(user_id=user_id, day=day),
                    user=user,
                    step=digest_key(user_id=user_id, day=day).rsplit(":", 1)[1],
                    subject=subject,
                    batch=uuid.uuid4().hex,
                )
        except IntegrityError:
            continue  # this week's digest went out already
        run.claimed += 1
        context = {
            "user": user,
            "intro": intro,
            **content,
            "reports_url": absolute_url(path="/reports/"),
        }
        messages.append(
            (
                [notice.pk],
                notice_message(
                    to=user.email,
                    language=language,
                    subject=subject,
                    template="digest",
                    context=context,
                ),
            )
        )
    notices_deliver(messages=messages, run=run)
    run.by_kind[NoticeKind.DIGEST] = run.sent
    return run


def digest_opt_out_set(*, user, enabled: bool) -> None:
    """Turn one manager's weekly digest on (`enabled`) or off. Only the digest can be turned
    off: reminders to staff about required training have no such switch."""
    if enabled:
        DigestOptOut.objects.filter(user=user).delete()
    else:
        DigestOptOut.objects.get_or_create(user=user)
