"""Is a drug code packaged in hospital outpatient (OPPS) and ASC payment? From the code's
status indicator in the CMS OPPS Addendum B, never from a hand-kept list.

domain.md section 5: a drug that is not separately payable (packaged under OPPS/ASC) takes
neither JW nor JZ. Status indicator N is "paid under OPPS; payment is packaged into payment
for other services" (OPPS Addendum D1). An ASC pays a drug separately only when OPPS does
(42 CFR 416.164(b)(6)), so the OPPS indicator answers for the ASC too.
"""

from __future__ import annotations

from j3490_desk.domain.claim import DrugFacts, DrugLine
from j3490_desk.domain.findings import Finding, Severity
from j3490_desk.domain.sources import CMS_DISCARDED_DRUGS, cite

PACKAGED_STATUS_INDICATORS = frozenset({"N"})
CMS_OPPS_ADDENDUM_B = (
    "CMS OPPS Addendum B, status indicator (SI) column; https://www.cms.gov/medicare/payment/"
    "prospective-payment-systems/hospital-outpatient-pps/quarterly-addenda-updates"
)
ASC_PACKAGED_DRUGS = "42 CFR 416.164(b)(6)"

CODES: dict[str, str] = {
    "OPPS_STATUS_UNKNOWN": "Hospital outpatient/ASC line whose OPPS status is not loaded",
}


def packaged_under_opps(code: str, facts: DrugFacts | None) -> bool | None:
    """True for status indicator N, False for any other; None when no Addendum B covering
    the date of service is loaded or it does not list the code."""
    if facts is None or facts.opps_status is None:
        return None
    indicator = facts.opps_status.get(code.strip().upper())
    return None if indicator is None else indicator in PACKAGED_STATUS_INDICATORS


def opps_status_unknown(line: DrugLine, index: int, facts: DrugFacts | None) -> Finding:
    code = line.hcpcs_code.strip().upper()
    loaded = facts is not None and facts.opps_status is not None
    why = (
        f"the loaded OPPS Addendum B does not list {code}"
        if loaded
        else "no OPPS Addendum B covering the date of service is loaded"
    )
    return Finding(
        "OPPS_STATUS_UNKNOWN",
        Severity.WARNING,
        "modifiers",
        f"Whether {code} is paid separately in a hospital outpatient department or ASC is not "
        f"known ({why}), so the app cannot say whether JW/JZ apply: a packaged drug (status "
        "N) takes neither, a separately paid one takes JW or JZ.",
        "Import the CMS OPPS Addendum B (Settings > Reference data, or `j3490-desk reference "
        "import`) and check again.",
        index,
        cite("§5", CMS_OPPS_ADDENDUM_B, ASC_PACKAGED_DRUGS, CMS_DISCARDED_DRUGS),
    )
