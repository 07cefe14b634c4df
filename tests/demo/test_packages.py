"""The demo's SCORM packages are built from the repository's files and unpack cleanly."""

import pytest

from courses.models import ModulePage
from demo.packages import PACKAGES, package_zip, seed_packages
from tests.factories import course_index

pytestmark = pytest.mark.django_db


def test_demo_packages_unpack_and_make_a_course(home):
    course_index()
    seed_packages()
    seed_packages()  # idempotent
    modules = list(ModulePage.objects.filter(completion_rule="scorm"))
    assert len(modules) == len(PACKAGES) == 2
    standards = sorted(m.scorm_package.current_version.standard for m in modules)
    assert standards == ["1.2", "2004-4"]
    for module in modules:
        version = module.scorm_package.current_version
        assert version.status == "ready" and not version.warnings, version.problems
        assert version.scos[0]["mastery"] in {80.0, 0.8}


def test_the_2004_package_uses_xml_base():
    data = package_zip(manifest="imsmanifest-2004.xml", folder="rapportering/")
    assert b"rapportering/index.html" in data
