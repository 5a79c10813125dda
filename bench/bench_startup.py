"""Start-up: process start to main window shown, with 10,000 claims, against a bare PySide6 window.

Both are timed the same way from the parent: from just before the process is started until
the child reports its window shown. Median of several runs each, interleaved.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.report import figure

CLAIMS = 10_000
RUNS = 7

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.show()
app.processEvents()
print("shown", flush=True)
"""

APP = """
import sys
from j3490_desk.ui.app import create_application, open_data_or_explain
app = create_application()
data = open_data_or_explain(sys.argv[1])
from j3490_desk.ui.main_window import MainWindow
window = MainWindow(data)
window.show()
app.processEvents()
print("shown", flush=True)
"""


def fill(data_dir: Path) -> None:
    from j3490_desk.models import Claim, DrugLine, Patient, Payer, Provider
    from j3490_desk.services.app_data import open_app_data

    data = open_app_data(data_dir)
    with data.db.write() as session:
        payer = Payer(name="Medicare Part B", kind="medicare")
        provider = Provider(name="Ann Smith", credentials="MD", npi="1234567893")
        session.add_all([payer, provider])
        session.flush()
        for n in range(CLAIMS):
            patient = Patient(name=f"Patient {n:05d}", member_id=f"M{n:06d}")
            session.add(patient)
            session.flush()
            claim = Claim(
                patient_id=patient.id,
                payer_id=payer.id,
                provider_id=provider.id,
                date_of_service=date(2026, 1, 1) + timedelta(days=n % 300),
            )
            session.add(claim)
            session.flush()
            session.add(DrugLine(claim_id=claim.id, brand_name="Drug X", ndc="00574407205"))
    data.close()


def time_to_window(script: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True, env=env
    ) as child:
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = time.perf_counter() - start
        child.wait()
    if line.strip() != "shown":
        raise RuntimeError("the window was not shown")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        fill(data_dir)
        time_to_window(APP, str(data_dir))  # warm the file cache for both
        time_to_window(BARE)
        ours, bare = [], []
        for _ in range(RUNS):
            ours.append(time_to_window(APP, str(data_dir)))
            bare.append(time_to_window(BARE))
    figure(
        f"start-up to main window, {CLAIMS} claims",
        statistics.median(ours),
        statistics.median(bare),
        1.5,
    )


if __name__ == "__main__":
    main()
