"""Today's organisation becomes the first dated facts, so every figure stays what it was.

Each unit gets one version from SINCE with its name and parent; each person one placement
over their employment with their unit and title; each target group link becomes a named
membership from SINCE. Reading any day after this gives the same organisation as reading
the present fields did before (tests/courses/test_history_migration.py checks the figures).
"""

import datetime

from django.db import migrations

# Before any date a report accepts: the organisation as it was known had no history.
SINCE = datetime.date(1900, 1, 1)
BATCH = 2000


def forwards(apps, schema_editor):
    Unit = apps.get_model("courses", "Unit")
    UnitVersion = apps.get_model("courses", "UnitVersion")
    StaffMember = apps.get_model("courses", "StaffMember")
    Placement = apps.get_model("courses", "Placement")
    TargetGroupMember = apps.get_model("courses", "TargetGroupMember")
    Link = StaffMember.target_groups.through

    UnitVersion.objects.bulk_create(
        (
            UnitVersion(unit_id=pk, name=name, parent_id=parent_id, valid_from=SINCE)
            for pk, name, parent_id in Unit.objects.values_list("pk", "name", "parent_id")
        ),
        batch_size=BATCH,
    )
    Placement.objects.bulk_create(
        (
            Placement(
                staff_id=pk,
                unit_id=unit_id,
                title=title,
                title_key=" ".join(title.split()).casefold(),
                valid_from=start,
                valid_to=end,
            )
            for pk, unit_id, title, start, end in StaffMember.objects.values_list(
                "pk", "unit_id", "title", "employment_start", "employment_end"
            ).iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )
    TargetGroupMember.objects.bulk_create(
        (
            TargetGroupMember(group_id=group_id, staff_id=staff_id, valid_from=SINCE)
            for staff_id, group_id in Link.objects.values_list(
                "staffmember_id", "targetgroup_id"
            ).iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )


def backwards(apps, schema_editor):
    StaffMember = apps.get_model("courses", "StaffMember")
    TargetGroupMember = apps.get_model("courses", "TargetGroupMember")
    Link = StaffMember.target_groups.through
    Link.objects.bulk_create(
        (
            Link(staffmember_id=staff_id, targetgroup_id=group_id)
            for staff_id, group_id in TargetGroupMember.objects.filter(valid_to__isnull=True)
            .values_list("staff_id", "group_id")
            .distinct()
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    for model in ("TargetGroupMember", "Placement", "UnitVersion"):
        apps.get_model("courses", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0013_organisation_history")]

    operations = [migrations.RunPython(forwards, backwards)]
