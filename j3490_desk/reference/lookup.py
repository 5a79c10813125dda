"""What is this NDC? The FDA directory's package and product, the flags the rules need,
and the CMS codes and prices for the date of service; plus drug-name search.

"FDA-approved" means the product's marketing category is NDA, ANDA, BLA or NDA AUTHORIZED
GENERIC (domain.md section 10): being listed in the directory is not approval. "Oral" is
an ORAL, BUCCAL or SUBLINGUAL route, or an oral dosage form (TABLET..., CAPSULE..., or any
form naming ORAL).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from j3490_desk.domain.claim import DrugFacts, HcpcsMapping, NocPricing
from j3490_desk.domain.ndc import NdcError, hyphenate_ndc11, ndc_candidates
from j3490_desk.reference.crosswalk import PRODUCT_DIGITS, CmsSnapshot, read_snapshot
from j3490_desk.reference.errors import AmbiguousNdcError, InvalidNdcError, NdcNotFoundError
from j3490_desk.reference.store import ReferenceStore

APPROVED_CATEGORIES = frozenset({"NDA", "ANDA", "BLA", "NDA AUTHORIZED GENERIC"})
ORAL_ROUTES = frozenset({"ORAL", "BUCCAL", "SUBLINGUAL"})
ORAL_FORM_STARTS = ("TABLET", "CAPSULE")
DEFAULT_SEARCH_LIMIT = 20
CMS_RECHECK_SECONDS = 1.0


@dataclass(frozen=True)
class ProductInfo:
    product_ndc: str
    product_type: str
    proprietary_name: str
    proprietary_suffix: str
    nonproprietary_name: str
    dosage_form: str
    route: str
    strength: str  # e.g. "25 mg/mL"; multi-ingredient values joined with "; "
    substance: str
    labeler: str
    marketing_category: str
    application_number: str
    start_marketing: date | None
    end_marketing: date | None
    exclude_flag: str  # FDA NDC_EXCLUDE_FLAG: N = listed; E, U, I, D = excluded/other

    @property
    def fda_approved(self) -> bool:
        return self.marketing_category in APPROVED_CATEGORIES

    @property
    def oral(self) -> bool:
        routes = {route.strip() for route in self.route.upper().split(";")}
        form = self.dosage_form.upper()
        return bool(routes & ORAL_ROUTES) or form.startswith(ORAL_FORM_STARTS) or "ORAL" in form


@dataclass(frozen=True)
class PackageInfo:
    package_code: str  # the FDA's hyphenated 10-digit NDC, as on the label
    description: str
    start_marketing: date | None
    end_marketing: date | None
    exclude_flag: str
    sample: bool


@dataclass(frozen=True)
class NdcLookup:
    """Everything the loaded reference files say about one 11-digit NDC."""

    ndc11: str
    date_of_service: date | None
    package: PackageInfo | None
    product: ProductInfo | None
    hcpcs: tuple[HcpcsMapping, ...]
    noc: NocPricing | None
    crosswalk_drug_name: str = ""  # names from CMS, for an NDC the FDA file lacks
    crosswalk_labeler: str = ""
    notes: tuple[str, ...] = ()
    # Codes of other packages of the same product (labeler + product code), when this
    # package has none of its own: a HCPCS code names the drug, not the pack size.
    product_hcpcs: tuple[HcpcsMapping, ...] = ()

    @property
    def ndc_hyphenated(self) -> str:
        return hyphenate_ndc11(self.ndc11)

    @property
    def in_fda_directory(self) -> bool:
        return self.product is not None

    @property
    def known(self) -> bool:
        return (
            self.in_fda_directory
            or bool(self.hcpcs)
            or bool(self.crosswalk_drug_name)
            or (self.noc is not None)
        )

    @property
    def fda_approved(self) -> bool | None:
        return self.product.fda_approved if self.product else None

    @property
    def oral(self) -> bool | None:
        return self.product.oral if self.product else None

    @property
    def excluded(self) -> bool:
        flags = {
            self.product.exclude_flag if self.product else "",
            self.package.exclude_flag if self.package else "",
        }
        return bool(flags - {"", "N"})

    @property
    def end_marketing_date(self) -> date | None:
        ends = [
            info.end_marketing
            for info in (self.package, self.product)
            if info is not None and info.end_marketing is not None
        ]
        return min(ends) if ends else None

    @property
    def active_on_date(self) -> bool | None:
        """Marketed on the date of service (None without a date or a directory entry)."""
        if self.date_of_service is None or self.product is None:
            return None
        day = self.date_of_service
        for info in (self.product, self.package):
            if info is None:
                continue
            if info.start_marketing and day < info.start_marketing:
                return False
            if info.end_marketing and day > info.end_marketing:
                return False
        return True

    @property
    def proprietary_name(self) -> str:
        if self.product is None:
            return self.crosswalk_drug_name
        suffix = self.product.proprietary_suffix
        return (
            f"{self.product.proprietary_name} {suffix}" if suffix else self.product.proprietary_name
        )

    @property
    def labeler(self) -> str:
        return self.product.labeler if self.product else self.crosswalk_labeler

    def to_json(self) -> dict[str, Any]:
        """The `ndc lookup --json` object (its first keys are a published contract)."""
        product = self.product
        first = self.hcpcs[0] if self.hcpcs else None
        return {
            "ndc11": self.ndc11,
            "ndc_hyphenated": self.ndc_hyphenated,
            "proprietary_name": self.proprietary_name,
            "nonproprietary_name": product.nonproprietary_name if product else "",
            "dosage_form": product.dosage_form if product else "",
            "route": product.route if product else "",
            "labeler": self.labeler,
            "marketing_category": product.marketing_category if product else "",
            # The contract says bool: an NDC the FDA directory does not list is not shown to be
            # approved (or oral); `in_fda_directory` tells the two cases apart.
            "fda_approved": self.fda_approved is True,
            "oral": self.oral is True,
            "active_on_date": self.active_on_date,
            "hcpcs": [mapping.code for mapping in self.hcpcs],
            "billing_units_per_package": _number(first.billing_units_per_package)
            if first
            else None,
            "date_of_service": _iso(self.date_of_service),
            "in_fda_directory": self.in_fda_directory,
            "excluded": self.excluded,
            "fda_package_code": self.package.package_code if self.package else "",
            "package_description": self.package.description if self.package else "",
            "strength": product.strength if product else "",
            "application_number": product.application_number if product else "",
            "start_marketing_date": _iso(product.start_marketing if product else None),
            "end_marketing_date": _iso(self.end_marketing_date),
            "hcpcs_details": [_mapping_json(mapping) for mapping in self.hcpcs],
            "noc_pricing": _noc_json(self.noc),
            "notes": list(self.notes),
            "product_hcpcs": [_mapping_json(mapping) for mapping in self.product_hcpcs],
        }

    def drug_facts(self) -> DrugFacts:
        """The rules engine's view of this NDC (its HCPCS codes for the date of service)."""
        product = self.product
        return DrugFacts(
            ndc11=self.ndc11,
            found=self.known,
            proprietary_name=self.proprietary_name,
            nonproprietary_name=product.nonproprietary_name if product else "",
            dosage_form=product.dosage_form if product else "",
            route=product.route if product else "",
            marketing_category=product.marketing_category if product else "",
            fda_approved=self.fda_approved,
            oral=self.oral,
            end_marketing_date=self.end_marketing_date,
            start_marketing_date=product.start_marketing if product else None,
            package_description=self.package.description if self.package else "",
            excluded=self.excluded,
            specific_hcpcs=self.hcpcs,
            product_hcpcs=self.product_hcpcs,
            noc_pricing=self.noc,
        )

    @property
    def generic_name(self) -> str:
        """The drug's generic name: FDA's non-proprietary name, else CMS's NOC name."""
        if self.product is not None and self.product.nonproprietary_name:
            return self.product.nonproprietary_name
        return self.noc.generic_name if self.noc else ""


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _mapping_json(mapping: HcpcsMapping) -> dict[str, Any]:
    return {
        "code": mapping.code,
        "effective_from": mapping.effective_from.isoformat(),
        "effective_to": _iso(mapping.effective_to),
        "billing_units_per_package": _number(mapping.billing_units_per_package),
        "payment_limit": str(mapping.payment_limit) if mapping.payment_limit is not None else None,
        "hcpcs_dosage": mapping.hcpcs_dosage,
    }


def _noc_json(noc: NocPricing | None) -> dict[str, Any] | None:
    if noc is None:
        return None
    return {
        "generic_name": noc.generic_name,
        "dosage": noc.dosage,
        "billing_units_per_package": _number(noc.billing_units_per_package),
        "payment_limit": str(noc.payment_limit) if noc.payment_limit is not None else None,
        "quarter": noc.quarter,
    }


@dataclass(frozen=True)
class ProductMatch:
    """One drug-name search hit: a product (its packages are found by product NDC)."""

    product_ndc: str
    proprietary_name: str
    nonproprietary_name: str
    dosage_form: str
    route: str
    strength: str
    labeler: str
    marketing_category: str


_PRODUCT_COLUMNS = (
    "p.product_ndc, p.product_type, p.proprietary_name, p.proprietary_suffix, "
    "p.nonproprietary_name, p.dosage_form, p.route, p.strength, p.strength_unit, p.substance, "
    "p.labeler, p.marketing_category, p.application_number, p.start_marketing, "
    "p.end_marketing, p.exclude_flag"
)
_PACKAGE_SQL = (
    f"SELECT k.package_code, k.description, k.start_marketing, k.end_marketing, "
    f"k.exclude_flag, k.sample, {_PRODUCT_COLUMNS} "
    "FROM fda_package k JOIN fda_product p ON p.id = k.product WHERE k.ndc11 = ?"
)


class NdcDirectory:
    """Look-ups against one store. CMS quarters are cached until the database changes."""

    def __init__(self, store: ReferenceStore) -> None:
        self.store = store
        self._cms: CmsSnapshot | None = None
        self._checked_at = 0.0

    def resolve(self, text: str) -> str:
        """The 11-digit NDC for what the clerk typed; a bare 10-digit one via the directory."""
        try:
            candidates = ndc_candidates(text)
        except NdcError as error:
            raise InvalidNdcError(str(error), "Type the NDC as printed on the label.") from error
        if len(candidates) == 1:
            return candidates[0]
        listed = tuple(c for c in candidates if self._package_row(c) or self._cms_now().knows(c))
        if len(listed) == 1:
            return listed[0]
        if listed:
            raise AmbiguousNdcError(text.strip(), tuple(hyphenate_ndc11(c) for c in listed))
        readings = ", ".join(hyphenate_ndc11(c) for c in candidates)
        raise NdcNotFoundError(
            f"NDC {text.strip()} is not in the loaded FDA NDC Directory or CMS files under any "
            f"of its three readings ({readings}).",
            "Type the NDC with its hyphens as printed on the label, or load a newer directory.",
        )

    def lookup(self, text: str, date_of_service: date | None = None) -> NdcLookup:
        ndc11 = self.resolve(text)
        row = self._package_row(ndc11)
        package, product = _package_and_product(row) if row else (None, None)
        cms = self._cms_now()
        product_listed = ndc11[:PRODUCT_DIGITS] in cms.products
        if product is not None and not cms.knows(ndc11) and not product_listed:
            # Most directory NDCs are in no CMS file: no codes, no NOC price, no notes.
            return NdcLookup(ndc11, date_of_service, package, product, (), None)
        hcpcs, note = cms.mappings(ndc11, date_of_service)
        crosswalk = None if product else cms.crosswalk_row(ndc11)
        notes = [note] if note and (hcpcs or cms.knows(ndc11)) else []
        if product is None:
            notes.append("Not in the loaded FDA NDC Directory: FDA approval is unknown.")
        siblings = () if hcpcs else cms.product_mappings(ndc11, date_of_service)
        if siblings:
            notes.append(
                "This package is not in the CMS crosswalk, but another package of the same "
                f"product is: {', '.join(m.code for m in siblings)}."
            )
        return NdcLookup(
            ndc11=ndc11,
            date_of_service=date_of_service,
            package=package,
            product=product,
            hcpcs=hcpcs,
            noc=cms.noc_pricing(ndc11, date_of_service),
            crosswalk_drug_name=crosswalk.drug_name if crosswalk else "",
            crosswalk_labeler=crosswalk.labeler if crosswalk else "",
            notes=tuple(notes),
            product_hcpcs=siblings,
        )

    def drug_facts(self, ndc: str, date_of_service: date) -> DrugFacts:
        """DrugFacts for the rules engine. An NDC no file knows (or no valid NDC: the rules
        report that themselves) gives found=False. A hyphen-less 10-digit NDC is resolved
        through the directory (domain.md section 1): with exactly one reading listed the facts
        are that package's; with several, `directory_readings` names them and found=False."""
        try:
            lookup = self.lookup(ndc, date_of_service)
        except AmbiguousNdcError as error:
            return DrugFacts(
                ndc11=ndc,
                found=False,
                directory_readings=tuple(m.replace("-", "") for m in error.matches),
                opps_status=self._cms_now().opps_status(date_of_service),
            )
        except (NdcNotFoundError, InvalidNdcError):
            # The OPPS status belongs to the line's code, not the NDC: it still applies.
            return DrugFacts(
                ndc11=ndc, found=False, opps_status=self._cms_now().opps_status(date_of_service)
            )
        cms = self._cms_now()
        return dataclasses.replace(
            lookup.drug_facts(),
            descriptor_codes=cms.descriptors_naming(lookup.generic_name, date_of_service),
            opps_status=cms.opps_status(date_of_service),
        )

    def search(self, text: str, limit: int = DEFAULT_SEARCH_LIMIT) -> list[ProductMatch]:
        """Products whose proprietary or non-proprietary name starts with `text`."""
        prefix = " ".join(text.lower().split())
        if not prefix or limit <= 0:
            return []
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        hits: dict[int, tuple[str, ProductMatch]] = {}
        with self.store.lock:
            for column in ("proprietary_name", "nonproprietary_name"):
                rows = self.store.connection.execute(
                    f"SELECT id, lower({column}), product_ndc, proprietary_name, "
                    "nonproprietary_name, dosage_form, route, strength, strength_unit, labeler, "
                    f"marketing_category FROM fda_product WHERE lower({column}) >= ? "
                    f"AND lower({column}) < ? ORDER BY lower({column}) LIMIT ?",
                    (prefix, upper, limit),
                )
                for row in rows:
                    match = ProductMatch(
                        row[2],
                        row[3],
                        row[4],
                        row[5],
                        row[6],
                        _strength(row[7], row[8]),
                        row[9],
                        row[10],
                    )
                    if row[0] not in hits or row[1] < hits[row[0]][0]:
                        hits[row[0]] = (row[1], match)
        ordered = sorted(hits.values(), key=lambda hit: (hit[0], hit[1].product_ndc))
        return [match for _, match in ordered[:limit]]

    def _package_row(self, ndc11: str) -> tuple[Any, ...] | None:
        with self.store.lock:
            row: tuple[Any, ...] | None = self.store.connection.execute(
                _PACKAGE_SQL, (ndc11,)
            ).fetchone()
        return row

    def invalidate(self) -> None:
        """Forget the cached CMS quarters (called after an import through this app)."""
        self._cms = None

    def _cms_now(self) -> CmsSnapshot:
        # Another process's import is noticed within CMS_RECHECK_SECONDS; checking the
        # database version on every look-up would cost a tenth of the look-up.
        now = time.monotonic()
        if self._cms is not None and now - self._checked_at < CMS_RECHECK_SECONDS:
            return self._cms
        self._checked_at = now
        version = self.store.data_version()
        if self._cms is None or self._cms.data_version != version:
            with self.store.lock:
                self._cms = read_snapshot(self.store.connection, version)
        return self._cms


def _strength(amount: str, unit: str) -> str:
    if ";" not in amount and ";" not in unit:
        return f"{amount} {unit}".strip()
    amounts, units = amount.split(";"), unit.split(";")
    if len(amounts) != len(units):
        return f"{amount} {unit}".strip()
    return "; ".join(
        f"{a.strip()} {u.strip()}".strip() for a, u in zip(amounts, units, strict=True)
    )


def _package_and_product(row: tuple[Any, ...]) -> tuple[PackageInfo, ProductInfo]:
    # Runs on every look-up: positional arguments in field order (see _PACKAGE_SQL for the
    # columns), dates parsed inline, no intermediate lists.
    package = PackageInfo(
        row[0],  # package_code
        row[1],  # description
        date.fromisoformat(row[2]) if row[2] else None,
        date.fromisoformat(row[3]) if row[3] else None,
        row[4],  # exclude_flag
        row[5] == "Y",  # sample
    )
    product = ProductInfo(
        row[6],  # product_ndc
        row[7],  # product_type
        row[8],  # proprietary_name
        row[9],  # proprietary_suffix
        row[10],  # nonproprietary_name
        row[11],  # dosage_form
        row[12],  # route
        _strength(row[13], row[14]),
        row[15],  # substance
        row[16],  # labeler
        row[17],  # marketing_category
        row[18],  # application_number
        date.fromisoformat(row[19]) if row[19] else None,
        date.fromisoformat(row[20]) if row[20] else None,
        row[21],  # exclude_flag
    )
    return package, product
