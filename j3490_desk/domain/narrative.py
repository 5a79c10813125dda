"""The NOC drug description: item 19 on paper, 2400 SV101-7 / NTE02 on the 837P.

Template (domain.md section 7): `<name> <strength> <dose given + unit> <route> NDC <11 digits>`,
e.g. "DRUGX 10MG/ML 25MG IV NDC 12345678901"; each payer profile picks and orders the parts.
A JW line's narrative states the amount discarded instead ("DRUGX 5MG DISCARDED NDC ..."): it
does not repeat the given dose, its route or the invoice note (issue 19).
The text never exceeds the limit: it is abbreviated first, cut as a last resort, and a cut
text is reported (`fits` False) so the clerk can move the detail to an attachment/PWK.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from j3490_desk.domain.amounts import plain_amount
from j3490_desk.domain.claim import DrugKind, DrugLine
from j3490_desk.domain.ndc import NdcError, hyphenate_ndc11, to_billing_ndc
from j3490_desk.domain.payer_profiles import NarrativePart, PayerProfile
from j3490_desk.domain.units import UnitError, normalize_unit

# Industry-standard route abbreviations (NGS's C9399 template lists IV, IM, SC, PO).
ROUTE_ABBREVIATIONS = {
    "INTRAVENOUS": "IV",
    "INTRAVENOUSLY": "IV",
    "INTRAMUSCULAR": "IM",
    "INTRAMUSCULARLY": "IM",
    "SUBCUTANEOUS": "SC",
    "SUBCUTANEOUSLY": "SC",
    "SQ": "SC",
    "SUBQ": "SC",
    "INTRADERMAL": "ID",
    "ORAL": "PO",
    "BY MOUTH": "PO",
}
# "mg/mL", "mcg / ml", "MG ML", "units/mL": the concentration Palmetto rejects (domain.md §7).
_CONCENTRATION = re.compile(r"\b[0-9.]*\s*(MCG|MG|G|UNITS?|IU)\s*(/|\s)\s*[0-9.]*\s*M?L\b")
_MIN_NAME = 3  # shortest drug-name stub worth keeping when the name must be shortened


@dataclass(frozen=True)
class Narrative:
    text: str
    limit: int
    abbreviated: bool  # a shorter form was used to fit
    fits: bool  # False: even abbreviated it was too long and had to be cut
    missing: tuple[NarrativePart, ...]  # parts the payer wants that the line lacks


def dose_text(amount: Decimal | None, unit: str) -> str:
    """ "45MG", "0.5ML", "1000UNITS": the amount given in the drug's unit, as MACs ask."""
    if amount is None:
        return ""
    try:
        unit_text = normalize_unit(unit).upper()
    except UnitError:
        unit_text = unit.strip().upper()
    return f"{plain_amount(amount)}{unit_text}"


def route_text(route: str) -> str:
    text = " ".join(route.split()).upper()
    return ROUTE_ABBREVIATIONS.get(text, text)


def _ndc_text(ndc: str, profile: PayerProfile, resolved: str) -> str:
    try:
        ndc11 = to_billing_ndc(ndc)
    except NdcError:
        if not resolved:
            return ""  # check.py reports the NDC itself
        ndc11 = resolved  # a hyphen-less 10-digit NDC the directory read (check.py says so)
    return f"NDC {hyphenate_ndc11(ndc11) if profile.ndc_hyphenated else ndc11}"


def _invoice_text(line: DrugLine, profile: PayerProfile, invoice_enclosed: bool) -> str:
    """The invoice note, only where the contractor asks for one and the invoice really goes
    with the claim: Palmetto rejects a line for text beyond what it requires."""
    wanted = invoice_enclosed and (
        line.kind is DrugKind.COMPOUNDED or not profile.invoice_note_compounds_only
    )
    if not (wanted and profile.invoice_note):
        return ""
    price = line.invoice.price_paid
    if profile.invoice_amount_in_narrative and price is not None:
        return f"{profile.invoice_note} INV ${price:.2f}"
    return profile.invoice_note


def _names(line: DrugLine) -> tuple[str, str]:
    """(full name, short name): "GENERIC (BRAND)" and just the generic (or brand) name."""
    generic, brand = " ".join(line.generic_name.split()), " ".join(line.brand_name.split())
    short = (generic or brand).upper()
    if generic and brand and generic.upper() != brand.upper():
        return f"{generic} ({brand})".upper(), short
    return short, short


def build_narrative(
    line: DrugLine,
    profile: PayerProfile,
    *,
    limit: int | None = None,
    discarded: bool = False,
    invoice_enclosed: bool = False,
    resolved_ndc11: str = "",
) -> Narrative:
    """The narrative for one line. `limit` defaults to the profile's electronic limit (80);
    pass `profile.paper_limit` for paper item 19. `discarded`: the narrative of the line's JW
    line, which bills the amount discarded. `invoice_enclosed`: an invoice file is stored for
    the line and goes with the claim (domain.evidence), the only case an invoice note is
    written (on the given line only). `resolved_ndc11` is the directory's reading of a
    hyphen-less 10-digit NDC (ndc_resolution.directory_ndc11)."""
    max_length = profile.electronic_limit if limit is None else limit
    concentration_ok = profile.concentration_allowed or line.kind is DrugKind.COMPOUNDED
    full_name, short_name = _names(line)
    strength = "".join(line.strength.split()).upper()
    if not concentration_ok and _CONCENTRATION.search(strength):
        strength = ""
    values = {
        NarrativePart.NAME: full_name,
        NarrativePart.STRENGTH: strength,
        NarrativePart.DOSE: dose_text(line.dose.amount, line.dose.unit),
        NarrativePart.ROUTE: route_text(line.dose.route),
        NarrativePart.NDC: _ndc_text(line.ndc, profile, resolved_ndc11),
        NarrativePart.INVOICE: _invoice_text(line, profile, invoice_enclosed),
    }
    if discarded:
        waste = dose_text(line.waste.amount, line.dose.unit)
        values[NarrativePart.DOSE] = f"{waste} DISCARDED" if waste else ""
        values[NarrativePart.INVOICE] = ""
        if not profile.route_on_waste_line:
            values[NarrativePart.ROUTE] = ""
    required: tuple[NarrativePart, ...] = (NarrativePart.NAME, NarrativePart.DOSE)
    if not discarded or profile.route_on_waste_line:
        required += (NarrativePart.ROUTE,)
    missing = tuple(p for p in profile.parts if p in required and not values[p])

    def compose() -> str:
        text = " ".join(values[p] for p in profile.parts if values[p])
        return text if concentration_ok else _CONCENTRATION.sub("", text).strip()

    text = compose()
    abbreviated = False
    if len(text) > max_length and full_name != short_name:
        values[NarrativePart.NAME], abbreviated = short_name, True
        text = compose()
    fits = len(text) <= max_length
    if not fits:
        # Shorten the drug name, the one free-text part, so dose, route and NDC stay whole.
        excess = len(text) - max_length
        name = values[NarrativePart.NAME]
        values[NarrativePart.NAME] = name[: max(_MIN_NAME, len(name) - excess)].rstrip()
        text = compose()[:max_length].rstrip()
    return Narrative(text, max_length, abbreviated, fits, missing)
