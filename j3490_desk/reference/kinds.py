"""The kinds of reference file we read, what each is called, and where to download it."""

from __future__ import annotations

import enum

# Not in /work/shared/reference/sources.md; these are the publishers' landing pages.
FDA_NDC_DIRECTORY_PAGE = (
    "https://www.fda.gov/drugs/drug-approvals-and-databases/national-drug-code-directory"
)
CMS_ASP_FILES_PAGE = "https://www.cms.gov/medicare/payment/part-b-drugs/asp-pricing-files"
CMS_HCPCS_UPDATES_PAGE = (
    "https://www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system/"
    "quarterly-update"
)
CMS_OPPS_ADDENDA_PAGE = (
    "https://www.cms.gov/medicare/payment/prospective-payment-systems/hospital-outpatient-pps/"
    "quarterly-addenda-updates"
)


class FileKind(enum.StrEnum):
    FDA_NDC_DIRECTORY = "fda_ndc_directory"
    ASP_CROSSWALK = "asp_crosswalk"
    NOC_CROSSWALK = "noc_crosswalk"
    ASP_PAYMENT_LIMITS = "asp_payment_limits"
    NOC_PAYMENT_LIMITS = "noc_payment_limits"
    HCPCS_CODES = "hcpcs_codes"
    OPPS_ADDENDUM_B = "opps_addendum_b"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def download_page(self) -> str:
        if self is FileKind.FDA_NDC_DIRECTORY:
            return FDA_NDC_DIRECTORY_PAGE
        if self is FileKind.HCPCS_CODES:
            return CMS_HCPCS_UPDATES_PAGE
        if self is FileKind.OPPS_ADDENDUM_B:
            return CMS_OPPS_ADDENDA_PAGE
        return CMS_ASP_FILES_PAGE

    @property
    def is_quarterly(self) -> bool:
        """CMS files cover one calendar quarter; the FDA directory is a dated snapshot."""
        return self is not FileKind.FDA_NDC_DIRECTORY


_LABELS = {
    FileKind.FDA_NDC_DIRECTORY: "FDA NDC Directory",
    FileKind.ASP_CROSSWALK: "CMS ASP NDC-HCPCS crosswalk",
    FileKind.NOC_CROSSWALK: "CMS NOC NDC-HCPCS crosswalk",
    FileKind.ASP_PAYMENT_LIMITS: "CMS ASP payment limits (pricing file)",
    FileKind.NOC_PAYMENT_LIMITS: "CMS NOC payment limits",
    FileKind.HCPCS_CODES: "CMS HCPCS Level II codes",
    FileKind.OPPS_ADDENDUM_B: "CMS OPPS Addendum B (status indicators)",
}

EXPECTED_FILES = (
    "the FDA NDC Directory (ndctext.zip, or its product.txt and package.txt together), "
    "a CMS ASP NDC-HCPCS crosswalk, NOC crosswalk, ASP pricing / payment limit or NOC "
    "pricing CSV, the CMS HCPCS Level II alpha-numeric file (xlsx or CSV), or the CMS OPPS "
    "Addendum B CSV"
)
