"""Dates a claim lives by: the filing deadline, prior-auth expiry, record retention, code review.

Every function takes `today` (or a date of service) from the caller, so tests fix the clock.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from j3490_desk.domain.claim import Payer, PayerKind, PriorAuthorization
from j3490_desk.domain.sources import CGS_TIMELY_FILING, cite

MEDICARE_FILING_MONTHS = 12  # 42 CFR 424.44(a)(1): 12 months (1 calendar year) after the DOS
# Defaults when the payer record has no figure of its own (domain.md section 9). Neither is the
# payer's own term, so a deadline counted from one only warns (FilingDeadline.verified False):
DEFAULT_FILING_DAYS = {
    PayerKind.COMMERCIAL: 90,  # S: common in-network contract term (UHC, Cigna, Anthem)
    PayerKind.MEDICAID: 365,  # U: varies by state; federal ceiling ~12 months, unverified
}
MIN_RETENTION_YEARS = 7  # 42 CFR 424.516(f): ordering documentation, 7 years from the DOS
QUARTER_STARTS = ((1, 1), (4, 1), (7, 1), (10, 1))  # HCPCS/ASP files change on these days


@dataclass(frozen=True)
class FilingDeadline:
    deadline: date  # the last day the payer must receive the claim
    days_left: int  # negative once the deadline has passed
    basis: str  # the rule in plain words
    verified: bool  # False for a default the clerk never confirmed (domain.md section 9)
    source: str


def add_months(day: date, months: int) -> date:
    """Same day `months` later; a day the target month lacks becomes its last day (29 Feb -> 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def filing_deadline(payer: Payer, date_of_service: date, today: date) -> FilingDeadline:
    """When the claim must reach the payer, counted from the date of service (line 'From' date)."""
    if payer.kind is PayerKind.MEDICARE:
        # 12 months from the DOS; a DOS of 29 Feb files by 28 Feb the next year (domain.md §9).
        deadline = add_months(date_of_service, MEDICARE_FILING_MONTHS)
        return FilingDeadline(
            deadline,
            (deadline - today).days,
            "Medicare: 12 months (one calendar year) from the date of service, 42 CFR 424.44.",
            True,
            cite("§9", CGS_TIMELY_FILING),
        )
    own_days = payer.timely_filing_days
    if own_days is not None and own_days > 0:  # Settings: 0 means "use the default"
        days, verified = own_days, True
        basis = f"{payer.name}: {own_days} days from the date of service (payer setting)."
    else:
        days, verified = DEFAULT_FILING_DAYS[payer.kind], False
        basis = (
            f"{days} days from the date of service is the app's default for "
            f"{payer.kind.value} payers, not {payer.name}'s own figure"
            + (
                " (Medicaid varies by state)"
                if payer.kind is PayerKind.MEDICAID
                else " (contracts run 90 to 180 days)"
            )
            + f". Set {payer.name}'s timely filing limit in Settings > Payers from its "
            "contract or provider manual."
        )
    deadline = date_of_service + timedelta(days=days)
    return FilingDeadline(deadline, (deadline - today).days, basis, verified, cite("§9"))


def clinic_submit_by(date_of_service: date, submit_within_days: int) -> date:
    """The clinic's own standard (ClinicRules.submit_within_days, 14 by default)."""
    return date_of_service + timedelta(days=submit_within_days)


def prior_auth_days_left(prior_auth: PriorAuthorization, today: date) -> int | None:
    """Days until the authorization's last valid day; None when it has no end date."""
    if prior_auth.valid_to is None:
        return None
    return (prior_auth.valid_to - today).days


def prior_auth_expiring(prior_auth: PriorAuthorization, today: date, warning_days: int) -> bool:
    """True while the authorization is still valid but ends within `warning_days` of today."""
    days_left = prior_auth_days_left(prior_auth, today)
    return days_left is not None and 0 <= days_left <= warning_days


def retain_until(date_of_service: date, years: int = MIN_RETENTION_YEARS) -> date:
    """Keep the claim's records until this day. Fewer than 7 years is raised to 7 (§9, §16)."""
    kept_years = max(years, MIN_RETENTION_YEARS)
    return add_months(date_of_service, 12 * kept_years)


def next_quarterly_review(today: date) -> date:
    """The next 1 Jan / 1 Apr / 1 Jul / 1 Oct on or after today, when new codes take effect (§13).

    On a quarter's first day the review is due that day.
    """
    for year in (today.year, today.year + 1):
        for month, day in QUARTER_STARTS:
            start = date(year, month, day)
            if start >= today:
                return start
    raise AssertionError("unreachable: 1 Jan of next year is always after today")
