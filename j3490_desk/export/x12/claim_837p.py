"""One X12 005010X222A1 (837P) interchange from claims and the clinic's submitter details.

Pure: the caller gathers the claims, their billed lines (domain.billing, the same lines and
narrative the packet prints), the packet's attachment control number and the envelope's
control numbers and time; this module only writes text. Loops, as the TR3 orders them:
ISA/GS/ST/BHT, 1000A submitter, 1000B receiver, 2000A/2010AA billing provider, and per claim
2000B/2010BA subscriber, 2010BB payer, (2000C/2010CA patient), 2300 claim, 2310B rendering
provider, 2400 service lines with their 2410 drug identification; SE/GE/IEA close it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from j3490_desk.domain.billing import BilledLine
from j3490_desk.domain.claim import Claim, ClaimFrequency, PayerKind, PriorAuthStatus, Relationship
from j3490_desk.domain.electronic_claim import TRANSMISSION_CODES, Submitter, street_line
from j3490_desk.domain.line_control import line_control_number
from j3490_desk.domain.ndc import NdcError, parse_shaded_line_24a
from j3490_desk.domain.payer_profiles import profile_for
from j3490_desk.export.x12.segments import (
    REPETITION,
    amount,
    clean,
    composite,
    d8,
    digits,
    hhmm,
    person_name,
    segment,
)

VERSION = "005010X222A1"
# SBR09 claim filing indicator by payer kind (X222A1 code list): Medicare Part B, Medicaid,
# commercial insurance.
FILING_INDICATOR = {PayerKind.MEDICARE: "MB", PayerKind.MEDICAID: "MC", PayerKind.COMMERCIAL: "CI"}
LINE_NOTE_PLACEMENT = "2400 NTE02"  # payer_profiles placement that asks for NTE*ADD too
CLAIM_NOTE_PLACEMENT = "2300 NTE"  # ... and the one that asks for it on the claim (Novitas)
NOTE_LENGTH = 80  # NTE02
MAX_DIAGNOSES = 12  # HI holds 12 codes
MAX_POINTERS = 4  # SV107 points at up to 4 of them


@dataclass(frozen=True)
class ClaimToSend:
    claim_id: int
    claim: Claim
    billed: tuple[BilledLine, ...]
    attachment_control_number: str = ""  # the packet's, when documentation goes (PWK)


@dataclass(frozen=True)
class Envelope:
    interchange_number: int  # ISA13 (9 digits); also GS06, BHT03
    created: datetime


@dataclass(frozen=True)
class Written:
    text: str
    warnings: tuple[str, ...]  # what the clerk should know (a shortened narrative)


def write_837p(
    claims: tuple[ClaimToSend, ...], submitter: Submitter, envelope: Envelope
) -> Written:
    warnings: list[str] = []
    body = list(_transaction(claims, submitter, envelope, warnings))
    number = f"{envelope.interchange_number:09d}"
    created = envelope.created
    usage = submitter.usage.strip().upper()
    sender, receiver = clean(submitter.submitter_id), clean(submitter.receiver_id)
    head = [
        segment(
            "ISA",
            "00",
            " " * 10,
            "00",
            " " * 10,
            "ZZ",
            f"{sender:<15}",
            "ZZ",
            f"{receiver:<15}",
            created.strftime("%y%m%d"),
            hhmm(created),
            REPETITION,
            "00501",
            number,
            "0",
            usage,
            ":",
        ),
        segment(
            "GS",
            "HC",
            sender,
            receiver,
            d8(created.date()),
            hhmm(created),
            str(envelope.interchange_number),
            "X",
            VERSION,
        ),
    ]
    tail = [
        segment("GE", "1", str(envelope.interchange_number)),
        segment("IEA", "1", number),
    ]
    return Written("\n".join([*head, *body, *tail]) + "\n", tuple(warnings))


def _transaction(
    claims: tuple[ClaimToSend, ...], submitter: Submitter, envelope: Envelope, warnings: list[str]
) -> Iterator[str]:
    segments = [
        segment("ST", "837", "0001", VERSION),
        segment(
            "BHT",
            "0019",
            "00",
            str(envelope.interchange_number),
            d8(envelope.created.date()),
            hhmm(envelope.created),
            "CH",
        ),
        *_submitter_and_billing_provider(submitter),
    ]
    hl = 1  # the billing provider's HL
    for item in claims:
        claim_segments, hl = _claim(item, hl, warnings)
        segments += claim_segments
    segments.append(segment("SE", str(len(segments) + 1), "0001"))
    yield from segments


def _submitter_and_billing_provider(s: Submitter) -> list[str]:
    name = clean(s.name, 60)
    out = [
        segment("NM1", "41", "2", name, "", "", "", "", "46", clean(s.submitter_id)),
        segment("PER", "IC", clean(s.submitter_contact, 60), "TE", digits(s.phone)),
        segment(
            "NM1", "40", "2", clean(s.receiver_name, 60), "", "", "", "", "46", clean(s.receiver_id)
        ),
        segment("HL", "1", "", "20", "1"),
    ]
    if s.taxonomy.strip():
        out.append(segment("PRV", "BI", "PXC", clean(s.taxonomy)))
    out += [
        segment("NM1", "85", "2", name, "", "", "", "", "XX", digits(s.npi)),
        segment("N3", clean(street_line(s), 55)),
        segment("N4", clean(s.city, 30), clean(s.state), digits(s.zip)),
        segment("REF", "EI", digits(s.tax_id)),
    ]
    return out


def _claim(item: ClaimToSend, parent_hl: int, warnings: list[str]) -> tuple[list[str], int]:
    claim = item.claim
    details = claim.patient_details
    is_self = details.relationship is Relationship.SELF
    subscriber_hl = parent_hl + 1
    out = [
        segment("HL", str(subscriber_hl), "1", "22", "0" if is_self else "1"),
        segment(
            "SBR",
            "P",
            "18" if is_self else "",
            "",
            "",
            "",
            "",
            "",
            "",
            FILING_INDICATOR[claim.payer.kind],
        ),
    ]
    if is_self:
        out += _person("IL", claim.patient.name, claim, member_id=claim.patient.member_id)
    else:
        last, first = person_name(details.subscriber_name)
        out.append(
            segment("NM1", "IL", "1", last, first, "", "", "", "MI", clean(claim.patient.member_id))
        )
    out.append(
        segment(
            "NM1",
            "PR",
            "2",
            clean(claim.payer.name, 60),
            "",
            "",
            "",
            "",
            "PI",
            clean(claim.payer.payer_id),
        )
    )
    last_hl = subscriber_hl
    if not is_self:
        last_hl = subscriber_hl + 1
        out += [
            segment("HL", str(last_hl), str(subscriber_hl), "23", "0"),
            segment("PAT", details.relationship.value),
            *_person("QC", claim.patient.name, claim, member_id=""),
        ]
    out += _claim_information(item, warnings)
    return out, last_hl


def _person(entity: str, name: str, claim: Claim, *, member_id: str) -> list[str]:
    """NM1 + N3/N4 + DMG of the patient (as subscriber IL, or as dependent QC)."""
    details = claim.patient_details
    last, first = person_name(name)
    ids = ("MI", clean(member_id)) if member_id else ("", "")
    birth = claim.patient.date_of_birth
    return [
        segment("NM1", entity, "1", last, first, "", "", "", *ids),
        segment("N3", clean(details.address, 55)),
        segment("N4", clean(details.city, 30), clean(details.state), digits(details.zip)),
        segment("DMG", "D8", d8(birth) if birth else "", details.sex.value),
    ]


def _claim_information(item: ClaimToSend, warnings: list[str]) -> list[str]:
    claim = item.claim
    charges = [line.charge for line in item.billed if line.charge is not None]
    total = sum(charges[1:], charges[0]) if charges else None
    out = [
        segment(
            "CLM",
            str(item.claim_id),
            amount(total) if total is not None else "",
            "",
            "",
            composite(claim.place_of_service.value, "B", claim.frequency.value),
            "Y",
            "A",
            "Y",
            "Y",
        ),
    ]
    if item.attachment_control_number:
        out.append(
            segment(
                "PWK",
                clean(claim.payer.pwk_report_type) or "04",
                TRANSMISSION_CODES[claim.documents_sent],
                "",
                "",
                "AC",
                item.attachment_control_number,
            )
        )
    if claim.frequency is not ClaimFrequency.ORIGINAL:
        out.append(segment("REF", "F8", clean(claim.original_claim_number, 50)))
    auth = claim.prior_auth
    if auth.status is PriorAuthStatus.APPROVED and auth.number.strip():
        out.append(segment("REF", "G1", clean(auth.number, 50)))
    profile = profile_for(claim.payer)
    if CLAIM_NOTE_PLACEMENT in profile.placement:
        out += _claim_note(item, warnings)
    codes = [code.replace(".", "").upper() for code in claim.medical_necessity.icd10_codes]
    codes = codes[:MAX_DIAGNOSES]
    if codes:
        qualified = [composite("ABK" if i == 0 else "ABF", code) for i, code in enumerate(codes)]
        out.append(segment("HI", *qualified))
    last, first = person_name(claim.provider.name)
    out.append(segment("NM1", "82", "1", last, first, "", "", "", "XX", digits(claim.provider.npi)))
    pointers = composite(*(str(i) for i in range(1, min(len(codes), MAX_POINTERS) + 1)))
    for number, line in enumerate(item.billed, start=1):
        out += _service_line(item, number, line, pointers, LINE_NOTE_PLACEMENT in profile.placement)
        if line.narrative_shortened:
            warnings.append(
                f"Claim {item.claim_id}, line {number}: the drug description was shortened to "
                f"fit SV101-7's 80 characters: '{line.narrative}'."
            )
    return out


def _claim_note(item: ClaimToSend, warnings: list[str]) -> list[str]:
    """2300 NTE*ADD: the drugs given, from the same narratives as each SV101-7. One NTE per
    claim, 80 characters: a note that would leave a drug out is not sent (Novitas asks for PWK
    documentation when the description does not fit the note), and the clerk is told."""
    given = [line.narrative for line in item.billed if line.narrative and not line.is_waste_line]
    note = clean("; ".join(dict.fromkeys(given)))
    if not note:
        return []
    if len(note) > NOTE_LENGTH:
        warnings.append(
            f"Claim {item.claim_id}: its drugs' descriptions ({len(note)} characters) do not fit "
            f"the claim note (2300 NTE, {NOTE_LENGTH}), so none was sent; each drug's description "
            "is on its own line (SV101-7). This payer asks for the documentation by PWK "
            "(fax or mail, with the packet) when the note cannot hold it."
        )
        return []
    return [segment("NTE", "ADD", note)]


def _service_line(
    item: ClaimToSend, number: int, line: BilledLine, pointers: str, line_note: bool
) -> list[str]:
    modifiers = [clean(m) for m in line.modifiers[:4]]
    modifiers += [""] * (4 - len(modifiers))
    description = clean(line.narrative, 80)
    procedure = composite("HC", line.hcpcs_code, *modifiers, description)
    out = [
        segment("LX", str(number)),
        segment(
            "SV1",
            procedure,
            amount(line.charge) if line.charge is not None else "",
            "UN",
            amount(line.units) if line.units is not None else "",
            "",
            "",
            pointers,
        ),
        segment("DTP", "472", "D8", d8(item.claim.date_of_service)),
        # REF*6R: the number the 835 echoes, so its payment posts to this drug line.
        segment(
            "REF",
            "6R",
            line_control_number(item.claim_id, line.drug_line, waste=line.is_waste_line),
        ),
    ]
    if line_note and description:
        out.append(segment("NTE", "ADD", description))
    if line.shaded_24a:
        try:
            ndc11, unit, quantity = parse_shaded_line_24a(line.shaded_24a)
        except NdcError:
            return out  # validation names the line: no NDC quantity to send
        # The same NDC, unit and quantity text as the CMS-1500 24A shaded line.
        out += [segment("LIN", "", "N4", ndc11), segment("CTP", "", "", "", str(quantity), unit)]
    return out
