"""Where each billing rule comes from: the URLs behind /work/shared/reference/sources.md.

Rules cite `cite("§5", CMS_DISCARDED_DRUGS)`, giving the domain.md section first and the
published page after it, so a clerk (or an auditor) can follow a finding back to its rule.
A packet goes to one contractor's medical reviewer: `public_citation` turns such a source into
what the reviewer may read, the public pages of CMS and of that contractor only.
"""

from __future__ import annotations

CMS_DISCARDED_DRUGS = "https://www.cms.gov/medicare/payment/part-b-drugs/discarded-drugs"
NORIDIAN_JW_JZ = (
    "https://med.noridianmedicare.com/web/jea/topics/drugs-biologicals-injections/"
    "drug-wastage-jw-and-jz-modifiers"
)
CGS_JZ_SUPPLIERS = "https://www.cgsmedicare.com/jc/pubs/news/2023/02/cope134488.html"
HCPCS_2019_FILE = "CMS HCPCS 2019 alpha-numeric file (github dewittpe/cms.hcpcs mirror)"
HCPCS_2025_OCT_FILE = "CMS HCPCS Level II file HCPC2025_OCT_ANWEB (ADD/TERM DT columns)"

WPS_NOC_TIPS = "http://www.wpsmedicare.com/part_b/publications/j3490_tips.shtml"
WPS_NOC_5010 = "https://www.findacode.com/articles/noc-drug-and-biological-codes-31604.html"
WPS_PRICING = "http://www.wpsmedicare.com/j5macpartb/fees/general_fee_info/price-drugs.shtml"
PALMETTO_NOC = "https://www.palmettogba.com/palmetto/jjb.nsf/DID/AW8MMP6652"
PALMETTO_PRICING = (
    "https://palmettogba.com/palmetto/jmb.nsf/DIDC/BY6RTU8205~Specialties~Drugs%20and%20Biologicals"
)
NORIDIAN_NOC = (
    "https://med.noridianmedicare.com/web/jeb/topics/claim-submission/"
    "submission-errors-solutions/unlisted-procedure-and-noc-codes"
)
NOVITAS_NOC = (
    "https://www.novitas-solutions.com/webcenter/portal/MedicareJH/pagebyid?contentId=00166304"
)
FCSO_NOC = "https://medicare.fcso.com/Claim_submission_guidelines/0489004.asp"
FCSO_PRICING = "https://medicare.fcso.com/fees/understanding-local-contractor-pricing"
CGS_NOC = "https://www.cgsmedicare.com/partb/pubs/news/2014/0414/cope25420.html"
NGS_NOC = "https://www.ngsmedicare.com/web/ngs/documentation?selectedArticleId=335775"
NGS_C9399 = "https://ngsmedicare.com/web/ngs/drugs-and-vaccines?selectedArticleId=1625983"
RRM_NOC = "http://medicalbillingforyou.blogspot.com/2013/07/hcpcs-code-j3490-and-ndc-number.html"
RRM_FAX = "https://www.palmettogba.com/palmetto/rr.nsf/DID/8LBL9Z4067"

X12_RFI_2151 = (
    "https://x12.org/resources/requests-for-interpretation/rfi-2151-cpt04-units-837i-and-837p"
)
STEDI_NDC_EDIT = "https://www.stedi.com/changelog/new-claim-edit-invalid-ndc-format"
ASP_STATUTE = "https://lawserver.com/law/country/us/code/42_usc_1395w-3a"
WAC_PLUS_3_RULE = (
    "https://www.healthindustrywashingtonwatch.com/2018/11/articles/"
    "department-of-health-and-human-services/"
    "cms-finalizes-cy-2019-medicare-physician-fee-schedule-rates-and-policies/"
)
CMS_ASP_FAQ = (
    "https://www.cms.gov/files/document/frequently-asked-questions-faqs-asp-data-collection.pdf"
)
CGS_TIMELY_FILING = "https://cgsmedicare.com/parta/claims/timely.html"
ICD10_STRUCTURE = "https://training.seer.cancer.gov/icd10cm/icd10cm-code-structure.html"
NPI_CHECK_DIGIT = "https://forums.studentdoctor.net/threads/npi-check-digit-validation.406385"
# Medicare Benefit Policy Manual (CMS Pub. 100-02), chapter 15 (read through the search tool's
# stored copy of the manual, December 2026):
BPM_15_50_2 = "Medicare Benefit Policy Manual ch.15 §50.2 (self-administered drug exclusion)"
BPM_15_50_3 = "Medicare Benefit Policy Manual ch.15 §50.3 (incident-to: the drug is an expense)"
BPM_15_50_4_1 = "Medicare Benefit Policy Manual ch.15 §50.4.1 (approved use of drug)"
BPM_15_50_4_2 = "Medicare Benefit Policy Manual ch.15 §50.4.2 (unlabeled use of drug)"
BPM_15_50_4 = "Medicare Benefit Policy Manual ch.15 §50.4 (reasonableness and necessity)"
# NUCC 1500 Claim Form Reference Instruction Manual (items of the CMS-1500 02/12 form):
NUCC_ITEM_24 = (
    "NUCC 1500 instructions, item 24 (service lines: 24A dates of service, 24D code, "
    "24F charges, 24G units)"
)
NUCC_ITEM_31 = "NUCC 1500 instructions, item 31 (signature including degrees or credentials)"
FDA_NDC_DIRECTORY = "FDA NDC Directory, product.txt MARKETINGCATEGORYNAME / ROUTENAME"
# "For medical review purposes, Medicare requires that services provided/ordered be
# authenticated by the author" (read through FCSO's and Palmetto's medical-review pages):
PIM_3_3_2_4 = (
    "Medicare Program Integrity Manual ch.3 §3.3.2.4 (services provided or ordered are "
    "authenticated by the author's signature)"
)
# 21 CFR 211.137(a): a drug bears an expiration date "to assure that a drug product meets
# applicable standards of identity, strength, quality, and purity at the time of use".
FDA_EXPIRATION_DATING = (
    "21 CFR 211.137 (expiration dating: the drug's standards at the time of use)"
)


def cite(section: str, *urls: str) -> str:
    """`cite("§5", URL)` -> "domain.md §5; URL": the form every Finding.source takes."""
    return "; ".join((f"domain.md {section}", *urls))


# Each contractor's own pages. A packet names only those of the claim's contractor: a Novitas
# reviewer is not sent to WPS or Palmetto (issue 19).
CONTRACTOR_PAGES: dict[str, frozenset[str]] = {
    "wps": frozenset({WPS_NOC_TIPS, WPS_PRICING}),
    "palmetto": frozenset({PALMETTO_NOC, PALMETTO_PRICING}),
    "railroad": frozenset({RRM_FAX}),
    "noridian": frozenset({NORIDIAN_NOC, NORIDIAN_JW_JZ}),
    "novitas": frozenset({NOVITAS_NOC}),
    "fcso": frozenset({FCSO_NOC, FCSO_PRICING}),
    "cgs": frozenset({CGS_NOC, CGS_JZ_SUPPLIERS, CGS_TIMELY_FILING}),
    "ngs": frozenset({NGS_NOC, NGS_C9399}),
}
# Secondary copies (reprints, blogs, forums, file names) stand in for the primary text a
# reviewer knows by its own name; those with no such name are not printed at all.
PRIMARY_NAMES: dict[str, str] = {
    ASP_STATUTE: "Social Security Act §1847A (42 U.S.C. 1395w-3a)",
    WAC_PLUS_3_RULE: "CY 2019 Physician Fee Schedule final rule (83 FR 59452)",
    HCPCS_2019_FILE: "CMS HCPCS Level II alpha-numeric file",
    HCPCS_2025_OCT_FILE: "CMS HCPCS Level II alpha-numeric file",
    FDA_NDC_DIRECTORY: "FDA National Drug Code Directory",
}
SECONDARY: frozenset[str] = frozenset(
    {WPS_NOC_5010, RRM_NOC, STEDI_NDC_EDIT, NPI_CHECK_DIGIT, ICD10_STRUCTURE}
)


def public_citation(source: str, contractor: str, contractor_sources: tuple[str, ...]) -> str:
    """A rule's source as a medical reviewer of `contractor` (a payer profile key) reads it.

    Internal references ("domain.md §8") and other contractors' pages are dropped, secondary
    copies give way to the primary text's name, and a rule that rested only on other
    contractors' instructions cites this contractor's own pages on the same subject instead:
    `contractor_sources`, which the caller picks (for NOC pricing and narratives, the
    profile's NOC instructions). "" when nothing public is left.
    """
    others = frozenset().union(
        *(pages for key, pages in CONTRACTOR_PAGES.items() if key != contractor)
    )
    own = CONTRACTOR_PAGES.get(contractor, frozenset())
    parts = [p.strip() for p in source.split(";") if p.strip()]
    printed = [
        PRIMARY_NAMES.get(p, p)
        for p in parts
        if not p.startswith("domain.md") and p not in others and p not in SECONDARY
    ]
    if any(p in others for p in parts) and not any(p in own for p in parts):
        printed += [p for p in contractor_sources if p in own]
    return "; ".join(dict.fromkeys(printed))
