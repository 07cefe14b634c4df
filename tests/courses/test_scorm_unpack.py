"""Unpacking SCORM packages: good ones are read, hostile ones refused with nothing kept."""

import pytest
from django.core.files.storage import storages
from django.test import override_settings
from django.utils import translation

from courses.models import ScormPackageVersion
from courses.services.scorm import package_unpack
from tests.courses.scorm_factories import (
    PAGE,
    device_entry,
    manifest_12,
    manifest_2004,
    package_12_files,
    package_upload,
    symlink_entry,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The problems are asserted in English; a package's problems are stored in the
    language active when it was unpacked."""
    with translation.override("en"):
        yield


def _files_under(prefix: str) -> list[str]:
    storage = storages["private"]
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    return files + [f for folder in folders for f in _files_under(f"{prefix}{folder}/")]


def test_scorm_12_single_sco_is_read_and_unpacked():
    version = package_upload(zip_bytes(package_12_files(mastery=80)))
    assert version.status == ScormPackageVersion.Status.READY
    assert version.standard == "1.2"
    assert version.title == "Rapportering"
    assert version.scos == [
        {
            "identifier": "I1",
            "title": "Del 1",
            "launch": "index.html",
            "query": "",
            "mastery": 80.0,
            "kind": "sco",
        }
    ]
    assert version.assets == ["bild.svg", "imsmanifest.xml", "index.html"]
    assert version.size == len(PAGE) + len(b"<svg/>") + len(manifest_12(mastery=80))
    assert version.package.current_version == version
    with storages["private"].open(f"{version.content_prefix}index.html") as f:
        assert f.read() == PAGE


def test_scorm_2004_single_sco_with_mastery():
    data = zip_bytes({"imsmanifest.xml": manifest_2004(mastery=0.7), "index.html": PAGE})
    version = package_upload(data)
    assert version.status == "ready", version.problems
    assert version.standard == "2004-4"
    assert version.scos[0]["mastery"] == 0.7
    assert version.navigation == {"choice": True, "flow": True}


def test_scorm_2004_multi_sco_with_xml_base_and_flow_only():
    manifest = manifest_2004(
        items=(("A", "RA", "a/start.html"), ("B", "RB", "b/start.html?x=1")),
        base="content/",
        choice="false",
    )
    files = {
        "imsmanifest.xml": manifest,
        "content/a/start.html": PAGE,
        "content/b/start.html": PAGE,
    }
    version = package_upload(zip_bytes(files))
    assert version.status == "ready", version.problems
    assert [(s["identifier"], s["launch"], s["query"]) for s in version.scos] == [
        ("A", "content/a/start.html", ""),
        ("B", "content/b/start.html", "x=1"),
    ]
    assert version.navigation == {"choice": False, "flow": True}


def test_unsupported_sequencing_is_a_warning_not_silence():
    rules = (
        "<imsss:sequencingRules><imsss:preConditionRule/></imsss:sequencingRules>"
        "<imsss:rollupRules/>"
    )
    data = zip_bytes({"imsmanifest.xml": manifest_2004(extra_seq=rules), "index.html": PAGE})
    version = package_upload(data)
    assert version.status == "ready"
    text = " ".join(version.warnings)
    assert "sequencingRules" in text and "rollupRules" in text


def test_a_new_upload_replaces_the_current_version():
    first = package_upload(zip_bytes(package_12_files()))
    second = package_upload(zip_bytes(package_12_files(title="Ny")), package=first.package)
    first.package.refresh_from_db()
    assert second.number == 2
    assert first.package.current_version == second
    assert _files_under(first.content_prefix)  # older attempts keep their files


def test_upload_enqueues_the_unpack_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from courses.models import ScormPackage
        from courses.services.scorm import package_version_upload

        package = ScormPackage.objects.create(title="P")
        version = package_version_upload(
            package=package, upload=SimpleUploadedFile("p.zip", zip_bytes(package_12_files()))
        )
    version.refresh_from_db()
    assert version.status == "ready"


def test_unpacking_twice_changes_nothing():
    version = package_upload(zip_bytes(package_12_files()))
    assert package_unpack(version=version).status == "ready"
    assert sorted(_files_under(version.content_prefix)) == sorted(
        ["bild.svg", "imsmanifest.xml", "index.html"]
    )


HOSTILE = {
    "dot-dot": ({"../evil.html": PAGE}, (), "../evil.html"),
    "nested dot-dot": ({"a/../../evil.html": PAGE}, (), "a/../../evil.html"),
    "absolute": ({"/etc/evil.html": PAGE}, (), "/etc/evil.html"),
    "drive letter": ({"C:/evil.html": PAGE}, (), "C:/evil.html"),
    "backslash": ({"a\\evil.html": PAGE}, (), "a\\evil.html"),
    "symlink": ({}, (symlink_entry("link.html"),), "link.html"),
    "device": ({}, (device_entry("dev"),), "dev"),
    "case duplicates": ({"Index.html": PAGE, "INDEX.HTML": PAGE}, (), "INDEX.HTML"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_entries_are_refused_naming_the_entry(case):
    files, infos, entry = HOSTILE[case]
    data = zip_bytes({**package_12_files(), **files}, infos=infos)
    version = package_upload(data)
    assert version.status == ScormPackageVersion.Status.REFUSED
    assert any(entry in problem for problem in version.problems), version.problems
    assert not version.source
    assert _files_under(version.storage_prefix) == []


@override_settings(SCORM_MAX_ENTRIES=3)
def test_too_many_entries_are_refused():
    version = package_upload(zip_bytes({**package_12_files(), "extra.css": b""}))
    assert version.status == "refused"
    assert "4 entries" in version.problems[0]


@override_settings(SCORM_MAX_BYTES=1000)
def test_total_size_over_the_limit_is_refused():
    version = package_upload(zip_bytes({**package_12_files(), "big.bin": b"x" * 2000}))
    assert version.status == "refused"
    assert any("at most 1000" in p for p in version.problems)


@override_settings(SCORM_MAX_RATIO=10)
def test_a_zip_bomb_is_refused_by_its_ratio():
    version = package_upload(zip_bytes({**package_12_files(), "bomb.txt": b"\0" * 3_000_000}))
    assert version.status == "refused"
    assert any("bomb.txt" in p for p in version.problems)
    assert _files_under(version.storage_prefix) == []


def test_a_nested_zip_is_kept_as_a_file_not_unpacked():
    inner = zip_bytes({"inside.html": PAGE})
    version = package_upload(zip_bytes({**package_12_files(), "extra/inner.zip": inner}))
    assert version.status == "ready"
    assert "extra/inner.zip" in version.assets and "inside.html" not in version.assets
    assert any("inner.zip" in w for w in version.warnings)


def test_missing_manifest_is_refused():
    version = package_upload(zip_bytes({"index.html": PAGE}))
    assert version.status == "refused"
    assert "imsmanifest.xml" in version.problems[0]


def test_malformed_manifest_is_refused():
    version = package_upload(
        zip_bytes({"imsmanifest.xml": b"<manifest><oops>", "index.html": PAGE})
    )
    assert version.status == "refused"
    assert "well-formed" in version.problems[0]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE m [<!ENTITY x "boom">]>',
        '<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE m SYSTEM "http://example.com/evil.dtd">',
    ],
)
def test_entities_and_external_references_are_refused(doctype):
    manifest = manifest_12().replace(b"?>", f"?>{doctype}".encode(), 1)
    version = package_upload(zip_bytes({"imsmanifest.xml": manifest, "index.html": PAGE}))
    assert version.status == "refused"
    assert "DOCTYPE" in version.problems[0]


def test_a_launch_file_missing_from_the_package_is_refused():
    version = package_upload(zip_bytes({"imsmanifest.xml": manifest_12(href="start.html")}))
    assert version.status == "refused"
    assert "start.html" in " ".join(version.problems)


def test_a_launch_href_outside_the_package_is_refused():
    files = {"imsmanifest.xml": manifest_12(href="../index.html"), "index.html": PAGE}
    version = package_upload(zip_bytes(files))
    assert version.status == "refused"


def test_not_a_zip_is_refused():
    version = package_upload(b"this is not a zip")
    assert version.status == "refused"
    assert not version.source
