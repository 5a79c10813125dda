"""Read a payer's 835 file with pyx12: validated against the 005010X221A1 map pyx12 ships, and
walked loop by loop into `domain.remittance` data.

Why pyx12 and not our own segment loop: it knows the 835's loops (which CAS belongs to the
claim and which to a line), checks the envelope counts (SE01, GE01, IEA01) and the element
formats against the implementation guide's map, and reports each fault with its segment.

A file we cannot trust as a whole raises `RemittanceFileError` (exit 2, nothing posted): not
X12, not an 835 (an 837), another version, cut off before its trailers, or wrong counts.
Faults inside one claim's loop keep only that claim from posting; others are listed.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import pyx12.error_handler
import pyx12.error_visitor
import pyx12.errors
import pyx12.params
import pyx12.path
import pyx12.rawx12file
import pyx12.segment
import pyx12.x12context

from j3490_desk.domain.remittance import (
    IMPLEMENTATION_GUIDE,
    Adjustment,
    ClaimPayment,
    Payment,
    Problem,
    Remittance,
    ServicePayment,
)
from j3490_desk.errors import InvalidInputError

# pyx12 fails on some malformed files with a Python error rather than its own (a changed ISA
# delimiter, say; found by tests/remittance/test_reader.py's fuzz test): those files are damaged.
_PYX12_FAILURES = (
    pyx12.errors.X12Error,
    pyx12.errors.EngineError,
    IndexError,
    KeyError,
    ValueError,
    AttributeError,
    TypeError,
)

# pyx12 logs every validation error (with segment values: PHI) at ERROR level; we collect
# them from its error tree instead, and keep them out of the app's log.
logging.getLogger("pyx12").setLevel(logging.CRITICAL + 1)

_HINT = "Download the 835 (ERA) file again from the clearinghouse or payer portal."


class RemittanceFileError(InvalidInputError):
    """The file is not an 835 we can post from: nothing in it is posted."""


@dataclass
class _Fault:
    line: int
    segment: str
    message: str


@dataclass
class _Faults(pyx12.error_visitor.error_visitor):  # type: ignore[misc]
    """Collects pyx12's error tree: envelope faults (the file is damaged) apart from
    segment and element faults (placed by line number)."""

    envelope: list[str] = field(default_factory=list)
    segments: list[_Fault] = field(default_factory=list)

    def visit_isa_post(self, node: Any) -> None:
        self._envelope(node, "IEA")

    def visit_gs_post(self, node: Any) -> None:
        self._envelope(node, "GE")

    def visit_st_post(self, node: Any) -> None:
        self._envelope(node, "SE")

    def _envelope(self, node: Any, trailer: str) -> None:
        self.envelope.extend(message for _, message in node.errors)
        if not node.is_closed():
            self.envelope.append(f"the file ends before its {trailer} segment: it was cut off")

    def visit_seg(self, node: Any) -> None:
        where = f"{node.seg_id} (segment {node.seg_count})"
        messages = [message for _, message, _ in node.errors]
        messages += [message for e in node.elements for _, message, _ in e.errors]
        self.segments.extend(_Fault(node.get_cur_line(), where, m) for m in messages)


def read_remittance(content: bytes, name: str) -> Remittance:
    """The 835 in `content` (`name` for messages), or RemittanceFileError."""
    text = _text(content, name)
    _require_835(text, name)
    errors = pyx12.error_handler.err_handler()
    try:
        with pyx12.x12context.X12ContextReader(
            pyx12.params.params(), errors, io.StringIO(text)
        ) as reader:
            payments, claim_lines = _walk(reader.iter_segments("2100"))
    except (*_PYX12_FAILURES, _BadValue) as error:
        raise RemittanceFileError(f"{name} is damaged: {error}", _HINT) from error
    faults = _Faults()
    errors.accept(faults)
    if faults.envelope:
        raise RemittanceFileError(f"{name} is damaged: {'; '.join(faults.envelope)}.", _HINT)
    return _placed(payments, claim_lines, faults.segments)


# --- the envelope ------------------------------------------------------------------------------


def _text(content: bytes, name: str) -> str:
    try:
        text = content.decode("utf-8").lstrip("\ufeff \r\n\t")
    except UnicodeDecodeError as error:
        raise RemittanceFileError(f"{name} is not an X12 text file.", _HINT) from error
    if not text.startswith("ISA"):
        raise RemittanceFileError(
            f"{name} is not an X12 file: it does not start with an ISA segment.", _HINT
        )
    return text


def _require_835(text: str, name: str) -> None:
    """Every functional group must be a health care payment (GS01 HP) in 005010X221A1,
    checked before pyx12 loads a map for what the file claims to be. Only the GS segments
    are parsed here: the validating walk parses every segment next."""
    groups = 0
    try:
        raw = pyx12.rawx12file.RawX12File(io.StringIO(text))
        seg_term, ele_term, subele_term, _, _ = raw.get_term()
        for line in raw:
            if not line.lstrip().startswith(f"GS{ele_term}"):
                continue
            segment = pyx12.segment.Segment(line.lstrip(), seg_term, ele_term, subele_term)
            groups += 1
            kind, version = segment.get_value("GS01"), segment.get_value("GS08")
            if kind != "HP":
                raise RemittanceFileError(
                    f"{name} is not an 835 remittance: its functional group is '{kind}' "
                    "(an 837 claim is 'HC'; a remittance is 'HP').",
                    "Choose the ERA (835) file the payer sent, not a claim file.",
                )
            if version != IMPLEMENTATION_GUIDE:
                raise RemittanceFileError(
                    f"{name} is an 835 in version '{version}'; J3490 Desk reads "
                    f"{IMPLEMENTATION_GUIDE} (HIPAA 5010) only.",
                    "Ask the clearinghouse for the 5010 (005010X221A1) file.",
                )
    except _PYX12_FAILURES as error:
        raise RemittanceFileError(f"{name} is damaged: {error}", _HINT) from error
    if not groups:
        raise RemittanceFileError(f"{name} has no functional group (GS): it is damaged.", _HINT)


# --- walking the loops -------------------------------------------------------------------------


class _BadValue(Exception):
    """A value the walk cannot read (pyx12 has flagged its segment already)."""


@dataclass
class _PaymentDraft:
    payer: str = ""
    total: Decimal = Decimal("0")
    method: str = ""
    paid_on: date | None = None
    produced_on: date | None = None
    trace_number: str = ""
    claims: list[ClaimPayment] = field(default_factory=list)


def _walk(nodes: Iterator[Any]) -> tuple[list[Payment], list[tuple[int, int]]]:
    """Payments in file order, and each claim's first and last line numbers (file order)."""
    payments: list[Payment] = []
    lines: list[tuple[int, int]] = []
    current = _PaymentDraft()
    for node in nodes:
        if node.id == "2100":
            current.claims.append(_claim(node))
            numbers = [s.cur_line_number for s in _segments(node)]
            lines.append((min(numbers), max(numbers)))
            continue
        segment = node.seg_data
        seg_id = segment.get_seg_id()
        if seg_id == "ST":
            current = _PaymentDraft()
        elif seg_id == "BPR":
            current.total = _amount(_value(segment, "BPR02"))
            current.method = _value(segment, "BPR04") or ""
            current.paid_on = _date(_value(segment, "BPR16"))
        elif seg_id == "DTM" and _value(segment, "DTM01") == "405":
            current.produced_on = _date(_value(segment, "DTM02"))
        elif seg_id == "TRN":
            current.trace_number = _value(segment, "TRN02") or ""
        elif seg_id == "N1" and _value(segment, "N101") == "PR":
            current.payer = _value(segment, "N102") or ""
        elif seg_id == "SE":
            payments.append(
                Payment(
                    current.payer,
                    current.total,
                    current.method,
                    # the check or EFT date; when BPR16 is no date (pyx12 lists the fault),
                    # the day the payer produced the remittance (DTM*405) is the nearest fact
                    current.paid_on or current.produced_on,
                    current.trace_number,
                    tuple(current.claims),
                )
            )
    return payments, lines


def _segments(node: Any) -> Iterator[Any]:
    """The loop's segment nodes, in file order, its sub-loops' included."""
    for child in node.children:
        if child.type == "seg":
            yield child
        elif child.type == "loop":
            yield from _segments(child)


def _own_segments(node: Any) -> tuple[dict[str, list[Any]], list[Any]]:
    """This loop's own segments by id (not its sub-loops'), and its sub-loops, in file order:
    one pass over its children (a file of thousands of claims reads many loops)."""
    segments: dict[str, list[Any]] = {}
    loops = []
    for child in node.children:
        if child.type == "seg":
            segments.setdefault(child.seg_data.get_seg_id(), []).append(child.seg_data)
        elif child.type == "loop":
            loops.append(child)
    return segments, loops


# The designators read in a row, spelled once.
_MOA_REMARKS = tuple(f"MOA{n:02d}" for n in range(3, 8))  # MOA03-MOA07
_SVC_MODIFIERS = tuple(f"SVC01-{n}" for n in range(3, 7))  # SVC01-3 .. SVC01-6
_CAS_TRIPLES = tuple((f"CAS{n:02d}", f"CAS{n + 1:02d}") for n in range(2, 20, 3))  # reason, amount


def _claim(node: Any) -> ClaimPayment:
    segments, loops = _own_segments(node)
    clp = segments["CLP"][0]
    return ClaimPayment(
        claim_number=(_value(clp, "CLP01") or "").strip(),
        status_code=_value(clp, "CLP02") or "",
        charged=_amount(_value(clp, "CLP03")),
        paid=_amount(_value(clp, "CLP04")),
        patient_responsibility=_amount(_value(clp, "CLP05") or "0"),
        payer_claim_number=_value(clp, "CLP07") or "",
        segment=clp.format(),
        adjustments=_adjustments(segments.get("CAS", [])),
        remark_codes=tuple(
            code
            for segment in segments.get("MOA", [])
            for designator in _MOA_REMARKS
            if (code := _value(segment, designator) or "")
        ),
        services=tuple(_service(loop) for loop in loops if loop.id == "2110"),
    )


def _service(node: Any) -> ServicePayment:
    segments, _ = _own_segments(node)
    svc = segments["SVC"][0]
    dates = {_value(d, "DTM01"): _value(d, "DTM02") for d in segments.get("DTM", [])}
    refs = {_value(r, "REF01"): _value(r, "REF02") for r in segments.get("REF", [])}
    return ServicePayment(
        procedure=_value(svc, "SVC01-2") or "",
        modifiers=tuple(m for d in _SVC_MODIFIERS if (m := (_value(svc, d) or "").strip())),
        charged=_amount(_value(svc, "SVC02")),
        paid=_amount(_value(svc, "SVC03")),
        service_date=_date(dates.get("472") or dates.get("150")),
        control_number=(refs.get("6R") or "").strip(),
        adjustments=_adjustments(segments.get("CAS", [])),
        remark_codes=tuple(
            code
            for lq in segments.get("LQ", [])
            if _value(lq, "LQ01") == "HE" and (code := _value(lq, "LQ02"))
        ),
    )


def _adjustments(segments: list[Any]) -> tuple[Adjustment, ...]:
    """CAS01 is the group; then up to six reason/amount/quantity triples (CAS02-CAS19)."""
    found = []
    for cas in segments:
        group = _value(cas, "CAS01") or ""
        for reason_at, amount_at in _CAS_TRIPLES:
            reason = _value(cas, reason_at)
            if reason:
                found.append(Adjustment(group, reason, _amount(_value(cas, amount_at))))
    return tuple(found)


@functools.cache
def _indexes(ref_des: str) -> tuple[int, int | None]:
    """The element and sub-element indexes of a designator ("SVC01-2" -> (0, 1)). pyx12's
    `get_value` parses the designator on every call, a large share of reading a long file;
    here each is parsed once."""
    path = pyx12.path.X12Path(ref_des)
    assert path.ele_idx is not None
    return path.ele_idx - 1, None if path.subele_idx is None else path.subele_idx - 1


def _value(segment: Any, ref_des: str) -> str | None:
    """`segment.get_value(ref_des)`, the designator parsed once."""
    element, part = _indexes(ref_des)
    if element >= len(segment.elements):
        return None
    composite = segment.elements[element]
    parts = composite.elements  # pyx12 keeps every element as a composite of one or more
    if part is not None:
        return str(parts[part].value) if part < len(parts) else None
    return str(parts[0].value) if len(parts) == 1 else str(composite.format())


def _amount(text: str | None) -> Decimal:
    try:
        return Decimal((text or "").strip())
    except InvalidOperation as error:
        raise _BadValue(f"'{text}' is not an amount") from error


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None  # pyx12 reports the invalid date as a problem


# --- placing the validator's faults ------------------------------------------------------------


def _placed(
    payments: list[Payment], claim_lines: list[tuple[int, int]], faults: list[_Fault]
) -> Remittance:
    """A fault inside a claim's loop keeps that claim from posting; any other is listed."""
    if not faults:
        return Remittance(tuple(payments), ())
    spans = iter(claim_lines)
    placed: list[Payment] = []
    outside = [Problem(f.segment, f"line {f.line}: {f.message}") for f in faults]
    for payment in payments:
        claims = []
        for claim in payment.claims:
            first, last = next(spans)
            inside = [f for f in faults if first <= f.line <= last]
            problems = tuple(Problem(f.segment, f"line {f.line}: {f.message}") for f in inside)
            outside = [p for p in outside if p not in problems]
            claims.append(replace(claim, problems=problems))
        placed.append(replace(payment, claims=tuple(claims)))
    return Remittance(tuple(placed), tuple(outside))
