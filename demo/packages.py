"""Two SCORM packages built from the files in demo/scorm/ (a SCORM 1.2 and a SCORM 2004
version of the same two-page package on the action plan's reporting routine), unpacked as
an upload would be, and a course with a module for each."""

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from courses.models import CourseIndexPage, CoursePage, ModulePage, ScormPackage
from courses.services.scorm import package_unpack, package_version_upload

SOURCE = Path(__file__).resolve().parent / "scorm"
CONTENT = ("index.html", "rutin.js", "rutin.css")
# title, manifest, folder of the content inside the zip (the 2004 manifest's xml:base)
PACKAGES = (
    ("Rapporteringsrutinen (SCORM 1.2)", "imsmanifest-12.xml", ""),
    ("Rapporteringsrutinen (SCORM 2004)", "imsmanifest-2004.xml", "rapportering/"),
)
COURSE_SLUG = "rapporteringsrutinen"


def package_zip(*, manifest: str, folder: str) -> bytes:
    """The zip of one demo package, built from the repository's files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", (SOURCE / manifest).read_bytes())
        for name in CONTENT:
            zf.writestr(f"{folder}{name}", (SOURCE / "rapportering" / name).read_bytes())
    return buffer.getvalue()


def _package(title: str, manifest: str, folder: str) -> ScormPackage:
    package = ScormPackage.objects.filter(title=title).first()
    if package is None or package.current_version_id is None:
        package = package or ScormPackage.objects.create(title=title)
        data = package_zip(manifest=manifest, folder=folder)
        version = package_version_upload(
            package=package, upload=SimpleUploadedFile("paket.zip", data, "application/zip")
        )
        package_unpack(version=version)
        package.refresh_from_db()
    return package


@transaction.atomic
def seed_packages(*, stdout=None) -> None:
    index = CourseIndexPage.objects.filter(slug="utbildningar").first()
    if index is None:
        return
    packages = [_package(*spec) for spec in PACKAGES]
    course = CoursePage.objects.child_of(index).filter(slug=COURSE_SLUG).first()
    if course is None:
        course = CoursePage(
            title="Rapporteringsrutinen i handlingsplanen (e-learning)",
            slug=COURSE_SLUG,
            level=CoursePage.Level.BASIC,
            intro="<p>En kort e-learning om hur enheterna rapporterar till uppföljningen av "
            "handlingsplanen. Samma innehåll finns i två tekniska format.</p>",
            estimated_minutes=10,
            completion_mode=CoursePage.CompletionMode.MODULES,
        )
        index.add_child(instance=course)
        course.save_revision().publish()
    for n, package in enumerate(packages, 1):
        slug = f"paket-{n}"
        if ModulePage.objects.child_of(course).filter(slug=slug).exists():
            continue
        module = ModulePage(
            title=package.title,
            slug=slug,
            completion_rule=ModulePage.Rule.SCORM,
            scorm_package=package,
        )
        course.add_child(instance=module)
        module.save_revision().publish()
    if stdout:
        stdout.write("SCORM: two packages (1.2 and 2004) and a course taking them.")
