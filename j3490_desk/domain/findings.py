"""What a rule says about a claim: one `Finding` per problem, for wizard, CLI and packet alike."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    BLOCKER = "blocker"  # a payer would deny or reject; stops "Ready to submit"
    WARNING = "warning"  # likely trouble; the clerk should look
    INFO = "info"  # worth knowing, nothing to fix


@dataclass(frozen=True)
class Finding:
    code: str  # stable, e.g. "NDC_MISSING"; scripts and the denial reports key on it
    severity: Severity
    item: str  # "1".."10" for the documentation items, else a checklist name ("prior_auth", ...)
    message: str  # what is wrong, in words a clerk understands
    fix: str  # what to do about it
    line: int | None = None  # index of the drug line, None for the claim
    source: str = ""  # the published rule behind it (domain.md section or a URL)
    # True when the rule rests on an unverified (U) fact of domain.md or on a default the
    # clerk never confirmed: such a finding is never a BLOCKER (tests/domain hold every rule to it).
    unverified: bool = False


# Findings name their documentation item ("1".."10") or checklist by key; people read it in words.
CHECKLIST_LABELS = {
    "coding": "HCPCS code",
    "modifiers": "Modifiers",
    "narrative": "Drug description (narrative)",
    "pricing": "Pricing",
    "prior_auth": "Prior authorization",
    "timely_filing": "Filing deadline",
}


def item_label(item: str) -> str:
    """ "Item 3", "Filing deadline": a finding's item as a clerk or a reviewer reads it (the
    packet, the review page, `claim check`); the key itself stays for scripts (--json)."""
    if item.isdigit():
        return f"Item {item}"
    return CHECKLIST_LABELS.get(item, item.replace("_", " ").capitalize())


@dataclass(frozen=True)
class ClinicRules:
    """Clinic-wide settings the rules read. Defaults follow domain.md section 16."""

    submit_within_days: int = 14  # clinic standard: submit within 14 days of service
    prior_auth_warning_days: int = 14
    filing_warning_days: int = 30
    retention_years: int = 7  # never less than 7 (42 CFR 424.516(f))

