"""The work queue at 100,000 claims: the main window's first page, sort by deadline, a search
keystroke and memory, against a bare SQL query returning the first page in the same run.

Claims are bulk-inserted with plain sqlite3 after `open_app_data` has migrated the file.
"""

from __future__ import annotations

import random
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

from bench.report import figure

CLAIMS = 100_000
PAGE = 200
RUNS = 7
STATUSES = ("draft", "ready", "submitted", "paid", "denied", "corrected", "closed")
DRUGS = ("Adstiladrin", "Zynrelef", "Elrexfio", "Ryzneuta", "Compounded ketamine", "Omvoh")
# The baseline: the first page of the same list (names joined, newest service first), asked
# of SQLite directly, with no filters, readiness, deadlines or Python objects.
BARE = """
SELECT claim.id, patient.name, claim.date_of_service, payer.name, claim.status,
       claim.filing_deadline, claim.billed_total
FROM claim
LEFT JOIN patient ON patient.id = claim.patient_id
LEFT JOIN payer ON payer.id = claim.payer_id
ORDER BY claim.date_of_service DESC LIMIT 200
"""


def fill(data_dir: Path) -> None:
    from j3490_desk.services.app_data import open_app_data

    open_app_data(data_dir).close()  # creates and migrates the file
    rng = random.Random(8)
    start = date(2020, 1, 1)
    connection = sqlite3.connect(data_dir / "claims.sqlite")
    with connection:
        connection.executemany(
            "INSERT INTO payer (id, name, kind, timely_filing_days, pricing_policy, markup_percent,"
            " prior_auth_required, narrative_profile, ndc_quantity_decimals, address, fax)"
            " VALUES (?, ?, ?, ?, 'invoice_markup', '0', 0, 'generic', 3, '', '')",
            [(1, "Medicare Part B", "medicare", None), (2, "Aetna", "commercial", 90)],
        )
        connection.execute(
            "INSERT INTO provider (id, name, credentials, npi) VALUES (1, 'Ann Smith', 'MD', '1234567893')"
        )
        connection.executemany(
            "INSERT INTO patient (id, name, member_id, created_at) VALUES (?, ?, ?, '2026-01-01T00:00:00+00:00')",
            [(n, f"Patient {n:06d}", f"M{n:06d}") for n in range(1, CLAIMS + 1)],
        )
        claims, lines = [], []
        for n in range(1, CLAIMS + 1):
            served = start + timedelta(days=rng.randrange(2500))
            payer = rng.choice((1, 2))
            deadline = served + timedelta(days=365 if payer == 1 else 90)
            auth = served + timedelta(days=rng.randrange(200)) if n % 3 == 0 else None
            claims.append((n, n, payer, served.isoformat(), rng.choice(STATUSES), deadline.isoformat(),
                           auth.isoformat() if auth else None, f"{rng.randrange(100, 90000)}.00"))  # fmt: skip
            drug = rng.choice(DRUGS)
            lines.append((n, drug, f"{rng.randrange(10**10):011d}"))
        connection.executemany(
            "INSERT INTO claim (id, patient_id, payer_id, provider_id, date_of_service, place_of_service,"
            " status, prior_auth_status, prior_auth_number, prior_auth_valid_to, icd10_codes,"
            " prior_treatments, why_standard_failed, necessity_rationale, resume_step,"
            " readiness_blockers, readiness_warnings, filing_deadline, billed_total,"
            " created_at, updated_at)"
            " VALUES (?1, ?2, ?3, 1, ?4, '11', ?5, 'approved', '', ?7, '', '', '', '', '', 0, 0, ?6,"
            " ?8, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
            claims,
        )
        connection.executemany(
            "INSERT INTO drug_line (claim_id, position, brand_name, generic_name, ndc, strength, kind,"
            " hcpcs_code, modifiers, billed_units, acquisition, package_unit, container,"
            " ndc_unit_qualifier, invoice_supplier, invoice_number, invoice_drug, invoice_ndc,"
            " invoice_attached, dose_unit, route, prescriber, prescription_attached, fda_status,"
            " off_label, off_label_rationale, compendium_reference, lot_number, waste_reason,"
            " admin_cpt_code) VALUES (?, 0, ?, '', ?, '', 'drug', 'J3490', '', '1', 'purchased', '',"
            " 'single_dose', '', '', '', '', '', 0, '', '', '', 0, 'unknown', 0, '', '', '', '', '')",
            lines,
        )
    connection.execute("ANALYZE")
    connection.close()


def timed(action: Callable[[], object]) -> float:
    begin = time.perf_counter()
    action()
    return time.perf_counter() - begin


def median_time(action: Callable[[], object]) -> float:
    return statistics.median(timed(action) for _ in range(RUNS))


def absolute(name: str, ours_s: float, goal_s: float) -> bool:
    met = ours_s < goal_s
    print(
        f"{name}: {ours_s * 1000:.1f} ms (goal < {goal_s * 1000:.0f} ms) {'PASS' if met else 'MISS'}"
    )
    return met


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        fill(data_dir)
        run(data_dir)


def run(data_dir: Path) -> None:
    from j3490_desk.services import claim_list
    from j3490_desk.services.app_data import open_app_data
    from j3490_desk.ui.app import create_application
    from j3490_desk.ui.main_window import MainWindow

    def bare() -> None:
        with sqlite3.connect(f"{(data_dir / 'claims.sqlite').as_uri()}?mode=ro", uri=True) as c:
            c.execute(BARE).fetchall()

    app = create_application()
    data = open_app_data(data_dir)

    def first_page(**chosen: object) -> None:
        claim_list.list_claims(data, claim_filter=claim_list.ClaimFilter(**chosen), limit=PAGE)  # type: ignore[arg-type]

    bare()
    baseline = median_time(bare)
    figure(f"claim list first page, {CLAIMS} claims", median_time(first_page), baseline, 2.0)

    def open_window() -> float:
        """Construct, show and paint the window; closing (which waits for the Today count on
        its worker thread) is not part of opening it."""
        begin = time.perf_counter()
        window = MainWindow(data)
        window.show()
        app.processEvents()
        elapsed = time.perf_counter() - begin
        window.close()
        window.deleteLater()
        app.processEvents()
        return elapsed

    def bare_window() -> float:
        """For context: an empty QMainWindow holding a QTableView, shown and painted."""
        from PySide6.QtWidgets import QMainWindow, QTableView

        begin = time.perf_counter()
        window = QMainWindow()
        window.setCentralWidget(QTableView())
        window.resize(1000, 640)
        window.show()
        app.processEvents()
        elapsed = time.perf_counter() - begin
        window.close()
        window.deleteLater()
        app.processEvents()
        return elapsed

    open_window()
    bare_window()
    opened = statistics.median(open_window() for _ in range(RUNS))
    figure(
        "  (open the main window vs an empty QMainWindow + QTableView)",
        opened,
        statistics.median(bare_window() for _ in range(RUNS)),
        2.0,
    )
    figure(f"open the main window, {CLAIMS} claims", opened, baseline, 2.0)
    absolute("  (open the main window, absolute)", opened, 0.5)
    absolute(
        "sort by filing deadline", median_time(lambda: first_page(sort="filing_deadline")), 0.2
    )
    absolute(
        "sort by deadline, descending",
        median_time(lambda: first_page(sort="filing_deadline", descending=False)),
        0.2,
    )
    for word in ("Patient 04213", "Zynrelef", "00000"):
        keystrokes = [word[: n + 1] for n in range(len(word))]
        worst = max(median_time(lambda text=text: first_page(search=text)) for text in keystrokes)
        absolute(f"search keystroke, worst of '{word}'", worst, 0.1)
    absolute("Today panel counts", median_time(lambda: claim_list.today_counts(data)), 0.1)
    drug_name_search(data_dir)
    window = MainWindow(data)
    window.show()
    for _ in range(10):  # scroll ten pages in
        window.model.fetchMore()
    app.processEvents()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"memory, peak RSS: {peak_mb:.0f} MB (goal < 300 MB) {'PASS' if peak_mb < 300 else 'MISS'}"
    )
    window.close()
    data.close()


def drug_name_search(data_dir: Path) -> None:
    """The claim search's drug-name lookup for a term no drug has, so it reads every line:
    through 0004's covering index (brand_name, generic_name, claim_id) against the same query
    made to scan the table (NOT INDEXED), as it did before that index."""
    from j3490_desk.storage.claim_list import DENSE_HITS, DRUG_HITS_SQL, names_like

    params = {"like": "%no such drug%", "cap": DENSE_HITS}
    uri = f"{(data_dir / 'claims.sqlite').as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        drug_hits_sql = names_like(connection, DRUG_HITS_SQL)
        table_scan = drug_hits_sql.replace("FROM drug_line", "FROM drug_line NOT INDEXED")
        plan = connection.execute(f"EXPLAIN QUERY PLAN {drug_hits_sql}", params).fetchall()
        assert "COVERING INDEX ix_drug_line_name_search" in plan[0][3], plan
        figure(
            f"drug name search, no hit, {CLAIMS} lines (vs table scan)",
            median_time(lambda: connection.execute(drug_hits_sql, params).fetchall()),
            median_time(lambda: connection.execute(table_scan, params).fetchall()),
            1.0,
        )


if __name__ == "__main__":
    main()
