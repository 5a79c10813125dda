"""domain.md §17: the denial codes that point back at a documentation item."""

from __future__ import annotations

from j3490_desk.domain.denial_items import items_to_fix


def test_co16_names_the_item_its_remark_code_points_at() -> None:
    assert items_to_fix(["16"], ["M119"]) == (
        "the NDC (item 1: 11 digits, active on the date of service)",
    )
    assert items_to_fix(["16"], ["N350"]) == ("the description of the drug in the NOC narrative",)
    assert items_to_fix(["16"], ["M123"]) == (
        "the drug's name, strength or dosage in the NOC narrative",
    )


def test_carc_16_alone_names_nothing_and_unknown_codes_name_nothing() -> None:
    assert items_to_fix(["16"], []) == ()
    assert items_to_fix(["45", "96"], ["N115"]) == ()


def test_carcs_that_name_an_item_follow_the_remark_codes_each_once() -> None:
    assert items_to_fix(["50", "197", "15"], ["M119"]) == (
        "the NDC (item 1: 11 digits, active on the date of service)",
        "the medical necessity (item 4)",
        "the prior authorization",
    )
    assert items_to_fix(["4"], []) == ("the modifiers (JW/JZ)",)
