"""The permission matrix: every URL pattern of the project, requested with GET by each role.

`tests/permission_matrix_table.py` declares who may open what. This test walks Django's
resolver, fills each pattern's parameters with real ids from the demo (`seed_demo`, once for
the module), requests every URL as each of the eight roles and compares the answers with the
table. A pattern no row of the table covers fails the test; so does a 5xx for anyone.

`pytest tests/test_permission_matrix.py -s` prints the counts.
"""

import datetime
import io
import logging
import re
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from tests import permission_matrix_table as table

ROLES = table.ROLES

# ---------------------------------------------------------------------------- the URL patterns


class Pattern:
    """One URL pattern: its route (joined over its includes), name and parameter names."""

    def __init__(self, route: str, name: str | None, params: tuple[str, ...]):
        self.route, self.name, self.params = route, name, params
        self.namespace = name.rpartition(":")[0] if name else ""

    def __str__(self):
        return f"{self.name or '(no name)'}  {self.route}"


def _params(pattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):  # path()
        return tuple(pattern.converters)
    regex = pattern.regex  # re_path(): unnamed groups are numbered
    return (*regex.groupindex, *(f"#{n}" for n in range(regex.groups - len(regex.groupindex))))


def url_patterns(resolver=None, route="", namespace="", params=()):
    """Every URLPattern under the root resolver, with its full route, name and parameters."""
    for entry in (resolver or get_resolver()).url_patterns:
        full, own = route + str(entry.pattern), _params(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, full, ns, (*params, *own))
        elif isinstance(entry, URLPattern):
            yield Pattern(full, f"{namespace}{entry.name}" if entry.name else None, (*params, *own))


# ---------------------------------------------------------------------------- the demo world


def build_world() -> dict:
    """The roles' users, and the objects the URL parameters are filled with."""
    from django.utils import timezone as tz
    from django_tasks_db.models import DBTaskResult
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection, PageViewRestriction, Task, Workflow
    from wagtailmedia.models import get_media_model

    from certificates.models import Certificate
    from certificates.services import certificates_issue_missing
    from cms.models import HomePage, LecturePage
    from courses.models import CoursePage, ManagerResponsibility, ModulePage, StaffMember, Unit
    from courses.services.learning import completion_record

    # A failed background task, for the coordinators' list of them.
    DBTaskResult.objects.create(
        status="FAILED",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="courses.tasks.reminders_daily_task",
        backend_name="default",
        run_after=tz.now(),
        exception_class_path="builtins.RuntimeError",
        traceback="RuntimeError: mail server down",
    )
    from quizzes import services as quizzes
    from quizzes.models import EvaluationPoll, KnowledgeTest
    from quizzes.selectors import module_test_ids

    users = {role: get_user_model().objects.get(username=name) for role, name in table.USERS}
    # Manager of another unit: the preschools, and (on purpose) no staff record of their own.
    other = get_user_model().objects.create(username="chef-forskola")
    other.groups.set(users["manager"].groups.filter(name="Chefer"))
    ManagerResponsibility.objects.create(user=other, unit=Unit.objects.get(code="HL-FSK"))
    users["manager_other"] = other

    staff, staff_other = (StaffMember.objects.get(user=users[r]) for r in ("staff", "staff_other"))
    course = CoursePage.objects.live().get(slug="grundutbildning")
    for person in (staff, staff_other):
        if not Certificate.objects.filter(completion__staff=person).exists():
            completion_record(
                staff=person, course=course, completed_on=datetime.date.today(), method="manual"
            )
    certificates_issue_missing()  # its signal waits for a commit that never comes here
    test = KnowledgeTest.objects.order_by("pk").first()
    module = next(m for m in ModulePage.objects.live() if test.pk in module_test_ids(module=m))
    attempt = quizzes.attempt_start(staff=staff, test=test, module=module)
    workflow = Workflow.objects.filter(active=True).first()
    workflow_state = workflow.start(course, users["admin"])
    collection = Collection.get_first_root_node().add_child(name="Arkiv")
    restriction = PageViewRestriction.objects.create(
        page=course.get_children().live().last(), restriction_type="password", password="x"
    )
    document = get_document_model().objects.order_by("pk").first()
    captions = next(d for d in get_document_model().objects.all() if d.file.name.endswith(".vtt"))
    image = get_image_model().objects.order_by("pk").first()
    from courses.services.followup import followup_file_render, followup_file_request

    followup = followup_file_request(period_code="2025", user=users["coordinator"])
    from courses.services.scorm import scorm_attempt_start

    scorm_module = ModulePage.objects.live().filter(completion_rule="scorm").first()
    scorm_attempt = scorm_attempt_start(staff=staff, module=scorm_module)
    from courses.reports.followup import period_parse
    from courses.services.followup import followup_adopt
    from courses.services.retention import retention_run

    retention_run()  # a dry run: one row in the retention log
    from django.utils import timezone

    from courses.models import ExternalAccount, SignInRefusal

    ExternalAccount.objects.create(
        user=users["staff"],
        issuer="https://idp.example",
        subject="s-1",
        employee_key=staff.employee_number,
        last_signed_in_at=timezone.now(),
    )
    SignInRefusal.objects.create(reason=SignInRefusal.Reason.STATE)
    from courses.models import HrImport

    hr_import = HrImport.objects.create(
        source="admin", status="preview", staff_file_name="s.csv", effective_on=tz.localdate()
    )
    return {
        "hr_import": hr_import,
        "snapshot": followup_adopt(period=period_parse("2024-T3"), user=users["coordinator"]),
        "users": users,
        "staff": staff,
        "followup_file": followup_file_render(followup_id=followup.pk),
        "certificate": Certificate.objects.filter(completion__staff=staff).first(),
        "certificate_other": Certificate.objects.filter(completion__staff=staff_other).first(),
        "session": staff_other.session_registrations.get(status="registered").session,
        "course": course,
        "module": module,
        "test": test,
        "attempt": attempt,
        "scorm_attempt": scorm_attempt,
        "poll": EvaluationPoll.objects.first(),
        "lecture": LecturePage.objects.live().first(),
        "home": HomePage.objects.first(),
        "workflow": workflow,
        "workflow_state": workflow_state,
        "task_state": workflow_state.current_task_state,
        "task": Task.objects.first(),
        "collection": collection,
        "restriction": restriction,
        "document": document,
        "captions": captions,
        "image": image,
        "media": get_media_model().objects.order_by("pk").first(),
        "redirect": Redirect.objects.create(old_path="/gammal", redirect_link="/"),
        "unit": Unit.objects.get(code="HL-SO-BUM"),  # the manager's subtree
        "unit_other": Unit.objects.get(code="HL-FSK-HAG"),  # the other manager's
        "district_other": Unit.objects.get(code="SK"),  # not the district coordinator's
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo, built once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield build_world()
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------- filling the patterns


def samples(w) -> dict:
    """A value for each parameter name, and per pattern name (or namespace) where they differ."""
    from wagtail.models import CollectionViewRestriction

    from cms.models import SiteSettings

    page, doc = w["course"], w["document"]
    # fmt: off
    by_param = {
        "page_id": page.pk, "parent_page_id": page.pk, "page_pk": page.pk,
        "object_id": page.pk, "course_id": page.pk, "page_to_move_id": w["module"].pk,
        "destination_id": w["home"].pk, "revision_id": page.latest_revision_id,
        "revision_id_a": "earliest", "revision_id_b": "latest",
        "task_state_id": w["task_state"].pk, "workflow_state_id": w["workflow_state"].pk,
        "action_name": "approve", "task_id": w["task"].pk, "workflow_pk": w["workflow"].pk,
        "document_id": doc.pk, "doc_id": doc.pk, "image_id": w["image"].pk,
        "media_id": w["media"].pk, "filter_spec": "max-165x165", "media_type": "video",
        "collection_id": w["collection"].pk, "redirect_id": w["redirect"].pk,
        "uploaded_file_id": 999999, "session_id": 999999,  # POST-only views: 405 first
        "page_view_restriction_id": w["restriction"].pk, "uidb64": "MQ", "token": "x-y",
        "content_type_app_name": "courses", "content_type_model_name": "coursepage",
        "app_label": "courses", "model_name": "coursepage", "module_id": w["module"].pk,
        "test_id": w["test"].pk, "attempt_id": w["attempt"].pk, "poll_id": w["poll"].pk,
        "block_id": "reflection", "code": w["certificate"].code, "path": w["image"].file.name,
    }
    # fmt: on
    restriction = CollectionViewRestriction.objects.create(
        collection=w["collection"], restriction_type="password", password="x"
    )
    by_name = {
        "lecture_viewed": {"pk": w["lecture"].pk},
        "captions": {"document_id": w["captions"].pk},
        "wagtaildocs_serve": {"#0": doc.pk, "#1": doc.filename},
        "wagtaildocs_authenticate_with_password": {"restriction_id": restriction.pk},
        "courses": {"pk": w["session"].pk},
        "certificates:download": {"pk": w["certificate"].pk},
        "courses:followup_file": {"pk": w["followup_file"].pk},
        "courses:scorm_file": {"attempt_id": w["scorm_attempt"].pk, "path": "index.html"},
        "courses:scorm_commit": {"attempt_id": w["scorm_attempt"].pk},
        "courses:followup_snapshot_pdf": {"pk": w["snapshot"].pk},
        "wagtailadmin_pages:add": {"parent_page_id": page.get_parent().pk},
        "wagtailadmin_pages:revisions_compare": {"pk": page.pk},
        "wagtailadmin_workflows": {"pk": w["workflow"].pk},
        "wagtailadmin_workflows:add_task": {
            "app_label": "wagtailcore",
            "model_name": "groupapprovaltask",
        },
        "wagtailadmin_workflows:edit_task": {"pk": w["task"].pk},
        "wagtailadmin_workflows:disable_task": {"pk": w["task"].pk},
        "wagtailadmin_workflows:enable_task": {"pk": w["task"].pk},
        "wagtailadmin_collections": {"pk": w["collection"].pk},
        "wagtailsettings": {
            "app_name": "cms",
            "model_name": "sitesettings",
            "pk": SiteSettings.objects.get().site_id,  # site settings are addressed by site
        },
        "wagtailadmin_tag_model_autocomplete": {"app_name": "wagtailimages", "model_name": "image"},
        "wagtailadmin_editing_sessions:ping": {"app_label": "wagtailcore", "model_name": "page"},
        "wagtailadmin_api:pages": {"pk": page.pk},
        "wagtailadmin_api:documents": {"pk": doc.pk},
        "wagtailadmin_api:images": {"pk": w["image"].pk},
        "wagtailusers_users": {"pk": w["users"]["staff"].pk},
        "hr_import": {"pk": w["hr_import"].pk},
        # A unit in the district coordinator's scope (the first by pk is the city's root).
        "wagtailsnippets_courses_unit": {"pk": w["unit"].pk},
    }
    for viewset in model_viewsets():  # Wagtail's and ours: snippets, users, groups, sites...
        if viewset.url_namespace not in by_name:
            first = model_of(viewset).objects.order_by("pk").first()
            if first is not None:
                by_name[viewset.url_namespace] = {"pk": first.pk}
                chooser = getattr(viewset, "chooser_viewset", None)
                if chooser is not None:
                    by_name[chooser.url_namespace] = {"pk": first.pk}
    return {"param": by_param, "name": by_name}


def model_viewsets():
    """The admin's model viewsets that have URLs of their own (snippets, users, sites...)."""
    from wagtail.admin.viewsets import viewsets

    for viewset in viewsets.viewsets:
        if getattr(viewset, "model", None) is not None and getattr(viewset, "name", None):
            yield viewset


def model_of(viewset):
    from django.apps import apps

    model = viewset.model
    return apps.get_model(model) if isinstance(model, str) else model


def _values_for(pattern: Pattern, s: dict) -> dict | None:
    values = {}
    for param in pattern.params:
        for key in (pattern.name, pattern.namespace, pattern.namespace.partition(":")[0]):
            if key and param in s["name"].get(key, {}):
                values[param] = s["name"][key][param]
                break
        else:
            if param not in s["param"]:
                return None
            values[param] = s["param"][param]
    return values


def _page_urls(w) -> list[str]:
    """The catch-all serves the page tree: one live page of each type (not the private one)."""
    from wagtail.models import Page

    first_of_type = {}
    for page in Page.objects.live().exclude(pk=w["restriction"].page_id).order_by("path"):
        first_of_type.setdefault(page.content_type_id, page)
    return [page.url for page in first_of_type.values() if page.url]


def _bulk_urls(w) -> list[str]:
    """Every registered bulk action of every model, on one object of the model."""
    from django.apps import apps
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry as registry

    registry._scan_for_bulk_actions()
    urls = []
    for app_label, models in registry.actions.items():
        for model_name, actions in models.items():
            model = apps.get_model(app_label, model_name)
            first = model.objects.order_by("pk").first()
            for action in actions:
                urls.append(f"/admin/bulk/{app_label}/{model_name}/{action}/?id={first.pk}")
    return urls


def urls_for(pattern: Pattern, w, s) -> list[str] | None:
    """The concrete URLs that stand for a pattern, or None if its parameters have no value."""
    special = {
        "wagtail_serve": lambda: _page_urls(w),
        "wagtail_bulk_action": lambda: _bulk_urls(w),
        # One format each: the formats share the view and its checks (PDFs are slow to draw).
        "courses:coverage_export": lambda: ["/reports/coverage/export/csv/"],
        "courses:manager_export": lambda: ["/reports/export.csv"],
        "courses:session_roster_export": lambda: [
            f"/sessions/{w['session'].pk}/roster/export/?export=csv"
        ],
        "courses:followup_xlsx": lambda: ["/reports/coverage/followup/xlsx/?period=2025"],
    }
    if pattern.name in special:
        return special[pattern.name]()
    if pattern.name is None:  # the few unnamed ones: a sample path for each
        return [table.UNNAMED_SAMPLES[pattern.route].format(**s["param"])]
    values = _values_for(pattern, s)
    if values is None:
        return None
    numbered = [values.pop(p) for p in pattern.params if p.startswith("#")]
    url = reverse(pattern.name, args=numbered) if numbered else reverse(pattern.name, kwargs=values)
    urls = [url]
    # A listing's spreadsheet export is a URL of its own for the matrix.
    for viewset in model_viewsets():
        if pattern.name == f"{viewset.url_namespace}:list" and getattr(viewset, "list_export", 0):
            urls.append(f"{url}?export=csv")
    return urls


# ---------------------------------------------------------------------------- the table


def rule_for(pattern: Pattern, url: str | None):
    """The table's first rule for this pattern or URL: (roles ok, why), or None."""
    for match, ok, why in table.RULES:
        hit = re.match(match, url or "") if match.startswith("/") else match == pattern.name
        if hit:
            return ok, why
    return None


def requests_to_make(w) -> tuple[list, list[str], list[str]]:
    """(url, roles ok, why) for every pattern and scope check; the patterns with no rule;
    the skipped ones."""
    s = samples(w)
    todo, missing, skipped, routes = [], [], [], set()
    for pattern in url_patterns():
        if pattern.route in routes:  # shadowed by an earlier identical route: unreachable
            continue
        routes.add(pattern.route)
        urls = urls_for(pattern, w, s) or [None]
        for url in urls:
            rule = rule_for(pattern, url)
            if rule is None:
                missing.append(f"{pattern}  ({url or 'no sample values for its parameters'})")
            elif rule[0] is table.SKIP:
                skipped.append(f"{pattern}: {rule[1]}")
            else:
                todo.append((url, rule[0], rule[1]))
    scope = {
        "certificate_other": w["certificate_other"].pk,
        "unit": w["unit"].pk,
        "unit_other": w["unit_other"].pk,
        "unit_code": w["unit"].code,
        "unit_other_code": w["unit_other"].code,
        "district_other": w["district_other"].pk,
        "district_other_code": w["district_other"].code,
    }
    todo += [(url.format(**scope), ok, why) for url, ok, why in table.SCOPE_CHECKS]
    return todo, missing, skipped


# ---------------------------------------------------------------------------- requests


def outcome(response) -> str:
    """ "ok", "denied", "5xx" or the unexpected status."""
    from django.contrib.messages import ERROR

    status = response.status_code
    if status >= 500:
        return "5xx"
    if status in table.DENIED_STATUSES:
        return "denied"
    if 300 <= status < 400:
        target = urlsplit(response["Location"]).path
        if target in table.LOGIN_PATHS:
            return "denied"
        # Wagtail's permission_denied(): to the dashboard with an error message (one added
        # by this request, not one left over from an earlier refusal).
        added = getattr(response.wsgi_request._messages, "_queued_messages", [])
        if target == reverse("wagtailadmin_home") and any(m.level == ERROR for m in added):
            return "denied"
    return "ok" if status < 400 else f"status {status}"


@pytest.mark.django_db
def test_every_url_answers_each_role_as_the_table_says(world):
    todo, missing, skipped = requests_to_make(world)
    assert not missing, "URL patterns with no row in tests/permission_matrix_table.py:\n" + (
        "\n".join(missing)
    )
    started = time.monotonic()
    wrong = []
    quiet = logging.getLogger("django.request"), logging.getLogger("django.security")
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    try:
        for role in ROLES:
            cache.clear()  # rate limits count per window; each role starts afresh
            client = Client(raise_request_exception=False)
            if role != table.ANON:
                client.force_login(world["users"][role])
            for url, ok, why in todo:
                got = outcome(client.get(url))
                expected = "ok" if role in ok else "denied"
                if got != expected:
                    wrong.append(f"{role:<13} {url}  got {got}, expected {expected} ({why})")
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
    counts = (
        f"PERMISSION MATRIX: {len(todo)} URLs x {len(ROLES)} roles = "
        f"{len(todo) * len(ROLES)} requests in {time.monotonic() - started:.1f} s "
        f"({len(skipped)} skipped)"
    )
    print(f"\n{counts}")
    assert not wrong, f"{counts}; {len(wrong)} answers differ from the table:\n" + "\n".join(wrong)
