"""835 files as a payer would send them for the app's own claims, written by the tests.

`era([...])` wraps claim payments (each a list of segments from `clp`, `cas`, `svc` ...) in a
valid 005010X221A1 envelope with the counts right; the damaged files in the tests are made by
cutting or editing one of these.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from j3490_desk.domain.line_control import line_control_number


def era(
    claims: Sequence[Sequence[str]],
    *,
    trace: str = "EFT0001",
    paid_on: date = date(2026, 12, 1),
    total: Decimal | None = None,
    control: str = "000000101",
    version: str = "005010X221A1",
    group: str = "HP",
) -> bytes:
    """One interchange, one group, one 835 transaction paying `claims` (segment lists)."""
    day = paid_on.strftime("%Y%m%d")
    body = [
        f"BPR*I*{total if total is not None else '0.00'}*C*ACH*CCP*01*999999999*DA*123456*"
        f"1512345678**01*999988880*DA*98765*{day}",
        f"TRN*1*{trace}*1512345678",
        f"DTM*405*{day}",
        "N1*PR*MEDICARE PART B WPS J5",
        "N3*1717 W BROADWAY",
        "N4*MADISON*WI*53713",
        "PER*BL*PROVIDER SERVICES*TE*8664183003",
        "N1*PE*LAKESIDE DERMATOLOGY*XX*1245319599",
        "LX*1",
    ]
    for claim in claims:
        body.extend(claim)
    transaction = ["ST*835*0001", *body, f"SE*{len(body) + 2}*0001"]
    segments = [
        f"ISA*00*          *00*          *ZZ*WPSPAYER       *ZZ*LAKESIDE       *{day[2:]}*1200*^*"
        f"00501*{control}*0*P*:",
        f"GS*{group}*WPSPAYER*LAKESIDE*{day}*1200*1*X*{version}",
        *transaction,
        "GE*1*1",
        f"IEA*1*{control}",
    ]
    return ("~\n".join(segments) + "~\n").encode("ascii")


def claim_payment(
    claim_number: str | int,
    status: str,
    charged: str,
    paid: str,
    *,
    patient: str = "",
    payer_number: str = "26335000123",
    adjustments: Sequence[tuple[str, str, str]] = (),
    lines: Sequence[Sequence[str]] = (),
    remarks: Sequence[str] = (),
) -> list[str]:
    """A 2100 loop: CLP, claim-level CAS, NM1 (patient), MOA remarks, then the 2110 lines."""
    segments = [f"CLP*{claim_number}*{status}*{charged}*{paid}*{patient}*MB*{payer_number}*11*1"]
    segments += cas(adjustments)
    segments.append("NM1*QC*1*ROE*JANE****MI*1EG4TE5MK73")
    if remarks:
        segments.append("MOA***" + "*".join(remarks))
    for line in lines:
        segments.extend(line)
    return segments


def service_line(
    code: str,
    charged: str,
    paid: str,
    *,
    modifiers: Sequence[str] = (),
    served: date = date(2026, 11, 2),
    control: tuple[int, int] | None = None,
    adjustments: Sequence[tuple[str, str, str]] = (),
    remarks: Sequence[str] = (),
) -> list[str]:
    """A 2110 loop: SVC, DTM*472, CAS, REF*6R (from `control`: claim id, line index), LQ*HE."""
    procedure = ":".join(["HC", code, *modifiers])
    segments = [f"SVC*{procedure}*{charged}*{paid}**1", f"DTM*472*{served.strftime('%Y%m%d')}"]
    segments += cas(adjustments)
    if control is not None:
        segments.append(f"REF*6R*{line_control_number(*control)}")
    segments += [f"LQ*HE*{code}" for code in remarks]
    return segments


def cas(adjustments: Sequence[tuple[str, str, str]]) -> list[str]:
    """(group, reason, amount) triples: one CAS per group, in first-seen order."""
    groups: dict[str, list[str]] = {}
    for group, reason, amount in adjustments:
        groups.setdefault(group, []).extend([reason, amount, ""])
    return [f"CAS*{group}*" + "*".join(parts).rstrip("*") for group, parts in groups.items()]
