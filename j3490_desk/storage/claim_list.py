"""The claim list query, in plain SQL: it runs before the ORM is loaded and over many rows.

Filters, search and sort are all done here so a page of 200 out of 100,000 claims costs one
indexed query. Only fixed SQL fragments are ever joined in; every value is a parameter but the
page's bounds (two ints, see `claim_page`). The same queries run on SQLite and PostgreSQL (see
`storage.plain_sql`) and answer the same rows.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from typing import Any

from j3490_desk.storage.plain_sql import PlainSQL, ids_in, on_server

DRUG_NAME = "coalesce(nullif(drug_line.brand_name, ''), drug_line.generic_name)"
# Sorting by drugs orders by the first name alphabetically: one cheap lookup per claim.
DRUGS_SORT_SQL = f"(SELECT min({DRUG_NAME}) FROM drug_line WHERE drug_line.claim_id = claim.id)"
# The page's drug names come in one query for its 200 claims, not one sub-select per row.
PAGE_DRUGS_SQL = f"""
SELECT claim_id, {DRUG_NAME} FROM drug_line
WHERE claim_id IN ({{ids}}) AND {DRUG_NAME} != ''
ORDER BY claim_id, position
"""

SELECT_SQL = """
SELECT claim.id, coalesce(patient.name, ''), claim.date_of_service, coalesce(payer.name, ''),
       claim.status, claim.updated_at,
       claim.readiness_checked_at, claim.readiness_blockers, claim.readiness_warnings,
       claim.filing_deadline, claim.prior_auth_valid_to, claim.prior_auth_status,
       claim.billed_total, claim.archived_at, coalesce(provider.name, '')
FROM claim
LEFT JOIN patient ON patient.id = claim.patient_id
LEFT JOIN payer ON payer.id = claim.payer_id
LEFT JOIN provider ON provider.id = claim.provider_id
"""

# Sort keys by column name; claim.id breaks ties so paging never repeats or skips a row.
SORT_SQL: dict[str, tuple[str, ...]] = {
    "id": ("claim.id",),
    "patient": ("patient.name",),
    "date_of_service": ("claim.date_of_service",),
    "payer": ("payer.name",),
    "drugs": (DRUGS_SORT_SQL,),
    "status": ("claim.status",),
    "readiness": ("claim.readiness_blockers", "claim.readiness_warnings"),
    "filing_deadline": ("claim.filing_deadline",),
    "prior_auth_valid_to": ("claim.prior_auth_valid_to",),
    "billed_total": ("CAST(claim.billed_total AS DOUBLE PRECISION)",),  # kept as text
}
# SQLite sorts NULLs first ascending, PostgreSQL last: saying where keeps one order. Not on
# these NOT NULL keys, so PostgreSQL can still walk their indexes backwards for a page.
NEVER_NULL = {"claim.id", "claim.date_of_service", "claim.status", "claim.readiness_blockers",
              "claim.readiness_warnings"}  # fmt: skip

OPEN_STATUSES = ("draft", "ready", "submitted", "denied", "corrected", "appealed", "resubmitted")
UNSENT_STATUSES = ("draft", "ready", "corrected")
_OPEN = "claim.status IN ({})".format(", ".join(f"'{s}'" for s in OPEN_STATUSES))
_UNSENT = "claim.status IN ({})".format(", ".join(f"'{s}'" for s in UNSENT_STATUSES))

# The Today panel's queues: each a WHERE fragment over :today and the clinic's day counts.
QUEUE_SQL = {
    "filing_due_soon": f"{_UNSENT} AND claim.filing_deadline BETWEEN :today AND :due_by",
    "filing_overdue": f"{_UNSENT} AND claim.filing_deadline < :today",
    "clinic_standard_passed": f"{_UNSENT} AND claim.date_of_service < :clinic_cutoff",
    "prior_auth_expiring": f"{_OPEN} AND claim.prior_auth_valid_to BETWEEN :today AND :auth_by",
    "prior_auth_expired": f"{_UNSENT} AND claim.prior_auth_valid_to < :today",
    "prior_auth_pending": f"{_UNSENT} AND claim.prior_auth_status = 'pending'",
    "denied": "claim.status = 'denied'",
    "not_ready": "claim.status = 'draft' AND (claim.readiness_checked_at IS NULL "
    "OR claim.readiness_blockers > 0)",
}

Row = tuple[Any, ...]


# A search term matching more than this many rows is "dense": scanning claims in the sort
# order finds a page of hits quickly. Below it the hits are few: fetch them first, then sort.
DENSE_HITS = 5000
MAX_CLAIM_ID_DIGITS = 18  # a longer number is no claim's id, and overflows a 64-bit integer

# Name searches are written `{name} LIKE :like` with the column in braces (see `names_like`).
PATIENT_HITS_SQL = "SELECT id FROM patient WHERE {name} LIKE :like ESCAPE '\\' LIMIT :cap"
DRUG_HITS_SQL = (
    "SELECT claim_id FROM drug_line WHERE {brand_name} LIKE :like ESCAPE '\\' "
    "OR {generic_name} LIKE :like ESCAPE '\\' LIMIT :cap"
)
NDC_HITS_SQL = "SELECT claim_id FROM drug_line WHERE replace(ndc, '-', '') LIKE :like LIMIT :cap"
# Dense: one sub-select per claim in the sort order, as a value rather than EXISTS, which
# PostgreSQL would turn into a join that fetches every match first (with no statistics on the
# folded names it guesses ten) and sorts them all: 0.9 s instead of 10 ms for "Patient 0".
DENSE_PATIENT = (
    "(SELECT 1 FROM patient AS p WHERE p.id = claim.patient_id "
    "AND {p.name} LIKE :like ESCAPE '\\') IS NOT NULL"
)
DENSE_DRUG = (
    "(SELECT 1 FROM drug_line AS d WHERE d.claim_id = claim.id AND ({d.brand_name} LIKE :like "
    "ESCAPE '\\' OR {d.generic_name} LIKE :like ESCAPE '\\') LIMIT 1) IS NOT NULL"
)
DENSE_NDC = (
    "(SELECT 1 FROM drug_line AS d WHERE d.claim_id = claim.id "
    "AND replace(d.ndc, '-', '') LIKE :like LIMIT 1) IS NOT NULL"
)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_NAME_COLUMN = re.compile(r"\{([\w.]+)\}")


def names_like(connection: PlainSQL, sql: str) -> str:
    """SQLite's LIKE ignores the case of A-Z only; PostgreSQL's heeds it, and its ILIKE folds
    every alphabet the database's locale knows. On the server the names are lowered in the C
    collation, which lowers A-Z only (and 8x faster than translate()), and the term is lowered
    the same way (`_search_clause`), so both engines find the same claims. SQLite keeps its
    plain LIKE, which scans 0004's covering index."""
    if not on_server(connection):
        return _NAME_COLUMN.sub(r"\1", sql)
    return _NAME_COLUMN.sub(r'lower(\1 COLLATE "C")', sql)


def _where(connection: PlainSQL, filters: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    clauses = ["1 = 1"]
    params: dict[str, Any] = {}
    if not filters.get("include_archived"):
        clauses.append("claim.archived_at IS NULL")
    for key, column in (
        ("status", "claim.status"),
        ("payer_id", "claim.payer_id"),
        ("provider_id", "claim.provider_id"),
    ):
        if filters.get(key) is not None:
            clauses.append(f"{column} = :{key}")
            params[key] = filters[key]
    if filters.get("date_from") is not None:
        clauses.append("claim.date_of_service >= :date_from")
        params["date_from"] = filters["date_from"]
    if filters.get("date_to") is not None:
        clauses.append("claim.date_of_service <= :date_to")
        params["date_to"] = filters["date_to"]
    if filters.get("queue"):
        clauses.append(f"({QUEUE_SQL[filters['queue']]})")
        params.update(filters["queue_params"])
    search = (filters.get("search") or "").strip()
    if search:
        clauses.append(_search_clause(connection, search, params))
    return " AND ".join(clauses), params


def _search_clause(connection: PlainSQL, search: str, params: dict[str, Any]) -> str:
    """Patient or drug name (a term with letters), or NDC and claim number (digits only).

    Few hits: their ids are fetched in one scan each and handed to the page query, which then
    reads only those claims. Many hits: tested claim by claim in the sort order, which stops
    after a page.
    """
    digits = search.replace("-", "").replace(" ", "")
    if digits.isdigit():
        like = f"%{digits}%"
        lookups = [(NDC_HITS_SQL, "claim.id", DENSE_NDC)]
    else:
        # A backslash is the escape character of PostgreSQL's LIKE; doubled, it is an ordinary
        # character on both engines, as it always was on SQLite. % and _ stay wildcards.
        like = "%{}%".format(search.replace("\\", "\\\\").translate(_ASCII_LOWER))
        lookups = [
            (PATIENT_HITS_SQL, "claim.patient_id", DENSE_PATIENT),
            (DRUG_HITS_SQL, "claim.id", DENSE_DRUG),
        ]
    params["like"] = like
    parts = []
    for number, (hits_sql, column, dense_sql) in enumerate(lookups):
        hits = connection.execute(
            names_like(connection, hits_sql), {"like": like, "cap": DENSE_HITS}
        )
        ids = [row[0] for row in hits]
        if len(ids) >= DENSE_HITS:
            parts.append(names_like(connection, dense_sql))
            ids = []
        if digits.isdigit() and len(digits) <= MAX_CLAIM_ID_DIGITS:
            # Digits may be a claim number too: in the same list, not OR'ed on as its own test,
            # which makes PostgreSQL test every claim (0.3 s for a handful of hits).
            ids.append(int(digits))
        if ids:
            params[f"ids{number}"] = json.dumps(ids)
            parts.append(f"{column} IN ({ids_in(connection, f'ids{number}')})")
    return "(" + (" OR ".join(parts) or "1 = 0") + ")"


def claim_page(
    connection: PlainSQL,
    *,
    offset: int,
    limit: int | None,
    filters: Mapping[str, Any],
    sort: str = "date_of_service",
    descending: bool = True,
) -> list[Row]:
    where, params = _where(connection, filters)
    direction = "DESC" if descending else "ASC"
    nulls = " NULLS LAST" if descending else " NULLS FIRST"
    order = ", ".join(
        f"{part} {direction}{'' if part in NEVER_NULL else nulls}" for part in SORT_SQL[sort]
    )
    sql = f"{SELECT_SQL} WHERE {where} ORDER BY {order}, claim.id {direction}"
    if limit is not None:  # no "all rows" LIMIT both engines take (SQLite -1, PostgreSQL ALL)
        # Two ints of ours, written in rather than passed: PostgreSQL plans a statement it has
        # prepared once for every LIMIT, guesses a tenth of the claims, and starts a parallel
        # worker to sort them (5 ms instead of 2 for the first page).
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    rows = connection.execute(sql, params).fetchall()
    if limit is None:
        rows = rows[offset:]
    names: dict[int, list[str]] = {}
    ids = json.dumps([row[0] for row in rows])
    page_drugs = PAGE_DRUGS_SQL.format(ids=ids_in(connection, "ids"))
    for claim_id, name in connection.execute(page_drugs, {"ids": ids}):
        names.setdefault(claim_id, []).append(name)
    return [(*row, ", ".join(names.get(row[0], ()))) for row in rows]


# The codes of each denied claim's latest denial on the page: the work queue names what to fix.
PAGE_DENIALS_SQL = """
SELECT claim_id, carc_codes, rarc_codes FROM claim_event
WHERE id IN (SELECT max(id) FROM claim_event WHERE to_status = 'denied'
             AND claim_id IN ({ids}) GROUP BY claim_id)
"""


def denial_codes(
    connection: PlainSQL, claim_ids: list[int]
) -> dict[int, tuple[list[str], list[str]]]:
    """claim id -> (CARCs, RARCs) of its latest denial."""
    if not claim_ids:  # no denied claim on the page: no round trip to the server
        return {}
    sql = PAGE_DENIALS_SQL.format(ids=ids_in(connection, "ids"))
    rows = connection.execute(sql, {"ids": json.dumps(claim_ids)})
    return {claim_id: (carc.split(), rarc.split()) for claim_id, carc, rarc in rows}


def queue_counts(connection: PlainSQL, queue_params: Mapping[str, Any]) -> dict[str, int]:
    """How many (unarchived) claims are in each Today queue, in one pass over the claims (one
    scan beats eight index walks that each visit claims in random order). PostgreSQL has no
    sum() of a condition, so each counts the claims it holds true for."""
    columns = ", ".join(f"count(CASE WHEN {sql} THEN 1 END)" for sql in QUEUE_SQL.values())
    row = connection.execute(
        f"SELECT {columns} FROM claim WHERE claim.archived_at IS NULL", dict(queue_params)
    ).fetchone()
    return dict(zip(QUEUE_SQL, row, strict=True))


def clinic_day_counts(connection: PlainSQL) -> dict[str, int]:
    """The clinic's deadline settings, read without the ORM (defaults before the first save)."""
    row = connection.execute(
        "SELECT submit_within_days, prior_auth_warning_days, filing_warning_days, "
        "retention_years, notify_due_within_days FROM clinic_settings ORDER BY id LIMIT 1"
    ).fetchone()
    names = (
        "submit_within_days",
        "prior_auth_warning_days",
        "filing_warning_days",
        "retention_years",
        "notify_due_within_days",
    )
    return dict(zip(names, row or (14, 14, 30, 7, 3), strict=True))


def named_records(connection: PlainSQL, table: str) -> list[tuple[int, str]]:
    """(id, name) of the payers or providers, for the filter bar, without the ORM."""
    if table not in ("payer", "provider"):
        raise ValueError(f"no named records in {table}")
    rows = connection.execute(f"SELECT id, name FROM {table} ORDER BY name").fetchall()
    return [(int(record_id), str(name)) for record_id, name in rows]
