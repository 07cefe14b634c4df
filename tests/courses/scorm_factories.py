"""SCORM packages built in the tests: manifests, zips (hostile ones too) and modules."""

import io
import stat
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import ModulePage, ScormPackage
from courses.services.scorm import package_unpack, package_version_upload
from tests.factories import make_module

PAGE = b"<!doctype html><html lang='sv'><head><title>Sida</title></head><body>Hej</body></html>"


def manifest_12(*, href="index.html", mastery=None, title="Rapportering") -> bytes:
    mastery_el = f"<adlcp:masteryscore>{mastery}</adlcp:masteryscore>" if mastery else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M1" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG">
    <organization identifier="ORG"><title>{title}</title>
      <item identifier="I1" identifierref="R1"><title>Del 1</title>{mastery_el}</item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="{href}">
      <file href="{href}"/></resource>
  </resources>
</manifest>""".encode()


def manifest_2004(
    *, items=(("I1", "R1", "index.html"),), base="", mastery=None, extra_seq="", choice="true"
) -> bytes:
    seq = ""
    if mastery is not None:
        seq = (
            '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="P" '
            f'satisfiedByMeasure="true"><imsss:minNormalizedMeasure>{mastery}'
            "</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>"
            "</imsss:sequencing>"
        )
    item_xml = "".join(
        f'<item identifier="{i}" identifierref="{r}"><title>Del {n}</title>{seq}</item>'
        for n, (i, r, _h) in enumerate(items, 1)
    )
    resources = "".join(
        f'<resource identifier="{r}" type="webcontent" adlcp:scormType="sco" href="{h}"/>'
        for (_i, r, h) in items
    )
    base_attr = f' xml:base="{base}"' if base else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M2" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="ORG">
    <organization identifier="ORG"><title>Rapportering 2004</title>{item_xml}
      <imsss:sequencing><imsss:controlMode choice="{choice}" flow="true"/>{extra_seq}
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources{base_attr}>{resources}</resources>
</manifest>""".encode()


def zip_bytes(files: dict, *, infos=()) -> bytes:
    """A zip of `files` (name -> bytes) plus hand-made entries (ZipInfo, bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        for info, data in infos:
            zf.writestr(info, data)
    return buffer.getvalue()


def symlink_entry(name: str, target: str = "/etc/passwd"):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def device_entry(name: str):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFCHR | 0o600) << 16
    return info, b""


def package_12_files(**manifest) -> dict:
    return {"imsmanifest.xml": manifest_12(**manifest), "index.html": PAGE, "bild.svg": b"<svg/>"}


def package_upload(data: bytes, *, title="Paket", package=None, by=None):
    """Upload a zip as a (new) version and unpack it as the task would."""
    package = package or ScormPackage.objects.create(title=title)
    version = package_version_upload(
        package=package, upload=SimpleUploadedFile("p.zip", data), by=by
    )
    return package_unpack(version=version)


def scorm_module(course, data: bytes | None = None, **fields) -> ModulePage:
    version = package_upload(data or zip_bytes(package_12_files()))
    assert version.status == "ready", version.problems
    return make_module(course, rule=ModulePage.Rule.SCORM, scorm_package=version.package, **fields)
