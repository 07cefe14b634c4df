"""Adopted follow-ups (fastställd): stored once, shown afterwards, never changed."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from courses.models import Completion, FollowupSnapshot, SnapshotImmutable
from courses.reports.followup import period_parse
from courses.services.followup import FollowupAdoptError, followup_adopt
from tests.factories import UserFactory
from tests.reports.factories import completion, staff

pytestmark = pytest.mark.django_db
PERIOD = "2025-T2"


def _page(client, period=PERIOD):
    return client.get(reverse("courses:followup"), {"period": period})


def _figures_of(html: str) -> str:
    return html.split('id="fu-course-table"')[1].split("</table>")[0]


def _adopt(client, period=PERIOD):
    return client.post(reverse("courses:followup_adopt"), {"period": period})


def test_adopt_then_change_the_data_and_the_adopted_figures_stay(org, coordinator):
    coordinator.first_name, coordinator.last_name = "Sara", "Samordnare"
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    before = _page(client)
    assert b"Adopt (fastst" in before.content or "Fastställ".encode() in before.content
    table = _figures_of(before.text)

    response = _adopt(client)
    assert response.status_code == 302
    snapshot = FollowupSnapshot.objects.get(period=PERIOD)
    assert snapshot.adopted_by == coordinator and snapshot.adopted_by_name == "Sara Samordnare"
    pdf_before = b"".join(
        client.get(reverse("courses:followup_snapshot_pdf", args=[snapshot.pk])).streaming_content
    )
    stored = (snapshot.figures, snapshot.rows)
    used = {row["pk"] for row in snapshot.rows["valid_on_as_of"]}
    assert used == set(
        Completion.objects.valid_on(datetime.date(2025, 8, 31)).values_list("pk", flat=True)
    )

    # Later: an import adds completions in the period, a correction withdraws one, and a
    # purge deletes another.
    for person in org["b"].staff.all():
        completion(person, org["course"], on=datetime.date(2025, 6, 1))
    first, second = Completion.objects.filter(staff__unit=org["a"]).order_by("pk")[:2]
    Completion.objects.filter(pk=first.pk).update(
        withdrawn_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    second.delete()

    after = _page(client)
    assert _figures_of(after.text) == table
    assert "Sara Samordnare" in after.text
    assert b"Adopt (fastst" not in after.content
    snapshot = FollowupSnapshot.objects.get(period=PERIOD)
    assert (snapshot.figures, snapshot.rows) == stored
    pdf_after = b"".join(
        client.get(reverse("courses:followup_snapshot_pdf", args=[snapshot.pk])).streaming_content
    )
    assert pdf_after == pdf_before
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_after)).pages)
    assert "Grundutbildning" in text
    # The XLSX of an adopted period is the adopted figures too, every unit.
    book = load_workbook(
        io.BytesIO(client.get(reverse("courses:followup_xlsx"), {"period": PERIOD}).content)
    )
    units = {r[1]: (r[5], r[6]) for r in list(book.worksheets[0].iter_rows(values_only=True))[4:]}
    assert units["B"] == (2, 0)  # B's later completions are not in the adopted figures


def test_the_snapshot_refuses_every_change_and_deletion(org, coordinator):
    snapshot = followup_adopt(period=period_parse(PERIOD), user=coordinator)
    snapshot.figures = {}
    with pytest.raises(SnapshotImmutable):
        snapshot.save()
    with pytest.raises(SnapshotImmutable):
        snapshot.delete()
    with pytest.raises(SnapshotImmutable):
        FollowupSnapshot.objects.filter(pk=snapshot.pk).update(figures={})
    with pytest.raises(SnapshotImmutable):
        FollowupSnapshot.objects.all().delete()
    assert FollowupSnapshot.objects.get().figures["period"] == PERIOD


def test_a_period_is_adopted_once_and_only_after_it_ended(org, coordinator):
    followup_adopt(period=period_parse(PERIOD), user=coordinator)
    with pytest.raises(FollowupAdoptError):
        followup_adopt(period=period_parse(PERIOD), user=coordinator)
    with pytest.raises(FollowupAdoptError):
        followup_adopt(
            period=period_parse("2025-T3"), user=coordinator, today=datetime.date(2025, 12, 31)
        )
    client = Client()
    client.force_login(coordinator)
    for period in (PERIOD, "2099-T1", "nonsense", ""):
        response = _adopt(client, period)
        assert response.status_code == 400, period
    assert FollowupSnapshot.objects.count() == 1


def test_only_coordinators_adopt_or_download(org, coordinator):
    snapshot = followup_adopt(period=period_parse(PERIOD), user=coordinator)
    staff_user = staff(org["a"], org["alla"], user=UserFactory()).user
    client = Client()
    client.force_login(staff_user)
    assert _adopt(client, "2025-T1").status_code == 404
    assert (
        client.get(reverse("courses:followup_snapshot_pdf", args=[snapshot.pk])).status_code == 404
    )
    assert FollowupSnapshot.objects.count() == 1


def test_the_admin_lists_snapshots_read_only(org, coordinator):
    snapshot = followup_adopt(period=period_parse(PERIOD), user=coordinator)
    client = Client()
    client.force_login(coordinator)
    listing = client.get("/admin/adopted-followups/")
    assert listing.status_code == 200 and PERIOD in listing.text
    assert client.get(f"/admin/adopted-followups/inspect/{snapshot.pk}/").status_code == 200
    for url in (
        f"/admin/adopted-followups/edit/{snapshot.pk}/",
        f"/admin/adopted-followups/delete/{snapshot.pk}/",
        "/admin/adopted-followups/new/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
