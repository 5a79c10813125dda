"""The committed corpus of bad inputs (tests/fixtures/bad_inputs/) through the real CLI.

Every claim file goes through `claim import`, `claim check` and `claim packet`, every bad
backup through `backup verify` and `backup restore`, in subprocesses (two batches, one per
core). For each: the documented exit status (0, 1 or 2; `expected.json` says which for the
import), never a traceback, the database whole with every row count unchanged after a
refusal, and the peak memory of the whole run under 1 GB (issue 18, "A fuzz corpus").
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from j3490_desk.cli import run
from j3490_desk.paths import resources_dir

CORPUS = Path(__file__).parents[1] / "fixtures" / "bad_inputs"
EXPECTED: dict[str, int] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
CLAIM_FILES = sorted((CORPUS / "claims").glob("*.json"))
BACKUP_FILES = sorted((CORPUS / "backups").glob("*.zip"))
CLASSES = ("money-", "date-", "int-", "text-", "count-", "shape-", "status-")
PEAK_BYTES = 1024**3
TODAY = "2019-06-10"  # a week after the examples' date of service: no deadline has passed


def test_the_corpus_is_complete() -> None:
    assert len(CLAIM_FILES) >= 50
    assert {f.name for f in CLAIM_FILES} == set(EXPECTED), "run make_corpus.py again"
    for prefix in CLASSES:
        assert any(f.name.startswith(prefix) for f in CLAIM_FILES), prefix
    assert len(BACKUP_FILES) >= 5


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    root = tmp_path_factory.mktemp("bad-inputs")
    inputs = [*CLAIM_FILES, *BACKUP_FILES]
    batches = [inputs[0::2], inputs[1::2]]
    processes = []
    for number, batch in enumerate(batches):
        data_dir, work = root / f"data-{number}", root / f"work-{number}"
        work.mkdir()
        seed = resources_dir() / "examples" / "1-new-immunotherapy.json"
        assert run(["--data-dir", str(data_dir), "claim", "import", str(seed)]) == 0
        command = [
            sys.executable,
            "-m",
            "tests.reliability.bad_input_runner",
            str(data_dir),
            str(work),
            TODAY,
            *map(str, batch),
        ]
        processes.append(
            subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
            )
        )
    found: list[dict[str, Any]] = []
    for process in processes:
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, err[-3000:]
        found += [json.loads(line) for line in out.splitlines()]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kB on Linux
    assert peak < PEAK_BYTES, f"peak memory {peak / 1024**2:.0f} MB"
    assert len(found) == len(inputs)
    return found


def test_every_claim_file_gets_its_documented_answer(results: list[dict[str, Any]]) -> None:
    wrong = []
    for result in (r for r in results if r["file"].endswith(".json")):
        name, imported = result["file"], result["import"]
        problems = []
        if "traceback" in (imported, result["check"], result.get("packet")):
            problems.append("an exception escaped")
        if imported != EXPECTED[name]:
            problems.append(f"import exit {imported}, documented {EXPECTED[name]}")
        if imported == 2:
            if not result["unchanged"] or result["integrity"] != "ok":
                problems.append("a refusal changed the database")
            if "Claim field" not in result["import_says"] and name.startswith(CLASSES[:5]):
                problems.append("the message does not name the field")
            if result["check"] != 2:
                problems.append(f"check exit {result['check']} on a file import refuses")
        else:
            if result["check"] not in (0, 1):
                problems.append(f"check exit {result['check']}")
            if result.get("packet") != 0:
                problems.append(f"packet exit {result.get('packet')}: {result.get('packet_says')}")
        if problems:
            wrong.append(f"{name}: {'; '.join(problems)}\n    {result['import_says']}")
    assert not wrong, "\n".join(wrong)


def test_every_bad_backup_is_refused_without_harm(results: list[dict[str, Any]]) -> None:
    wrong = [
        f"{r['file']}: verify {r['verify']}, restore {r['restore']}\n"
        f"    {r['verify_says']}\n    {r['restore_says']}"
        for r in results
        if r["file"].endswith(".zip")
        and (r["verify"] not in (1, 2) or r["restore"] not in (1, 2) or not r["unchanged"])
    ]
    assert not wrong, "\n".join(wrong)
