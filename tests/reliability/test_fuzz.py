"""Random and mutated input never escapes as an unhandled exception, and never half-writes.

The only outcomes allowed: a clean result, or the module's own validation error that a clerk
can read. Counts of inputs tried are printed at the end of the test run.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from j3490_desk.domain.gs1 import Gs1Error, parse_gs1
from j3490_desk.domain.ndc import NdcError, to_billing_ndc
from j3490_desk.domain.npi import is_valid_npi, npi_problem
from j3490_desk.errors import InvalidInputError, KnownError
from j3490_desk.paths import DataPaths, resources_dir
from j3490_desk.services import claim_json
from j3490_desk.services.reference import ReferenceService
from tests.reliability.fuzz_tally import TRIED

EXAMPLE = json.loads((resources_dir() / "examples" / "4-rare-biologic-infusion.json").read_text())
CROSSWALK = (
    Path(__file__).parents[1] / "fixtures" / "asp_ndc_hcpcs_crosswalk_jan2026_slice.csv"
).read_bytes()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(document: Any) -> list[list[Any]]:
    """Every place in a JSON document where a value could be replaced."""
    found: list[list[Any]] = []
    if isinstance(document, dict):
        for key, value in document.items():
            found.append([key])
            found += [[key, *rest] for rest in _paths(value)]
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found.append([index])
            found += [[index, *rest] for rest in _paths(value)]
    return found


EXAMPLE_PATHS = _paths(EXAMPLE)


def _claim_outcome(document: Any) -> None:
    TRIED["claim JSON importer"] += 1
    try:
        claim_json.claim_from_json(document)
    except InvalidInputError as error:
        assert error.message.startswith("Claim field")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLE_PATHS), json_values)
def test_claim_importer_on_mutated_claims(path: list[Any], value: Any) -> None:
    document = copy.deepcopy(EXAMPLE)
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    _claim_outcome(document)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_claim_importer_on_random_json(document: Any) -> None:
    _claim_outcome(document)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60) | st.from_regex(r"[0-9\- *NDC:]{8,16}", fullmatch=True))
def test_ndc_parser(text: str) -> None:
    TRIED["NDC parser"] += 1
    try:
        assert len(to_billing_ndc(text)) == 11
    except NdcError as error:
        assert str(error)


@settings(max_examples=500, deadline=None)
@given(
    st.text(max_size=80)
    | st.from_regex(r"(\(01\)[0-9]{14})?(\(17\)[0-9]{6})?(\(10\)[A-Z0-9]{1,8})?", fullmatch=True)
)
def test_gs1_parser(text: str) -> None:
    TRIED["GS1 parser"] += 1
    try:
        parse_gs1(text)
    except Gs1Error as error:
        assert str(error)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20) | st.from_regex(r"[12][0-9]{9}", fullmatch=True))
def test_npi_check(text: str) -> None:
    TRIED["NPI check"] += 1
    assert is_valid_npi(text) == (npi_problem(text) is None)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_reference_importer_on_mutated_files(tmp_path_factory: Any, data: st.DataObject) -> None:
    """A damaged crosswalk is imported cleanly or refused, and what was loaded stays loaded."""
    TRIED["reference importer"] += 1
    folder = tmp_path_factory.mktemp("fuzz")
    service = ReferenceService(DataPaths(folder))
    good = folder / "crosswalk.csv"
    good.write_bytes(CROSSWALK)
    service.import_file([good])
    before = service.status().loaded
    at = data.draw(st.integers(0, len(CROSSWALK) - 1))
    junk = data.draw(st.binary(min_size=1, max_size=64))
    cut = data.draw(st.booleans())
    mutated = folder / "mutated.csv"
    mutated.write_bytes(CROSSWALK[:at] + (b"" if cut else junk + CROSSWALK[at:]))
    try:
        service.import_file([mutated])
    except KnownError as error:
        assert error.message
        assert service.status().loaded == before
    finally:
        service.close()
