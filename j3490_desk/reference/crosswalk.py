"""The CMS quarterly files held in memory for instant answers "on the date of service".

They are small (a few thousand rows a quarter), so every loaded quarter is read once and
kept until the database changes (`PRAGMA data_version`). The quarter that answers for a
date is the newest loaded one that starts on or before it; a date after that quarter's end
is answered from it too, with a note that newer CMS files may exist.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from j3490_desk.domain.claim import HcpcsMapping
from j3490_desk.reference.cms_files import noc_name_key
from j3490_desk.reference.kinds import FileKind
from j3490_desk.reference.values import quarter_label, to_decimal


@dataclass(frozen=True)
class Quarter:
    import_id: int
    start: date
    end: date

    @property
    def label(self) -> str:
        return quarter_label(self.start)


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
class NocPricing:
    """How Medicare prices an NDC that has no code of its own (CMS NOC files)."""

    generic_name: str
    dosage: str
    billing_units_per_package: Decimal | None
    payment_limit: Decimal | None
    quarter: str


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

    def knows(self, ndc11: str) -> bool:
        return ndc11 in self.crosswalk or ndc11 in self.noc

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
    return snapshot


def _quarters(connection: sqlite3.Connection, kind: FileKind) -> list[Quarter]:
    return [
        Quarter(import_id, date.fromisoformat(start), date.fromisoformat(end))
        for import_id, start, end in connection.execute(
            "SELECT id, effective_from, effective_to FROM import_log "
            "WHERE kind = ? AND replaced_by IS NULL ORDER BY effective_from",
            (kind.value,),
        )
    ]
