"""Read a PDF's accessibility structure (PDF/UA) with pypdf, for the tests of every PDF."""

import io
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass
class PdfStructure:
    lang: str | None
    title: str | None
    display_doc_title: bool
    xmp: str
    # Every structure element's type, in reading order (a depth-first walk of the tree).
    tags: list[str] = field(default_factory=list)
    # The /Alt text of every Figure, in reading order (None where a figure has none).
    figure_alts: list[str | None] = field(default_factory=list)
    # For each Table: the types of its cells (TH, TD), in reading order.
    table_cells: list[list[str]] = field(default_factory=list)


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
    items = kids if isinstance(kids, ArrayObject) else [kids]
    found = []
    for item in items:
        item = item.get_object() if isinstance(item, IndirectObject) else item
        if isinstance(item, DictionaryObject) and "/S" in item:
            found.append(item)
    return found


def _walk(element, structure: PdfStructure, table: list[str] | None) -> None:
    tag = str(element["/S"]).lstrip("/")
    structure.tags.append(tag)
    if tag == "Figure":
        alt = element.get("/Alt")
        structure.figure_alts.append(str(alt) if alt is not None else None)
    if tag == "Table":
        table = []
        structure.table_cells.append(table)
    elif tag in ("TH", "TD") and table is not None:
        table.append(tag)
    for kid in _kids(element):
        _walk(kid, structure, table)


def pdf_structure(data: bytes) -> PdfStructure:
    """The language, title, viewer preference, XMP and structure tree of a PDF."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    lang = root.get("/Lang")
    preferences = root.get("/ViewerPreferences")
    preferences = preferences.get_object() if preferences is not None else {}
    xmp = reader.xmp_metadata
    structure = PdfStructure(
        lang=str(lang) if lang is not None else None,
        title=(reader.metadata or {}).get("/Title"),
        display_doc_title=bool(preferences.get("/DisplayDocTitle", False)),
        xmp=xmp.stream.get_data().decode() if xmp is not None else "",
    )
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return structure
    for element in _kids(tree.get_object()):
        _walk(element, structure, None)
    return structure


def xmp_declares(xmp: str, name: str, value: str) -> bool:
    """Whether the XMP metadata sets `name` (e.g. pdfuaid:part) to `value`, as an element or
    as an attribute (both are valid RDF)."""
    return f"<{name}>{value}</{name}>" in xmp or f'{name}="{value}"' in xmp
