"""Which reference facts belong to a line's NDC, including one typed as 10 bare digits.

domain.md section 1: a 10-digit NDC without hyphens has three readings, and only the FDA NDC
Directory can tell which is real. The reference layer keys such an NDC's facts by its
digits; with exactly one reading listed, those facts are that package's (their `ndc11`).
"""

from __future__ import annotations

from collections.abc import Mapping

from j3490_desk.domain.claim import DrugFacts
from j3490_desk.domain.ndc import NdcError, ndc_candidates


def facts_key(ndc_text: str) -> str | None:
    """The line's NDC as the facts mapping keys it: its 11-digit billing form, or the digits
    of a hyphen-less 10-digit NDC; None for text that is no NDC at all."""
    try:
        candidates = ndc_candidates(ndc_text)
    except NdcError:
        return None
    if len(candidates) == 1:
        return candidates[0]
    return "".join(ch for ch in ndc_text if ch.isdigit())


def resolved_facts(ndc_text: str, facts: Mapping[str, DrugFacts] | None) -> DrugFacts | None:
    """The reference facts for an NDC as typed; None when none apply."""
    key = facts_key(ndc_text)
    if facts is None or key is None:
        return None
    return facts.get(key)


def directory_ndc11(ndc_text: str, facts: Mapping[str, DrugFacts] | None) -> str | None:
    """The 11-digit NDC the directory reads a hyphen-less 10-digit NDC as, when it lists
    exactly one reading; None otherwise (and for NDCs that were typed unambiguously)."""
    key = facts_key(ndc_text)
    found = resolved_facts(ndc_text, facts)
    if key is None or len(key) != 10 or found is None or not found.found:
        return None
    return found.ndc11
