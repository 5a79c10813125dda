"""public_citation: what a contractor's medical reviewer is shown for a rule's source."""

from __future__ import annotations

from j3490_desk.domain.payer_profiles import PROFILES
from j3490_desk.domain.sources import (
    ASP_STATUTE,
    CMS_DISCARDED_DRUGS,
    CONTRACTOR_PAGES,
    NOVITAS_NOC,
    PALMETTO_PRICING,
    WPS_NOC_5010,
    WPS_PRICING,
    cite,
    public_citation,
)

INVOICE_PRICING = cite("§8", WPS_PRICING, PALMETTO_PRICING)  # domain.pricing's invoice source


def _for(key: str, source: str) -> str:
    return public_citation(source, key, PROFILES[key].sources)


def test_a_novitas_reviewer_gets_the_novitas_page_and_no_other_contractor() -> None:
    assert _for("novitas", INVOICE_PRICING) == NOVITAS_NOC


def test_a_contractor_whose_page_is_cited_keeps_only_its_own() -> None:
    assert _for("wps", INVOICE_PRICING) == WPS_PRICING
    assert _for("palmetto", INVOICE_PRICING) == PALMETTO_PRICING


def test_internal_references_and_secondary_copies_are_never_printed() -> None:
    printed = _for("wps", cite("§7", WPS_NOC_5010))
    assert printed == ""
    assert "domain.md" not in _for("cgs", cite("§5", CMS_DISCARDED_DRUGS))
    assert _for("cgs", cite("§5", CMS_DISCARDED_DRUGS)) == CMS_DISCARDED_DRUGS


def test_a_reprinted_statute_is_cited_by_its_own_name() -> None:
    assert _for("palmetto", cite("§8", ASP_STATUTE)) == (
        "Social Security Act §1847A (42 U.S.C. 1395w-3a)"
    )


def test_a_commercial_payer_gets_no_contractor_page() -> None:
    printed = _for("generic", INVOICE_PRICING)
    assert not any(page in printed for pages in CONTRACTOR_PAGES.values() for page in pages)


def test_every_contractor_profile_names_its_own_pages() -> None:
    for key in CONTRACTOR_PAGES:
        own = [s for s in PROFILES[key].sources if s in CONTRACTOR_PAGES[key]]
        assert own, key
