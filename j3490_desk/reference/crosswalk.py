"""The CMS quarterly files held in memory for instant answers "on the date of service".

They are small (a few thousand rows a quarter), so every loaded quarter is read once and
kept until the database changes (`PRAGMA data_version`). The quarter that answers for a
date is the newest loaded one that starts on or before it; a date after that quarter's end
is answered from it too, with a note that newer CMS files may exist.
"""

from __future__ import annotations

import bisect
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from j3490_desk.domain.claim import HcpcsDescriptor, HcpcsMapping, NocPricing
from j3490_desk.domain.noc_code import is_noc_code
from j3490_desk.reference.cms_files import noc_name_key
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.values import period_label, to_decimal


@dataclass(frozen=True)
class Quarter:
    import_id: int
    start: date
    end: date

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)


@dataclass(frozen=True)
class CrosswalkRow:
    code: str
    hcpcs_dosage: str
    billing_units_per_package: Decimal | None
    drug_name: str
    labeler: str


@dataclass(frozen=True)
class NocRow:
    generic_name: str
    dosage: str
    billing_units_per_package: Decimal | None
    drug_name: str
    labeler: str


@dataclass(frozen=True)
class PaymentLimit:
    amount: Decimal | None
    dosage: str


@dataclass(frozen=True)
class Descriptor:
    code: str
    long_description: str
    words: str  # lower-case, punctuation as spaces, padded: " injection abatacept 10 mg "
    added: date | None
    terminated: date | None

    def in_force(self, day: date | None) -> bool:
        if day is None:
            return self.terminated is None
        return (self.added is None or self.added <= day) and (
            self.terminated is None or day <= self.terminated
        )


PRODUCT_DIGITS = 9  # an 11-digit NDC's labeler (5) and product code (4)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
MIN_NAME_LETTERS = 4  # shorter "generic names" ("tea", "air") would match descriptors by chance


def name_words(text: str) -> str:
    """Text as space-padded lower-case words, so a name is matched as whole words."""
    return f" {_NOT_WORD.sub(' ', text.lower()).strip()} "


@dataclass(frozen=True)
class QuarterChoice:
    quarter: Quarter | None
    note: str = ""


def choose_quarter(quarters: list[Quarter], day: date | None, what: str) -> QuarterChoice:
    """The quarter that answers for `day` (None: the newest), with a note when it is a guess."""
    if not quarters:
        return QuarterChoice(None, f"No {what} is loaded.")
    if day is None:
        return QuarterChoice(quarters[-1])
    position = bisect.bisect_right([q.start for q in quarters], day)
    if position == 0:
        return QuarterChoice(
            None,
            f"No {what} loaded covers {day.isoformat()} (the oldest starts "
            f"{quarters[0].start.isoformat()}).",
        )
    quarter = quarters[position - 1]
    if day > quarter.end:
        return QuarterChoice(
            quarter,
            f"{day.isoformat()} is after the {what} loaded for {quarter.label} (ends "
            f"{quarter.end.isoformat()}); a newer CMS file may change this answer.",
        )
    return QuarterChoice(quarter)


@dataclass
class CmsSnapshot:
    """Every loaded CMS quarter, read at one `data_version` of the database."""

    data_version: int
    crosswalk_quarters: list[Quarter] = field(default_factory=list)
    crosswalk: dict[str, dict[int, list[CrosswalkRow]]] = field(default_factory=dict)
    limit_quarters: list[Quarter] = field(default_factory=list)
    limits: dict[tuple[int, str], PaymentLimit] = field(default_factory=dict)
    noc_quarters: list[Quarter] = field(default_factory=list)
    noc: dict[str, dict[int, NocRow]] = field(default_factory=dict)
    noc_limit_quarters: list[Quarter] = field(default_factory=list)
    noc_limits: dict[tuple[int, str], PaymentLimit] = field(default_factory=dict)
    terminated: dict[str, date] = field(default_factory=dict)  # HCPCS TERM DT by code
    products: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 9 digits -> NDCs
    descriptors: dict[str, list[Descriptor]] = field(default_factory=dict)  # by each word
    opps_quarters: list[Quarter] = field(default_factory=list)
    opps: dict[int, dict[str, str]] = field(default_factory=dict)  # import -> code -> SI

    def knows(self, ndc11: str) -> bool:
        return ndc11 in self.crosswalk or ndc11 in self.noc

    def product_mappings(self, ndc11: str, day: date | None) -> tuple[HcpcsMapping, ...]:
        """Codes the crosswalk gives the other packages of this NDC's product on `day`.

        The first nine digits of an 11-digit NDC are its labeler and product code: packages
        of one product differ only in pack size, and a HCPCS code names the drug.
        """
        found: dict[str, HcpcsMapping] = {}
        for sibling in self.products.get(ndc11[:PRODUCT_DIGITS], ()):
            if sibling == ndc11:
                continue
            for mapping in self.mappings(sibling, day)[0]:
                # Billing units per package belong to the sibling's pack size, not this one.
                found.setdefault(mapping.code, replace(mapping, billing_units_per_package=None))
        return tuple(found.values())

    def descriptors_naming(
        self, generic_name: str, day: date | None
    ) -> tuple[HcpcsDescriptor, ...]:
        """Specific codes in force on `day` whose long descriptor names `generic_name`."""
        name = name_words(generic_name)
        first = name.split()[0] if name.strip() else ""
        if len(name.strip()) < MIN_NAME_LETTERS:
            return ()
        return tuple(
            HcpcsDescriptor(item.code, item.long_description)
            for item in self.descriptors.get(first, ())
            if name in item.words and item.in_force(day) and not is_noc_code(item.code)
        )

    def opps_status(self, day: date | None) -> dict[str, str] | None:
        """Addendum B status indicators by code for `day`; None when none covers it."""
        quarter = choose_quarter(self.opps_quarters, day, "OPPS Addendum B").quarter
        return self.opps[quarter.import_id] if quarter is not None else None

    def mappings(self, ndc11: str, day: date | None) -> tuple[tuple[HcpcsMapping, ...], str]:
        """The specific codes the crosswalk gives the NDC in the quarter answering for `day`."""
        choice = choose_quarter(self.crosswalk_quarters, day, "ASP NDC-HCPCS crosswalk")
        quarter = choice.quarter
        by_quarter = self.crosswalk.get(ndc11, {})
        if quarter is None or quarter.import_id not in by_quarter:
            return (), choice.note
        limit_choice = choose_quarter(self.limit_quarters, day, "ASP payment limit file")
        mappings = []
        for row in by_quarter[quarter.import_id]:
            limit = self._limit(limit_choice.quarter, row.code)
            mappings.append(
                HcpcsMapping(
                    code=row.code,
                    effective_from=self._mapped_since(ndc11, row.code, quarter),
                    effective_to=self._mapped_until(ndc11, row.code, quarter),
                    billing_units_per_package=row.billing_units_per_package,
                    payment_limit=limit.amount if limit else None,
                    hcpcs_dosage=row.hcpcs_dosage or (limit.dosage if limit else ""),
                )
            )
        return tuple(mappings), choice.note

    def crosswalk_row(self, ndc11: str) -> CrosswalkRow | None:
        """The newest crosswalk row for the NDC: names for an NDC the FDA file lacks."""
        rows = self.crosswalk.get(ndc11)
        if not rows:
            return None
        return rows[max(rows, key=self._crosswalk_start)][0]

    def noc_pricing(self, ndc11: str, day: date | None) -> NocPricing | None:
        choice = choose_quarter(self.noc_quarters, day, "NOC crosswalk")
        rows = self.noc.get(ndc11, {})
        if choice.quarter is None or choice.quarter.import_id not in rows:
            return None
        row = rows[choice.quarter.import_id]
        limit_quarter = choose_quarter(self.noc_limit_quarters, day, "NOC pricing file").quarter
        limit = (
            self.noc_limits.get((limit_quarter.import_id, noc_name_key(row.generic_name)))
            if limit_quarter
            else None
        )
        return NocPricing(
            generic_name=row.generic_name,
            dosage=row.dosage,
            billing_units_per_package=row.billing_units_per_package,
            payment_limit=limit.amount if limit else None,
            quarter=choice.quarter.label,
        )

    def _limit(self, quarter: Quarter | None, code: str) -> PaymentLimit | None:
        return self.limits.get((quarter.import_id, code)) if quarter else None

    def _crosswalk_start(self, import_id: int) -> date:
        return next(q.start for q in self.crosswalk_quarters if q.import_id == import_id)

    def _has(self, ndc11: str, code: str, quarter: Quarter) -> bool:
        rows = self.crosswalk.get(ndc11, {}).get(quarter.import_id, [])
        return any(row.code == code for row in rows)

    def _mapped_since(self, ndc11: str, code: str, quarter: Quarter) -> date:
        """Start of the run of loaded quarters, up to this one, that map NDC -> code."""
        position = self.crosswalk_quarters.index(quarter)
        since = quarter.start
        for earlier in reversed(self.crosswalk_quarters[:position]):
            if not self._has(ndc11, code, earlier):
                break
            since = earlier.start
        return since

    def _mapped_until(self, ndc11: str, code: str, quarter: Quarter) -> date | None:
        """The quarter's end if the next loaded quarter drops the mapping; TERM DT if any."""
        ends: list[date] = []
        position = self.crosswalk_quarters.index(quarter)
        later = self.crosswalk_quarters[position + 1 : position + 2]
        if later and not self._has(ndc11, code, later[0]):
            ends.append(quarter.end)
        if code in self.terminated:
            ends.append(self.terminated[code])
        return min(ends) if ends else None


def read_snapshot(connection: sqlite3.Connection, data_version: int) -> CmsSnapshot:
    snapshot = CmsSnapshot(data_version)
    snapshot.crosswalk_quarters = _quarters(connection, FileKind.ASP_CROSSWALK)
    crosswalk: dict[str, dict[int, list[CrosswalkRow]]] = defaultdict(lambda: defaultdict(list))
    for import_id, ndc11, code, dosage, units, name, labeler in connection.execute(
        "SELECT import_id, ndc11, hcpcs, hcpcs_dosage, billing_units_per_package, drug_name, "
        "labeler FROM asp_crosswalk"
    ):
        crosswalk[ndc11][import_id].append(
            CrosswalkRow(code, dosage, to_decimal(units), name, labeler)
        )
    snapshot.crosswalk = {ndc: dict(rows) for ndc, rows in crosswalk.items()}
    products: dict[str, list[str]] = defaultdict(list)
    for ndc11 in snapshot.crosswalk:
        products[ndc11[:PRODUCT_DIGITS]].append(ndc11)
    snapshot.products = {product: tuple(ndcs) for product, ndcs in products.items()}
    snapshot.limit_quarters = _quarters(connection, FileKind.ASP_PAYMENT_LIMITS)
    snapshot.limits = {
        (import_id, code): PaymentLimit(to_decimal(amount), dosage)
        for import_id, code, amount, dosage in connection.execute(
            "SELECT import_id, hcpcs, payment_limit, dosage FROM asp_payment_limit"
        )
    }
    snapshot.noc_quarters = _quarters(connection, FileKind.NOC_CROSSWALK)
    noc: dict[str, dict[int, NocRow]] = defaultdict(dict)
    for import_id, ndc11, name, dosage, units, drug, labeler in connection.execute(
        "SELECT import_id, ndc11, generic_name, dosage, billing_units_per_package, drug_name, "
        "labeler FROM noc_crosswalk"
    ):
        noc[ndc11][import_id] = NocRow(name, dosage, to_decimal(units), drug, labeler)
    snapshot.noc = dict(noc)
    snapshot.noc_limit_quarters = _quarters(connection, FileKind.NOC_PAYMENT_LIMITS)
    snapshot.noc_limits = {
        (import_id, key): PaymentLimit(to_decimal(amount), dosage)
        for import_id, key, amount, dosage in connection.execute(
            "SELECT import_id, name_key, payment_limit, dosage FROM noc_payment_limit"
        )
    }
    snapshot.terminated = {
        code: date.fromisoformat(ended)
        for code, ended in connection.execute(
            "SELECT code, terminated FROM hcpcs_code WHERE terminated IS NOT NULL"
        )
    }
    snapshot.descriptors = _descriptors(connection)
    snapshot.opps_quarters = _quarters(connection, FileKind.OPPS_ADDENDUM_B)
    opps: dict[int, dict[str, str]] = defaultdict(dict)
    for import_id, code, indicator in connection.execute(
        "SELECT import_id, hcpcs, status_indicator FROM opps_status"
    ):
        opps[import_id][code] = indicator
    snapshot.opps = dict(opps)
    return snapshot


def _descriptors(connection: sqlite3.Connection) -> dict[str, list[Descriptor]]:
    """HCPCS procedure codes (not modifiers) indexed by every word of their long descriptor."""
    by_word: dict[str, list[Descriptor]] = defaultdict(list)
    for code, text, added, ended in connection.execute(
        "SELECT code, long_description, added, terminated FROM hcpcs_code WHERE length(code) = 5"
    ):
        words = name_words(text)
        item = Descriptor(
            code,
            text,
            words,
            date.fromisoformat(added) if added else None,
            date.fromisoformat(ended) if ended else None,
        )
        for word in set(words.split()):
            by_word[word].append(item)
    return dict(by_word)


def _quarters(connection: sqlite3.Connection, kind: FileKind) -> list[Quarter]:
    return [
        Quarter(import_id, date.fromisoformat(start), date.fromisoformat(end))
        for import_id, start, end in connection.execute(
            "SELECT id, effective_from, effective_to FROM import_log "
            "WHERE kind = ? AND replaced_by IS NULL ORDER BY effective_from",
            (kind.value,),
        )
    ]
