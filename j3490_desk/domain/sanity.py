"""Sanity checks on figures that are each valid but together look wrong: warnings that ask the
clerk to confirm, never blockers (nothing here is a payer's edit; issue 19).

- A waste charge that dwarfs the dose given (e.g. $254.80 of waste on a $5.20 dose): CMS
  expects the container size that wastes least (IOM 100-04 ch.17 §40; the discarded-drugs
  page), and a reviewer asks for the record behind such a JW line.
- An infusion of more than an hour billed without its add-on hour code (domain.md §12):
  +96366 / +96415 for each hour beyond the first, when more than 30 minutes beyond it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from j3490_desk.domain.amounts import dollars, plain_amount
from j3490_desk.domain.billing import split_charge
from j3490_desk.domain.claim import Administration, DrugLine
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.sources import CMS_DISCARDED_DRUGS, cite
from j3490_desk.domain.units import is_positive

CODES: dict[str, str] = {
    "WASTE_DWARFS_DOSE": "Discarded amount many times the dose given: confirm it",
    "INFUSION_ADD_ON_HOURS_MISSING": "Infusion over an hour without its add-on hour code",
}
WASTE_TO_DOSE_LIMIT = Decimal(10)  # waste ten times the dose or more "dwarfs" it
# Initial infusion code -> its "each additional hour" add-on (domain.md §12).
ADD_ON_HOUR = {"96365": "96366", "96413": "96415"}
FIRST_HOUR_MINUTES = 60
ADD_ON_AFTER_MINUTES = 30  # an add-on hour counts when more than 30 minutes beyond the hour


def waste_dwarfs_dose(line: DrugLine, index: int) -> Iterable[Finding]:
    """JW waste of ten times the dose given or more: a warning to confirm the amounts."""
    dose, waste = line.dose.amount, line.waste.amount
    billed = "JW" in {m.strip().upper() for m in line.modifiers}
    if not (billed and dose is not None and waste is not None and is_positive(dose)):
        return
    if waste < dose * WASTE_TO_DOSE_LIMIT:
        return
    unit = line.dose.unit
    given_charge, waste_charge = split_charge(line)
    charges = (
        f" ({dollars(waste_charge)} of waste on a {dollars(given_charge)} dose)"
        if given_charge is not None and waste_charge is not None
        else ""
    )
    yield Finding(
        "WASTE_DWARFS_DOSE",
        Severity.WARNING,
        "8",
        f"{plain_amount(waste)} {unit} discarded is {plain_amount(round(waste / dose, 1))} times the "
        f"{plain_amount(dose)} {unit} given{charges}.",
        "Confirm the amount discarded and the container against the record; if a smaller "
        "container was used, or less was discarded, correct the package or the waste.",
        index,
        cite("§5", CMS_DISCARDED_DRUGS) + "; IOM 100-04 ch.17 §40",
    )


def administration_codes(admin: Administration) -> list[str]:
    """The codes typed in the administration code field: "96413", "96413 96415",
    "96413, +96415" (an add-on code is written with or without its "+")."""
    return admin.cpt_code.replace(",", " ").replace("+", " ").split()


def infusion_add_on_hours(line: DrugLine, index: int) -> Iterable[Finding]:
    """An initial infusion code over 90 minutes with no add-on hour code entered beside it."""
    admin = line.administration
    codes = administration_codes(admin)
    initial = next((c for c in codes if c in ADD_ON_HOUR), None)
    if initial is None or admin.start is None or admin.end is None:
        return
    minutes = int((admin.end - admin.start).total_seconds() // 60)
    beyond = minutes - FIRST_HOUR_MINUTES
    hours = beyond // 60 + (1 if beyond % 60 > ADD_ON_AFTER_MINUTES else 0)
    add_on = ADD_ON_HOUR[initial]
    if beyond <= 0 or hours == 0 or add_on in codes:
        return
    yield Finding(
        "INFUSION_ADD_ON_HOURS_MISSING",
        Severity.WARNING,
        "9",
        f"The infusion lasted {minutes // 60} h {minutes % 60:02d} min, but only {initial} "
        f"(up to 1 hour) is entered; {hours} hour(s) of +{add_on} go with it.",
        f"Bill +{add_on} for each hour beyond the first and enter it with the administration "
        f"code (e.g. '{initial} {add_on}'), or correct the start and end times.",
        index,
        cite("§12") + "; IOM 100-04 ch.12 §30.5",
    )
