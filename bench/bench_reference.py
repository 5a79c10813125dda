"""Reference data: FDA directory import, NDC look-up and name search, against plain sqlite3.

(a) Full import of the 2019 FDA NDC Directory (128k products, 244k packages) against a
    plain executemany of the same rows into indexed tables, each in a fresh child process
    (so peak RSS is the import's own); medians of interleaved runs. Goal <= 2x, < 300 MB.
(b) One look-up (NDC as printed -> package, product, flags, CMS codes) against a bare
    indexed SELECT of one row; median over 1,000 random NDCs. Goal <= 3x and < 5 ms.
(c) Name search for 3-letter prefixes over the whole directory. Goal < 50 ms.
Skipped (one line says so) when the shared FDA file is absent.
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FDA_ZIP = Path("/work/shared/data/fda/ndctext-2019-04-29.zip")
CMS_DIR = Path("/work/shared/data/cms")
CMS_FILES = (
    "section 508 version of October 2025 ASP NDC-HCPCS Crosswalk 090525.csv",
    "section 508 version of January 2026 ASP NDC-HCPCS Crosswalk 121725.csv",
    "section 508 version of Oct 2025 ASP Pricing File 091725.csv",
    "section 508 version of January 2026 Medicare Part B Payment Limit File 121725.csv",
)
IMPORT_RUNS = 3
LOOKUPS = 1_000
PREFIXES = ("ace", "hep", "lid", "met", "ins", "bev", "ond", "pro")

OURS_IMPORT = """
import json, resource, sys, time
from pathlib import Path
from j3490_desk.paths import DataPaths
from j3490_desk.services.reference import ReferenceService
service = ReferenceService(DataPaths(Path(sys.argv[1])))
start = time.perf_counter()
service.import_file([Path(sys.argv[2])])
seconds = time.perf_counter() - start
print(json.dumps({"s": seconds, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

BASELINE_IMPORT = """
import json, resource, sqlite3, sys, time, zipfile
from pathlib import Path
start = time.perf_counter()
db = sqlite3.connect(Path(sys.argv[1]) / "plain.sqlite", isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("CREATE TABLE product (%s)" % ", ".join(f"c{i}" for i in range(20)))
db.execute("CREATE TABLE package (%s)" % ", ".join(f"c{i}" for i in range(8)))
db.execute("CREATE INDEX product_id ON product (c0)")
db.execute("CREATE INDEX package_ndc ON package (c2)")
db.execute("BEGIN")
with zipfile.ZipFile(sys.argv[2]) as archive:
    for member, table, width in (("product.txt", "product", 20), ("package.txt", "package", 8)):
        with archive.open(member) as stream:
            next(stream)
            rows = (line.decode("latin-1").rstrip("\\r\\n").split("\\t") for line in stream)
            db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows)
db.execute("COMMIT")
db.close()
seconds = time.perf_counter() - start
print(json.dumps({"s": seconds, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _line(name: str, ours_s: float, baseline_s: float | None, goal: str, met: bool) -> None:
    base = f"{baseline_s * 1000:.3f} ms" if baseline_s is not None else "-"
    ratio = f"{ours_s / baseline_s:.2f}x" if baseline_s else "-"
    print(
        f"{name}: ours {ours_s * 1000:.3f} ms, baseline {base}, ratio {ratio}, goal {goal}: "
        f"{'PASS' if met else 'MISS'}",
        flush=True,
    )


def _child(script: str, folder: Path) -> dict[str, float]:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder), str(FDA_ZIP)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_import(work: Path) -> Path:
    ours, baseline = [], []
    for run in range(IMPORT_RUNS):  # interleaved, so machine load hits both alike
        ours.append(_child(OURS_IMPORT, work / f"ours{run}"))
        baseline.append(_child(BASELINE_IMPORT, work / f"plain{run}"))
    ours_s = statistics.median(r["s"] for r in ours)
    base_s = statistics.median(r["s"] for r in baseline)
    _line(
        "reference import, FDA directory 244k packages",
        ours_s,
        base_s,
        "<= 2x",
        ours_s <= 2 * base_s,
    )
    peak_mb = max(r["rss_kb"] for r in ours) / 1024
    print(
        f"reference import peak memory: ours {peak_mb:.0f} MB, baseline "
        f"{max(r['rss_kb'] for r in baseline) / 1024:.0f} MB, goal < 300 MB: "
        f"{'PASS' if peak_mb < 300 else 'MISS'}",
        flush=True,
    )
    return work / "ours0"


def bench_lookup_and_search(data_dir: Path) -> None:
    from j3490_desk.paths import DataPaths
    from j3490_desk.services.reference import ReferenceService

    service = ReferenceService(DataPaths(data_dir))
    cms = [CMS_DIR / name for name in CMS_FILES if (CMS_DIR / name).exists()]
    service.import_files(cms)
    path = DataPaths(data_dir).reference_database
    plain = sqlite3.connect(path)
    codes = [row[0] for row in plain.execute("SELECT package_code FROM fda_package")]
    picked = random.Random(3490).sample(codes, LOOKUPS)
    ndc11s = [service.lookup(code).ndc11 for code in picked[:1]]  # warm the CMS cache
    ndc11s = [
        plain.execute("SELECT ndc11 FROM fda_package WHERE package_code = ?", (c,)).fetchone()[0]
        for c in picked
    ]

    ours = []
    for code in picked:
        start = time.perf_counter()
        service.lookup(code)
        ours.append(time.perf_counter() - start)
    bare = []
    for ndc11 in ndc11s:
        start = time.perf_counter()
        plain.execute("SELECT * FROM fda_package WHERE ndc11 = ?", (ndc11,)).fetchone()
        bare.append(time.perf_counter() - start)
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    _line(
        "NDC lookup, median of 1,000 random NDCs",
        ours_s,
        bare_s,
        "<= 3x and < 5 ms",
        ours_s <= 3 * bare_s and ours_s < 0.005,
    )

    searches, bare_searches = [], []
    for prefix in PREFIXES:
        start = time.perf_counter()
        service.search(prefix, 20)
        searches.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain.execute(
            "SELECT * FROM fda_product WHERE lower(proprietary_name) >= ? "
            "AND lower(proprietary_name) < ? LIMIT 20",
            (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)),
        ).fetchall()
        bare_searches.append(time.perf_counter() - start)
    search_s = statistics.median(searches)
    _line(
        "name search, 3-letter prefix, full directory (median of 8)",
        search_s,
        statistics.median(bare_searches),
        "< 50 ms",
        search_s < 0.050,
    )
    plain.close()
    service.close()


def main() -> None:
    if not FDA_ZIP.exists():
        print(f"bench_reference: SKIP ({FDA_ZIP} not found)", flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="bench_reference_") as folder:
        data_dir = bench_import(Path(folder))
        bench_lookup_and_search(data_dir)


if __name__ == "__main__":
    main()
