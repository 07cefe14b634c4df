"""Report sessions that say attending completes a course whose completion mode does not allow
it. Nothing is changed: such attendance no longer completes the course (the service obeys the
course), and a coordinator decides what the session should say."""

from django.db import migrations


def report(apps, schema_editor):
    Session = apps.get_model("courses", "Session")
    wrong = Session.objects.filter(completes_course=True, course__completion_mode="modules")
    rows = list(wrong.values_list("pk", "title", "course__title").order_by("pk"))
    if rows:
        print(
            f"\n  {len(rows)} session(s) say attending completes a course that completes by "
            "its modules only; attendance there will not complete the course. Untick "
            "'attending completes the course' or change the course's completion mode:"
        )
        for pk, title, course in rows:
            print(f"    session {pk}: {title} (course: {course})")


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_course_renewal_window_and_managers")]

    operations = [migrations.RunPython(report, migrations.RunPython.noop, elidable=True)]
