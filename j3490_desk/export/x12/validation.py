"""Check an 837P before it is written: pyx12 against its 005010X222A1 map, then our own checks
where pyx12 is silent (it accepts a 10-digit or hyphenated NDC in LIN03, for instance).

Every problem names the claim (CLM01, our claim number), the service line (LX01) and the
element, in words a clerk can act on. pyx12 logs what it finds, with the values it read; that
would put patient data in a log, so its logger is silenced while it runs.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from j3490_desk.domain.noc_code import is_noc_code
from j3490_desk.export.x12.segments import COMPONENT, ELEMENT, TERMINATOR

NDC_DIGITS = 11


@dataclass(frozen=True)
class Problem:
    claim: str  # CLM01 ("" before the first claim: the envelope or the clinic)
    line: int | None  # LX01
    element: str  # "LIN03", "SE01", or a segment/loop name from pyx12
    message: str

    def __str__(self) -> str:
        where = [f"claim {self.claim}"] if self.claim else ["the file's header"]
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{', '.join(where)}, {self.element}: {self.message}"


@dataclass(frozen=True)
class _Segment:
    number: int  # 1-based line in the file (one segment per line)
    tag: str
    elements: tuple[str, ...]  # elements[0] is the tag's first element (e.g. LIN01)
    claim: str
    line: int | None

    def element(self, position: int) -> str:
        return self.elements[position - 1] if len(self.elements) >= position else ""


def validate_837p(text: str) -> list[Problem]:
    segments = list(_segments(text))
    return [*_pyx12_problems(text, segments), *_own_problems(segments)]


def _segments(text: str) -> Iterator[_Segment]:
    claim, line = "", None
    for number, raw in enumerate(text.split(TERMINATOR), start=1):
        raw = raw.strip()
        if not raw:
            continue
        tag, *elements = raw.split(ELEMENT)
        if tag == "HL":
            claim, line = "", None
        elif tag == "CLM":
            claim = elements[0] if elements else ""
        elif tag == "LX":
            line = int(elements[0]) if elements and elements[0].isdigit() else None
        yield _Segment(number, tag, tuple(elements), claim, line)


# --- pyx12 -------------------------------------------------------------------------------------


def _pyx12_problems(text: str, segments: list[_Segment]) -> list[Problem]:
    import pyx12.params  # loaded only when a file is checked: start-up stays quick
    import pyx12.x12n_document

    report = io.StringIO()
    logger = logging.getLogger("pyx12")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        pyx12.x12n_document.x12n_document(
            pyx12.params.params(), io.StringIO(text), None, None, None, fd_json=report
        )
    finally:
        logger.setLevel(level)
        logger.propagate = propagate
    by_line = {segment.number: segment for segment in segments}
    return list(_report_problems(json.loads(report.getvalue() or "{}"), by_line))


def _report_problems(node: Any, by_line: dict[int, _Segment]) -> Iterator[Problem]:
    """Walk pyx12's JSON report: interchanges > groups > transactions > segments > elements."""
    if isinstance(node, list):
        for item in node:
            yield from _report_problems(item, by_line)
        return
    if not isinstance(node, dict):
        return
    if "seg_id" in node:
        where = by_line.get(node.get("cur_line") or 0)
        claim, line = (where.claim, where.line) if where else ("", None)
        for error in node.get("errors", []):
            yield Problem(
                claim, line, f"{node['seg_id']} ({node.get('name', '')})", error["err_str"]
            )
        for element in node.get("elements", []):
            name = f"{node['seg_id']}{int(element['ele_pos']):02d}"
            for error in element.get("errors", []):
                yield Problem(claim, line, f"{name} ({element.get('name', '')})", error["err_str"])
        return
    for error in node.get("errors", []):  # ISA, GS or ST level: the file as a whole
        yield Problem("", None, "envelope", error["err_str"])
    for key in ("interchanges", "groups", "transactions", "segments"):
        yield from _report_problems(node.get(key, []), by_line)


# --- our own checks ----------------------------------------------------------------------------


def _own_problems(segments: list[_Segment]) -> Iterator[Problem]:
    yield from _drug_lines(segments)
    yield from _line_control_numbers(segments)
    yield from _counts(segments)


def _drug_lines(segments: list[_Segment]) -> Iterator[Problem]:
    service_lines: dict[tuple[str, int], list[_Segment]] = {}
    for segment in segments:
        if segment.line is not None and segment.tag not in ("SE", "GE", "IEA"):
            service_lines.setdefault((segment.claim, segment.line), []).append(segment)
    for (claim, line), members in service_lines.items():
        tags = {segment.tag: segment for segment in members}
        sv1 = tags.get("SV1")
        procedure = sv1.element(1).split(COMPONENT) if sv1 else []
        code = procedure[1] if len(procedure) > 1 else ""
        if is_noc_code(code) and not (len(procedure) > 6 and procedure[6].strip()):
            yield Problem(
                claim,
                line,
                "SV101-7",
                f"{code} is an unlisted (NOC) code and the line has no drug description; "
                "payers reject it. Enter the drug's name, dose and route.",
            )
        lin, ctp = tags.get("LIN"), tags.get("CTP")
        if lin is None or ctp is None:
            yield Problem(
                claim,
                line,
                "LIN/CTP",
                "The drug line has no NDC and quantity (2410). Enter the NDC, the NDC unit and "
                "the dose, so the 24A quantity can be built.",
            )
            continue
        ndc = lin.element(3)
        if lin.element(2) != "N4" or not (len(ndc) == NDC_DIGITS and ndc.isdigit()):
            yield Problem(
                claim,
                line,
                "LIN03",
                f"The NDC '{ndc}' is not 11 digits without hyphens (5-4-2, padded with zeros); "
                "clearinghouses reject any other form.",
            )
        try:
            quantity = Decimal(ctp.element(4))
        except InvalidOperation:
            quantity = Decimal(0)
        if not quantity > 0:
            yield Problem(
                claim,
                line,
                "CTP04",
                f"The NDC quantity '{ctp.element(4)}' must be greater than zero.",
            )


def _line_control_numbers(segments: list[_Segment]) -> Iterator[Problem]:
    seen: set[tuple[str, str]] = set()
    for segment in segments:
        if segment.tag == "REF" and segment.element(1) == "6R":
            key = (segment.claim, segment.element(2))
            if key in seen:
                yield Problem(
                    segment.claim,
                    segment.line,
                    "REF02 (6R)",
                    f"The line control number {key[1]} is used twice in the claim.",
                )
            seen.add(key)


def _counts(segments: list[_Segment]) -> Iterator[Problem]:
    tags = [segment.tag for segment in segments]
    by_tag = {segment.tag: segment for segment in segments}
    for tag in ("ISA", "GS", "ST", "SE", "GE", "IEA"):
        if tags.count(tag) != 1:
            yield Problem("", None, tag, f"The file must hold exactly one {tag} segment.")
            return
    isa, gs, st, se = by_tag["ISA"], by_tag["GS"], by_tag["ST"], by_tag["SE"]
    ge, iea = by_tag["GE"], by_tag["IEA"]
    counted = tags.index("SE") - tags.index("ST") + 1
    checks = (
        (
            se.element(1) == str(counted),
            "SE01",
            f"says {se.element(1)} segments; there are {counted}",
        ),
        (se.element(2) == st.element(2), "SE02", "does not repeat ST02's control number"),
        (ge.element(1) == "1", "GE01", "must count the one transaction"),
        (ge.element(2) == gs.element(6), "GE02", "does not repeat GS06's control number"),
        (iea.element(1) == "1", "IEA01", "must count the one group"),
        (iea.element(2) == isa.element(13), "IEA02", "does not repeat ISA13's control number"),
    )
    for ok, element, words in checks:
        if not ok:
            yield Problem("", None, element, f"The {element} {words}.")
