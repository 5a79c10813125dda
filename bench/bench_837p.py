"""837P: 1,000 claims written and validated in one file (`write_837p` + `validate_837p`: pyx12
and our own checks), against pyx12's validation of the same file alone (goal: at most 1.5x).

The claims are the four examples in turn, each with its own claim number; no database, so the
figure is the writer and the checks, not the claim check that gates an export.
"""

from __future__ import annotations

import io
import logging
import time

import pyx12.params
import pyx12.x12n_document

from bench.report import figure
from j3490_desk.export.x12.claim_837p import write_837p
from j3490_desk.export.x12.validation import validate_837p
from tests.export.x12_claims import ENVELOPE, SCENARIOS, SUBMITTER, to_send

CLAIMS = 1_000
GOAL_RATIO = 1.5


def pyx12_alone(text: str) -> None:
    logging.getLogger("pyx12").setLevel(logging.CRITICAL + 1)
    report = io.StringIO()
    pyx12.x12n_document.x12n_document(
        pyx12.params.params(), io.StringIO(text), None, None, None, fd_json=report
    )


def main() -> None:
    names = sorted(SCENARIOS)
    items = tuple(to_send(names[i % len(names)], i + 1) for i in range(CLAIMS))
    start = time.perf_counter()
    written = write_837p(items, SUBMITTER, ENVELOPE)
    problems = validate_837p(written.text)
    ours = time.perf_counter() - start
    assert problems == [], problems[:3]
    start = time.perf_counter()
    pyx12_alone(written.text)
    baseline = time.perf_counter() - start
    segments = written.text.count("~")
    print(f"{CLAIMS} claims, {segments} segments, {len(written.text) // 1024} KB")
    figure("837P written + validated vs pyx12 alone", ours, baseline, GOAL_RATIO)


if __name__ == "__main__":
    main()
