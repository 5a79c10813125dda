"""The claim list query, in plain SQL: it runs before the ORM is loaded and over many rows."""

from __future__ import annotations

import sqlite3

# Newest date of service first; a claim's drugs in billing order, joined for display.
PAGE_SQL = """
SELECT claim.id, coalesce(patient.name, ''), claim.date_of_service, coalesce(payer.name, ''),
       claim.status, claim.updated_at,
       (SELECT group_concat(name, ', ') FROM (
            SELECT coalesce(nullif(drug_line.brand_name, ''), drug_line.generic_name) AS name
            FROM drug_line WHERE drug_line.claim_id = claim.id AND name != ''
            ORDER BY drug_line.position))
FROM claim
LEFT JOIN patient ON patient.id = claim.patient_id
LEFT JOIN payer ON payer.id = claim.payer_id
WHERE (:status IS NULL OR claim.status = :status)
ORDER BY claim.date_of_service DESC, claim.id DESC
LIMIT :limit OFFSET :offset
"""

Row = tuple[int, str, str, str, str, str, str | None]


def claim_page(
    connection: sqlite3.Connection, *, offset: int, limit: int | None, status: str | None
) -> list[Row]:
    parameters = {"offset": offset, "limit": -1 if limit is None else limit, "status": status}
    return connection.execute(PAGE_SQL, parameters).fetchall()
