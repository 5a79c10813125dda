"""REF*6R line item control numbers: one per billed service line, unique within the claim."""

from __future__ import annotations

import pytest

from j3490_desk.domain.line_control import line_control_number


def test_numbers_name_the_claim_and_the_drug_line_counted_from_one() -> None:
    assert line_control_number(7, 0) == "7-1"
    assert line_control_number(7, 1) == "7-2"
    assert line_control_number(7, 0, waste=True) == "7-1W"  # the JW line of the first drug
    numbers = {line_control_number(7, i, waste=w) for i in range(3) for w in (False, True)}
    assert len(numbers) == 6 and all(len(n) <= 50 for n in numbers)


@pytest.mark.parametrize(("claim_id", "index"), [(0, 0), (7, -1)])
def test_no_number_for_a_claim_or_line_that_cannot_exist(claim_id: int, index: int) -> None:
    with pytest.raises(ValueError):
        line_control_number(claim_id, index)
