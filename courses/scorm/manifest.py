"""Reading a package's imsmanifest.xml: which SCOs run, in which order, launched from which
file, and what a learner must score.

Parsed with defusedxml: a DOCTYPE, entity or external reference is refused, never expanded
or fetched. Names are matched by their local part so that the namespace prefixes authoring
tools choose do not matter.
"""

import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# 2004 sequencing this service runs: the flow/choice of an organisation and an item's
# primary objective with a minimum normalised measure. Anything else is reported.
SUPPORTED_SEQUENCING = {
    "sequencing",
    "controlMode",
    "objectives",
    "primaryObjective",
    "minNormalizedMeasure",
    "mapInfo",
    "objective",
    "deliveryControls",
}
MAX_MANIFEST_BYTES = 5 * 1024 * 1024


class ManifestError(ValueError):
    pass


@dataclass
class Manifest:
    standard: str = ""
    title: str = ""
    scos: list[dict] = field(default_factory=list)
    navigation: dict = field(default_factory=lambda: {"choice": True, "flow": True})
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _child(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _attr(element, name: str, default: str = "") -> str:
    """An attribute by its local name, whatever its namespace (adlcp:scormtype...)."""
    lowered = name.lower()
    for key, value in element.attrib.items():
        if _local(key).lower() == lowered:
            return value
    return default


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _standard(root) -> str:
    metadata = _child(root, "metadata")
    version = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    if version == "1.2":
        return "1.2"
    if "4th" in version:
        return "2004-4"
    if "3rd" in version:
        return "2004-3"
    if version in {"CAM 1.3", "2004 2nd Edition"}:
        return "2004-2"
    namespaces = " ".join(str(e.tag) for e in root.iter())
    namespaces += " ".join(str(k) for e in root.iter() for k in e.attrib)
    if "adlcp_v1p3" in namespaces or "imsss" in namespaces:
        return "2004-3"
    if "adlcp_rootv1p2" in namespaces or "imscp_rootv1p1p2" in namespaces:
        return "1.2"
    return ""


def _join_base(*parts: str) -> str:
    """xml:base values and an href joined as relative URLs are."""
    path = ""
    for part in parts:
        if not part:
            continue
        if not path or path.endswith("/"):
            path = path + part
        else:
            path = posixpath.join(posixpath.dirname(path), part) if "/" in path else part
    return path


def launch_path(href: str) -> tuple[str, str]:
    """A launch href split into the package path it names and its query ("" if none).

    Raises ManifestError when it points at another host or outside the package.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        raise ManifestError(_("“%(href)s” points outside the package.") % {"href": href})
    path = unquote(parts.path)
    normal = posixpath.normpath(path) if path else ""
    if not normal or normal.startswith(("/", "..")) or "\\" in normal:
        raise ManifestError(_("“%(href)s” points outside the package.") % {"href": href})
    return normal, parts.query


def _sequencing_warnings(element, label: str) -> list[str]:
    warnings = []
    for node in element.iter():
        name = _local(node.tag)
        if node is element or not name:
            continue
        namespace = node.tag[1:].split("}")[0] if node.tag.startswith("{") else ""
        if "imsss" not in namespace and "adlseq" not in namespace:
            continue
        if name not in SUPPORTED_SEQUENCING:
            warnings.append(
                _(
                    "%(where)s uses the sequencing rule “%(rule)s”, which this service does "
                    "not run: its SCOs are offered in the manifest's order."
                )
                % {"where": label, "rule": name}
            )
    return warnings


def _mastery(item, standard: str) -> float | None:
    if standard == "1.2":
        raw = _text(_child(item, "masteryscore"))
        try:
            return float(raw) if raw else None
        except ValueError:
            return None
    sequencing = _child(item, "sequencing")
    objectives = _child(sequencing, "objectives") if sequencing is not None else None
    primary = _child(objectives, "primaryObjective") if objectives is not None else None
    if primary is None or _attr(primary, "satisfiedByMeasure").lower() != "true":
        return None
    try:
        return float(_text(_child(primary, "minNormalizedMeasure")) or "1.0")
    except ValueError:
        return None


def manifest_parse(data: bytes, *, files: set[str]) -> Manifest:
    """The manifest's meaning, with problems (refuse the package) and warnings (tell the
    editor). `files` are the package's file names, to check each launch file exists."""
    result = Manifest()
    if len(data) > MAX_MANIFEST_BYTES:
        result.problems.append(_("imsmanifest.xml is too large."))
        return result
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        result.problems.append(
            _("imsmanifest.xml declares a DOCTYPE, entities or external references.")
        )
        return result
    except SafeET.ParseError as error:
        result.problems.append(
            _("imsmanifest.xml is not well-formed XML: %(error)s") % {"error": error}
        )
        return result
    if _local(root.tag) != "manifest":
        result.problems.append(_("imsmanifest.xml has no <manifest> element."))
        return result
    result.standard = _standard(root)
    if not result.standard:
        result.problems.append(_("imsmanifest.xml does not say which SCORM version it uses."))
        return result

    resources_el = _child(root, "resources")
    resources = {}
    if resources_el is not None:
        base = _join_base(root.get(XML_BASE, ""), resources_el.get(XML_BASE, ""))
        for resource in _children(resources_el, "resource"):
            resources[resource.get("identifier", "")] = (
                resource,
                _join_base(base, resource.get(XML_BASE, "")),
            )

    organisations = _child(root, "organizations")
    all_orgs = _children(organisations, "organization") if organisations is not None else []
    default = organisations.get("default", "") if organisations is not None else ""
    organisation = next((o for o in all_orgs if o.get("identifier") == default), None)
    if organisation is None and all_orgs:
        organisation = all_orgs[0]
    if organisation is None:
        result.problems.append(_("imsmanifest.xml has no organisation of its items."))
        return result
    if len(all_orgs) > 1:
        result.warnings.append(
            _("The package has %(count)d organisations; only the default one is used.")
            % {"count": len(all_orgs)}
        )
    result.title = _text(_child(organisation, "title"))[:255]
    if result.standard != "1.2":
        sequencing = _child(organisation, "sequencing")
        if sequencing is not None:
            control = _child(sequencing, "controlMode")
            if control is not None:
                result.navigation = {
                    "choice": _attr(control, "choice", "true").lower() != "false",
                    "flow": _attr(control, "flow", "false").lower() == "true",
                }
            result.warnings += _sequencing_warnings(sequencing, result.title or _("The package"))
        if _child(root, "sequencingCollection") is not None:
            result.warnings.append(
                _("The manifest's shared sequencing collection is not run by this service.")
            )

    for item in organisation.iter():
        if _local(item.tag) != "item":
            continue
        title = _text(_child(item, "title")) or item.get("identifier", "")
        if result.standard != "1.2":
            for sequencing in _children(item, "sequencing"):
                result.warnings += _sequencing_warnings(sequencing, f"“{title}”")
        ref = item.get("identifierref")
        if not ref:
            continue
        if ref not in resources:
            result.problems.append(
                _("Item “%(item)s” refers to the resource “%(ref)s”, which is not in the manifest.")
                % {"item": title, "ref": ref}
            )
            continue
        resource, base = resources[ref]
        href = resource.get("href", "")
        if not href:
            result.problems.append(
                _("The resource “%(ref)s” of item “%(item)s” has no launch file (href).")
                % {"ref": ref, "item": title}
            )
            continue
        try:
            path, query = launch_path(_join_base(base, href))
        except ManifestError as error:
            result.problems.append(str(error))
            continue
        if path not in files:
            result.problems.append(
                _("The launch file “%(path)s” of item “%(item)s” is not in the package.")
                % {"path": path, "item": title}
            )
            continue
        parameters = item.get("parameters", "").lstrip("?&")
        query = "&".join(q for q in (query, parameters) if q)
        kind = _attr(resource, "scormtype", "asset").lower()
        result.scos.append(
            {
                "identifier": item.get("identifier", "")[:255],
                "title": title[:255],
                "launch": path,
                "query": query,
                "mastery": _mastery(item, result.standard),
                "kind": "sco" if kind == "sco" else "asset",
            }
        )
    if not any(sco["kind"] == "sco" for sco in result.scos):
        result.problems.append(_("The package's organisation has no SCO to launch."))
    identifiers = [sco["identifier"] for sco in result.scos]
    if len(set(identifiers)) != len(identifiers):
        result.problems.append(_("Two items of the manifest have the same identifier."))
    return result
