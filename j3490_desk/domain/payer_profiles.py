"""What each payer wants on an unclassified (NOC) drug line: narrative, units, NDC decimals, JW/JZ.

Built from payer-profiles.md sections 1 and 5 (each MAC's published NOC instructions) and
domain.md sections 2, 5, 7 and 16. Pages date from 2010 to 2025: re-check each profile
against the MAC's live page before relying on it. `Payer.narrative_profile` picks one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from j3490_desk.domain.claim import Payer, PayerKind
from j3490_desk.domain.sources import (
    CGS_NOC,
    FCSO_NOC,
    FCSO_PRICING,
    NGS_C9399,
    NGS_NOC,
    NORIDIAN_NOC,
    NOVITAS_NOC,
    PALMETTO_NOC,
    PALMETTO_PRICING,
    RRM_FAX,
    RRM_NOC,
    WPS_NOC_5010,
    WPS_NOC_TIPS,
    X12_RFI_2151,
)

# SV101-7 "allows for 80 bytes (i.e., characters, including spaces)" (WPS, findacode reprint);
# Noridian: item 19's electronic equivalent "will hold up to 80 characters".
ELECTRONIC_NARRATIVE_LIMIT = 80
# Paper item 19: 71 characters is the figure commonly quoted from the NUCC 1500 instruction
# manual for the 02/12 form. Not verified in our reference set (U): callers may pass their own.
PAPER_ITEM_19_LIMIT = 71
RRM_PRICING = "https://www.palmettogba.com/palmetto/rr.nsf/DID/8EELKH2211"  # payer-profiles §2


class NarrativePart(enum.StrEnum):
    NAME = "name"
    STRENGTH = "strength"
    DOSE = "dose"  # the amount actually given, in the drug's unit
    ROUTE = "route"
    NDC = "ndc"
    INVOICE = "invoice"  # the contractor's invoice note, only when the invoice file is enclosed


@dataclass(frozen=True)
class PayerProfile:
    key: str
    name: str
    parts: tuple[NarrativePart, ...]  # in the order the payer lists them
    placement: tuple[str, ...]  # where the narrative goes, electronic first
    # NOC lines billed as 1 unit (24G / SV104): a Medicare rule (domain.md sections 7 and 16).
    # None = only when the payer is Medicare (the generic profile serves every kind of payer).
    noc_units_one: bool | None = True
    noc_units_instruction: str = ""  # the contractor's own "units = 1" page: then units != 1 blocks
    ndc_quantity_decimals: int = 3  # NUCC allows 3 (domain.md section 2)
    noc_waste_modifiers: bool = True  # JW/JZ on NOC lines (domain.md section 5: follow the MAC)
    # The contractor's own published instruction on JW for NOC waste; without one, the JW/JZ
    # rules on NOC lines rest on an unverified fact (section 5, U) and only warn.
    noc_waste_instruction: str = ""
    concentration_allowed: bool = True  # may the narrative say "mg/mL"?
    ndc_hyphenated: bool = False  # NDC in the narrative written 5-4-2 with dashes
    compound_code: str = "J7999"  # domain.md section 6: per-MAC override for compounds
    # Only Railroad Medicare asks for an invoice note (payer-profiles.md §1); the others list
    # what the narrative holds, and Palmetto rejects extra text. "" = never mention it.
    invoice_note: str = ""
    invoice_note_compounds_only: bool = False
    invoice_amount_in_narrative: bool = False  # Railroad Medicare: "INV $250.00"
    # The JW line's narrative says the amount discarded and drops the route, since nothing
    # discarded was given by any route; a contractor that rejects a NOC line lacking any of
    # its elements (WPS: name, dose, route, else M123) keeps the route there too.
    route_on_waste_line: bool = False
    electronic_limit: int = ELECTRONIC_NARRATIVE_LIMIT
    paper_limit: int = PAPER_ITEM_19_LIMIT
    # The contractor's WAC add-on for NOC drugs it prices itself, with the page that states it
    # (payer-profiles.md section 2). None: not published; pricing uses the CMS figure and says so.
    wac_add_on_percent: Decimal | None = None
    wac_add_on_source: str = ""
    sources: tuple[str, ...] = ()
    notes: str = ""


_N, _S, _D, _R, _NDC, _INV = (
    NarrativePart.NAME,
    NarrativePart.STRENGTH,
    NarrativePart.DOSE,
    NarrativePart.ROUTE,
    NarrativePart.NDC,
    NarrativePart.INVOICE,
)

PROFILES: dict[str, PayerProfile] = {
    p.key: p
    for p in (
        PayerProfile(
            "generic",
            "Generic (CMS/NUCC defaults)",
            (_N, _S, _D, _R, _NDC),
            ("2400 SV101-7", "2400 NTE02", "item 19"),
            noc_units_one=None,
            sources=(WPS_NOC_5010, X12_RFI_2151),
            notes="domain.md section 7 template: name, strength, dose, route, NDC. Units 1 "
            "on Medicare claims (the MACs, section 16); other payers: their own instructions.",
        ),
        PayerProfile(
            "wps",
            "WPS (J5/J8)",
            (_N, _D, _S, _R),
            ("2400 SV101-7", "item 19"),
            noc_units_instruction=WPS_NOC_TIPS,
            route_on_waste_line=True,
            sources=(WPS_NOC_TIPS, WPS_NOC_5010),
            notes="Drug name, total dosage (plus strength if appropriate), method of "
            "administration. Units = 1 ('Do not quantity-bill NOC drugs'); missing data or "
            "units other than 1 rejects with M123. With 5010, not the 2400 NTE segment.",
        ),
        PayerProfile(
            "palmetto",
            "Palmetto GBA (JJ/JM)",
            (_N, _D, _NDC),
            ("2400 SV101-7", "2400 NTE02", "item 19"),
            concentration_allowed=False,
            wac_add_on_percent=Decimal(6),  # "WAC + 6% (106%)", Palmetto-wide drugs page
            wac_add_on_source=PALMETTO_PRICING,
            noc_waste_instruction=PALMETTO_NOC,
            sources=(PALMETTO_NOC,),
            notes="Drug name, total dosage actually administered, NDC; nothing more (extra or "
            "conflicting text is rejected). 'mg/mL' is rejected except for compounded drugs. "
            "NOC waste is billed with JW. SV101-7 is mandatory; say so in item 19 when an "
            "attachment carries the information.",
        ),
        PayerProfile(
            "noridian",
            "Noridian (JE/JF)",
            (_N, _D),
            ("item 19 electronic equivalent (2400 SV101-7)", "item 19"),
            sources=(NORIDIAN_NOC,),
            notes="Drug name and dosage, up to 80 characters; if it does not fit, use an "
            "attachment (paper) or PWK (electronic). JW units rule: domain.md section 15.",
        ),
        PayerProfile(
            "novitas",
            "Novitas (JH/JL)",
            (_N, _D, _R),
            ("2400 SV101-7", "2300 NTE", "item 19"),
            sources=(NOVITAS_NOC,),
            notes="Description of the drug and dosage in the narrative field (route per PAMED's "
            "report of Novitas guidance). J7999 is paid by invoice. A narrative for a drug with "
            "a valid code is rejected.",
        ),
        PayerProfile(
            "fcso",
            "First Coast (JN)",
            (_N, _D),
            ("2400 SV101-7", "2400 NTE02", "item 19"),
            sources=(FCSO_NOC, FCSO_PRICING),
            notes="Drug name and dosage administered (mg, mcg, mL, IU...); name and strength "
            "without the dose is rejected. Do not send records: FCSO asks for invoices by ADR.",
        ),
        PayerProfile(
            "cgs",
            "CGS (J15)",
            (_N, _NDC, _D),
            ("2400 SV101-7", "2400 NTE02 (overflow)", "item 19"),
            sources=(CGS_NOC,),
            notes="Drug name, NDC, exact dosage given. SV101-7 must be completed; NTE02 when "
            "more space is needed. Units and JW/JZ on NOC lines: not stated (U), CMS defaults.",
        ),
        PayerProfile(
            "ngs",
            "NGS (J6/JK)",
            (_N, _D),
            ("comment field (2400 NTE / SV101-7)", "item 19"),
            ndc_hyphenated=True,
            sources=(NGS_NOC, NGS_C9399),
            notes="Part B: drug name and dosage in the comment field. The Part A C9399 template "
            "adds NDC 5-4-2 with dashes and the route; NGS warns against extra information.",
        ),
        PayerProfile(
            "railroad",
            "Railroad Medicare (Palmetto RRB)",
            (_N, _S, _D, _INV),
            ("item 19 (paper)", "2400 SV101-7"),
            ndc_quantity_decimals=2,
            invoice_note="COMPOUNDED DRUGS, INVOICE ATTACHED",
            invoice_note_compounds_only=True,
            invoice_amount_in_narrative=True,
            wac_add_on_percent=Decimal(6),  # the same Palmetto method: ASP / NOC file / WAC + 6%
            wac_add_on_source=RRM_PRICING,
            sources=(RRM_NOC, RRM_FAX),
            notes="Name, strength (if applicable), actual dosage; industry-standard "
            "abbreviations only. Compounds: 'compounded drugs, invoice attached' and 'INV $x'; "
            "electronic claims put 'fax' in the documentation record and fax the invoice. "
            "NDC quantity with 2 decimals (secondary source).",
        ),
    )
}


def profile_for(payer: Payer) -> PayerProfile:
    """The payer's profile by `Payer.narrative_profile`; an unknown key falls back to generic."""
    return PROFILES.get(payer.narrative_profile.strip().lower(), PROFILES["generic"])


def noc_units_one(payer: Payer, profile: PayerProfile) -> bool:
    """Does this payer want NOC lines billed as 1 unit? The profile says, else Medicare does."""
    if profile.noc_units_one is None:
        return payer.kind is PayerKind.MEDICARE
    return profile.noc_units_one


def ndc_quantity_decimals(payer: Payer, profile: PayerProfile) -> int:
    """The stricter of the payer's own setting and its profile (NUCC allows 3; some cap at 2)."""
    return min(payer.ndc_quantity_decimals, profile.ndc_quantity_decimals)
