"""The shared PostgreSQL database at 100,000 claims: the work queue's first page and one claim
save through the app's services, each against bare SQL on the same server in the same run.

Needs a server it may create a database on: J3490_TEST_DATABASE_URL, as the tests take it
(`postgresql+psycopg://user@host:port/postgres`). Without it the bench says so and skips. Its
database is created for the run, filled with COPY after `open_app_data` has migrated it, and
dropped at the end.
"""

from __future__ import annotations

import dataclasses
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.bench_work_queue import absolute
from bench.report import figure

SERVER_ENV = "J3490_TEST_DATABASE_URL"
CLAIMS = 100_000
PAGE = 200
RUNS = 15
SAVES = 30
STATUSES = ("draft", "ready", "submitted", "paid", "denied", "corrected", "closed")
DRUGS = ("Adstiladrin", "Zynrelef", "Elrexfio", "Ryzneuta", "Compounded ketamine", "Omvoh")
STAMP = "2026-01-01T00:00:00+00:00"
# The same page as the work queue's first (its columns and drug names, newest service first),
# written by hand as one query and asked on an open connection, with no Python objects.
BARE_PAGE = """
SELECT claim.id, patient.name, claim.date_of_service, payer.name, claim.status,
       claim.updated_at, claim.readiness_checked_at, claim.readiness_blockers,
       claim.readiness_warnings, claim.filing_deadline, claim.prior_auth_valid_to,
       claim.prior_auth_status, claim.billed_total, claim.archived_at, provider.name,
       (SELECT string_agg(coalesce(nullif(brand_name, ''), generic_name), ', ' ORDER BY position)
        FROM drug_line WHERE drug_line.claim_id = claim.id)
FROM claim
LEFT JOIN patient ON patient.id = claim.patient_id
LEFT JOIN payer ON payer.id = claim.payer_id
LEFT JOIN provider ON provider.id = claim.provider_id
WHERE claim.archived_at IS NULL
ORDER BY claim.date_of_service DESC, claim.id DESC LIMIT 200
"""
CLAIM_COLUMNS = (
    "id, patient_id, payer_id, provider_id, date_of_service, place_of_service, status,"
    " prior_auth_status, prior_auth_number, prior_auth_valid_to, icd10_codes, prior_treatments,"
    " why_standard_failed, necessity_rationale, resume_step, readiness_blockers,"
    " readiness_warnings, filing_deadline, billed_total, created_at, updated_at"
)
# The baseline of a save: one claim row inserted and committed, one round trip.
BARE_INSERT = (
    f"INSERT INTO claim ({CLAIM_COLUMNS.removeprefix('id, ')}) VALUES (1, 1, 1, %s, '11',"
    " 'draft', 'approved', '', NULL, '', '', '', '', '', 0, 0, NULL, '100.00', %s, %s)"
)
LINE_COLUMNS = (
    "claim_id, position, brand_name, generic_name, ndc, strength, kind, hcpcs_code, modifiers,"
    " billed_units, acquisition, package_unit, container, ndc_unit_qualifier, invoice_supplier,"
    " invoice_number, invoice_drug, invoice_ndc, invoice_attached, dose_unit, route, prescriber,"
    " prescription_attached, fda_status, off_label, off_label_rationale, compendium_reference,"
    " lot_number, waste_reason, admin_cpt_code"
)


def main() -> None:
    server_url = os.environ.get(SERVER_ENV)
    if not server_url:
        print(f"work queue on PostgreSQL: skipped, {SERVER_ENV} is not set (a server URL)")
        return
    with bench_database(server_url) as url, tempfile.TemporaryDirectory() as folder:
        run(url, Path(folder) / "data")


@contextmanager
def bench_database(server_url: str) -> Iterator[str]:
    """A database of the bench's own on the server, dropped when done."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    name = f"j3490_bench_work_queue_{os.getpid()}"
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def fill(connection: Any) -> None:
    """The same clinic as bench_work_queue's, copied in with COPY."""
    rng = random.Random(8)
    start = date(2020, 1, 1)
    connection.execute(
        "INSERT INTO payer (id, name, kind, timely_filing_days, pricing_policy, markup_percent,"
        " prior_auth_required, narrative_profile, ndc_quantity_decimals, address, fax) VALUES"
        " (1, 'Medicare Part B', 'medicare', NULL, 'invoice_markup', '0', false, 'generic', 3,"
        " '', ''), (2, 'Aetna', 'commercial', 90, 'invoice_markup', '0', false, 'generic', 3,"
        " '', '')"
    )
    connection.execute(
        "INSERT INTO provider (id, name, credentials, npi) VALUES (1, 'Ann Smith', 'MD',"
        " '1234567893')"
    )
    patient_rows = [(n, f"Patient {n:06d}", f"M{n:06d}", STAMP) for n in range(1, CLAIMS + 1)]
    claim_rows, line_rows = [], []
    for n in range(1, CLAIMS + 1):
        served = start + timedelta(days=rng.randrange(2500))
        payer = rng.choice((1, 2))
        deadline = served + timedelta(days=365 if payer == 1 else 90)
        auth = served + timedelta(days=rng.randrange(200)) if n % 3 == 0 else None
        claim_rows.append((n, n, payer, 1, served, "11", rng.choice(STATUSES), "approved", "",
                           auth, "", "", "", "", "", 0, 0, deadline,
                           f"{rng.randrange(100, 90000)}.00", STAMP, STAMP))  # fmt: skip
        line_rows.append((n, 0, rng.choice(DRUGS), "", f"{rng.randrange(10**10):011d}", "",
                          "drug", "J3490", "", "1", "purchased", "", "single_dose", "", "", "",
                          "", "", False, "", "", "", False, "unknown", False, "", "", "", "",
                          ""))  # fmt: skip
    with connection.cursor() as cursor:
        for table, columns, rows in (
            ("patient", "id, name, member_id, created_at", patient_rows),
            ("claim", CLAIM_COLUMNS, claim_rows),
            ("drug_line", LINE_COLUMNS, line_rows),
        ):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    for table in ("payer", "provider", "patient", "claim", "drug_line"):
        connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    connection.commit()
    connection.execute("ANALYZE")


def timed(action: Callable[[], object]) -> float:
    begin = time.perf_counter()
    action()
    return time.perf_counter() - begin


def median_time(action: Callable[[], object], runs: int = RUNS) -> float:
    action()  # warm: connections, prepared plans, imports
    return statistics.median(timed(action) for _ in range(runs))


def run(url: str, data_dir: Path) -> None:
    import psycopg

    from j3490_desk.services import claim_list, claims
    from j3490_desk.services.app_data import open_app_data
    from tests.sample_claims import sample_claim

    data = open_app_data(data_dir, database_url=url)  # creates the tables: the migrations
    bare_url = url.replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        with psycopg.connect(bare_url) as connection:
            fill(connection)
        with psycopg.connect(bare_url, autocommit=True) as bare:
            baseline = median_time(lambda: bare.execute(BARE_PAGE).fetchall())

            def first_page(**chosen: Any) -> None:
                chosen_filter = claim_list.ClaimFilter(**chosen)
                claim_list.list_claims(data, claim_filter=chosen_filter, limit=PAGE)

            ours = median_time(first_page)
            figure(f"claim list first page on PostgreSQL, {CLAIMS} claims", ours, baseline, 2.0)

            for descending in (True, False):  # filing deadlines may be empty: NULLS FIRST/LAST
                way = "descending" if descending else "ascending"
                absolute(
                    f"  sort by filing deadline on PostgreSQL, {way}",
                    median_time(
                        lambda d=descending: first_page(sort="filing_deadline", descending=d)
                    ),
                    0.2,
                )
            for word in ("Patient 04213", "Zynrelef", "00000"):  # as bench_work_queue's
                worst = max(
                    median_time(lambda text=text: first_page(search=text), 5)
                    for text in (word[: n + 1] for n in range(len(word)))
                )
                absolute(f"  search keystroke on PostgreSQL, worst of '{word}'", worst, 0.1)
            absolute(
                "  Today panel counts on PostgreSQL",
                median_time(lambda: claim_list.today_counts(data)),
                0.1,
            )

            claim_id = claims.create_claim(data, sample_claim())
            claim = claims.get_claim(data, claim_id)
            saves = iter(range(10**6))

            def save() -> None:  # what the wizard's save does first: the claim over the stored
                number = f"PA{next(saves)}"
                prior_auth = dataclasses.replace(claim.prior_auth, number=number)
                claims.update_claim(data, dataclasses.replace(claim, prior_auth=prior_auth))

            def bare_insert() -> None:
                bare.execute(BARE_INSERT, (date(2026, 11, 2), STAMP, STAMP))

            ours_save = median_time(save, SAVES)
            figure(
                f"save one claim on PostgreSQL vs a bare INSERT, {CLAIMS} claims",
                ours_save,
                median_time(bare_insert, SAVES),
                2.0,
            )

            def bare_save() -> None:
                bare_versioned_save(bare, claim_id, f"PA{next(saves)}")

            figure(
                "  (vs the statements any such save needs, in bare SQL: the version-checked "
                "UPDATE and the audit append under its lock, one transaction)",
                ours_save,
                median_time(bare_save, SAVES),
                2.0,
            )
    finally:
        data.close()


def bare_versioned_save(connection: Any, claim_id: int, number: str) -> None:
    """What item 4 of the shared-database issue asks of every save, with no app around it:
    the row locked and its version checked and raised, then one audit entry appended after
    the chain's head, read under the chain's advisory lock."""
    import hashlib

    from j3490_desk.storage.server_database import AUDIT_LOCK

    with connection.transaction():
        (version,) = connection.execute(
            "SELECT version FROM claim WHERE id = %s FOR UPDATE", (claim_id,)
        ).fetchone()
        connection.execute(
            "UPDATE claim SET prior_auth_number = %s, version = %s, updated_at = %s "
            "WHERE id = %s AND version = %s",
            (number, version + 1, STAMP, claim_id, version),
        )
        connection.execute(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})")
        head = connection.execute(
            "SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1"
        ).fetchone()
        entry_hash = hashlib.sha256(f"{head}{number}".encode()).hexdigest()
        connection.execute(
            "INSERT INTO audit_entry (at, \"user\", action, entity, entity_id, claim_id, "
            "changes, prev_hash, entry_hash) VALUES (%s, 'bench', 'update', 'claim', %s, %s, "
            "'{}', %s, %s)",
            (STAMP, claim_id, claim_id, head[0] if head else "", entry_hash),
        )


if __name__ == "__main__":
    main()
