"""Where each billing rule comes from: the URLs behind /work/shared/reference/sources.md.

Rules cite `cite("§5", CMS_DISCARDED_DRUGS)`, giving the domain.md section first and the
published page after it, so a clerk (or an auditor) can follow a finding back to its rule.
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


def cite(section: str, *urls: str) -> str:
    """`cite("§5", URL)` -> "domain.md §5; URL": the form every Finding.source takes."""
    return "; ".join((f"domain.md {section}", *urls))
