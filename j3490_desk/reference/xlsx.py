"""Just enough of the xlsx format to read the first sheet of CMS's HCPCS workbook.

Standard library only (an xlsx is a zip of XML), so the app needs no spreadsheet
dependency: rows come out as lists of cell text, empty cells as "", streamed with
iterparse so a large sheet is never held in memory whole.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element, iterparse, parse

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COLUMN = re.compile(r"[A-Z]+")


def is_xlsx(archive: zipfile.ZipFile) -> bool:
    return "xl/workbook.xml" in archive.namelist()


def first_sheet_path(archive: zipfile.ZipFile) -> str:
    with archive.open("xl/workbook.xml") as stream:
        sheet = parse(stream).getroot().find(f"{MAIN_NS}sheets/{MAIN_NS}sheet")
    if sheet is None:
        raise ValueError("workbook has no sheet")
    rel_id = sheet.get(f"{REL_NS}id")
    with archive.open("xl/_rels/workbook.xml.rels") as stream:
        for rel in parse(stream).getroot().iter(f"{PACKAGE_REL_NS}Relationship"):
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "")
                return (
                    target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                )
    raise ValueError("workbook's first sheet has no part")


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as stream:
        for _, element in iterparse(stream):
            if element.tag == f"{MAIN_NS}si":
                strings.append("".join(t.text or "" for t in element.iter(f"{MAIN_NS}t")))
                element.clear()
    return strings


def iter_rows(archive: zipfile.ZipFile) -> Iterator[list[str]]:
    """Rows of the first sheet; a row that skips cells gets "" in their places."""
    strings = shared_strings(archive)
    with archive.open(first_sheet_path(archive)) as stream:
        for _, element in iterparse(stream):
            if element.tag == f"{MAIN_NS}row":
                yield _row_values(element, strings)
                element.clear()


def _row_values(row: Element, strings: list[str]) -> list[str]:
    values: list[str] = []
    for cell in row.iter(f"{MAIN_NS}c"):
        reference = _COLUMN.match(cell.get("r", ""))
        if reference is not None:
            index = _column_index(reference.group())
            values.extend([""] * (index - len(values)))
        values.append(_cell_text(cell, strings))
    return values


def _cell_text(cell: Element, strings: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{MAIN_NS}t"))
    value = cell.findtext(f"{MAIN_NS}v") or ""
    if kind == "s" and value:
        return strings[int(value)]
    if kind == "n" and value.endswith(".0"):  # whole numbers (dates as 20251001) stored as float
        return value[:-2]
    return value


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - ord("A") + 1)
    return index - 1
