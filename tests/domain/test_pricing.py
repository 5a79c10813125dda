"""Pricing (domain.md section 8): invoice + markup, ASP payment limit, NOC file, WAC + add-on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from j3490_desk.domain.amounts import round_cents
from j3490_desk.domain.claim import (
    DrugLine,
    Invoice,
    Payer,
    PayerKind,
    PricingPolicy,
    Wac,
    Waste,
)
from j3490_desk.domain.pricing import (
    PricingError,
    price_by_asp,
    price_by_invoice,
    price_by_wac,
    price_claim,
    price_line,
)
from j3490_desk.domain.sources import PALMETTO_PRICING
from tests.domain import scenarios


def test_invoice_cost_times_amount_used_including_jw_waste() -> None:
    scenario = scenarios.rare_biologic()  # $7,000 per 50 mg vial; 45 mg given + 5 mg JW
    line = scenario.claim.drug_lines[0]
    result = price_by_invoice(line, scenario.claim.payer)
    assert [p.amount for p in result.parts] == [Decimal(6300), Decimal(700), Decimal(0)]
    assert result.total == Decimal("7000.00")
    without_jw = price_by_invoice(replace(line, modifiers=()), scenario.claim.payer)
    assert without_jw.total == Decimal("6300.00")


def test_payer_markup_is_added_once() -> None:
    scenario = scenarios.rare_biologic()
    payer = replace(scenario.claim.payer, markup_percent=Decimal("6"))
    assert price_by_invoice(scenario.claim.drug_lines[0], payer).total == Decimal("7420.00")


def test_asp_payment_limit_is_not_multiplied_by_1_06_again() -> None:
    """CMS payment limit = 106% of ASP already (42 USC 1395w-3a(b)(1)); domain.md section 8.
    J9312 Jan 2026 limit $74.765 per 10 mg; 1000 mg = 100 units -> $7,476.50."""
    scenario = scenarios.off_label_rituximab("J9312")
    line = scenario.claim.drug_lines[0]
    result = price_by_asp(line, scenario.claim.date_of_service, scenario.facts["50242005306"])
    assert result.total == Decimal("7476.50")
    assert result.total != round_cents(Decimal("7476.50") * Decimal("1.06"))
    assert result.method is PricingPolicy.ASP


def test_asp_partial_units_round_up_and_jw_units_priced() -> None:
    scenario = scenarios.off_label_rituximab("J9312")
    line = scenario.claim.drug_lines[0]
    line = replace(
        line,
        modifiers=("JW",),
        dose=replace(line.dose, amount=Decimal(985)),
        waste=Waste(Decimal(15), "x"),
    )
    result = price_by_asp(line, scenario.claim.date_of_service, scenario.facts["50242005306"])
    assert [p.amount for p in result.parts] == [Decimal("7401.735"), Decimal("74.765")]
    assert result.total == Decimal("7476.50")


def test_asp_without_a_mapping_on_the_dos_cannot_price() -> None:
    scenario = scenarios.off_label_rituximab()  # billed J3490: no payment limit for it
    with pytest.raises(PricingError, match="No CMS payment limit"):
        price_by_asp(scenario.claim.drug_lines[0], scenario.claim.date_of_service, None)


def _with_wac(
    line: DrugLine, amount: str = "9100.00", source: str = "Red Book, March 2019"
) -> DrugLine:
    return replace(line, wac=Wac(Decimal(amount), source))


def test_wac_plus_3_percent_for_medicare_where_the_contractor_names_no_figure() -> None:
    """CY2019 PFS final rule (83 FR 59452): WAC + 3% from 1 Jan 2019, WAC + 6% before; WPS
    publishes no add-on of its own, so the price says it used the CMS default."""
    scenario = scenarios.new_immunotherapy()
    line, payer = _with_wac(scenario.claim.drug_lines[0]), scenario.claim.payer
    result = price_by_wac(line, date(2019, 3, 12), payer)
    assert result.total == Decimal("9373.00")
    assert "CMS default; WPS (J5/J8) publishes no figure" in result.parts[-1].label
    assert "Red Book, March 2019" in result.explanation
    assert price_by_wac(line, date(2018, 12, 31), payer).total == Decimal("9646.00")
    commercial = Payer("Acme", markup_percent=Decimal(10))
    assert price_by_wac(line, date(2019, 3, 12), commercial).total == Decimal("10010.00")


def test_the_wac_add_on_is_the_contractors_own_where_it_publishes_one() -> None:
    """payer-profiles.md section 2: Palmetto prices NOC drugs at WAC + 6% (106%)."""
    scenario = scenarios.new_immunotherapy()
    line = _with_wac(scenario.claim.drug_lines[0])
    palmetto = replace(scenario.claim.payer, narrative_profile="palmetto")
    result = price_by_wac(line, date(2019, 3, 12), palmetto)
    assert result.total == Decimal("9646.00")
    assert PALMETTO_PRICING in result.source


def test_wac_needs_its_source_stated() -> None:
    line = _with_wac(scenarios.new_immunotherapy().claim.drug_lines[0], source=" ")
    with pytest.raises(PricingError, match="source is not stated"):
        price_by_wac(line, date(2019, 3, 12), scenarios.new_immunotherapy().claim.payer)


def test_medicare_prices_asp_then_noc_file_then_wac_then_invoice() -> None:
    """domain.md section 8's order; each step used only when the ones before cannot price."""
    scenario = scenarios.new_immunotherapy()  # no code yet on 12 Mar 2019: no ASP
    claim, line = scenario.claim, scenario.claim.drug_lines[0]
    by_invoice = price_line(line, claim.date_of_service, claim.payer, None)
    assert by_invoice.method is PricingPolicy.INVOICE_MARKUP
    by_wac = price_line(_with_wac(line), claim.date_of_service, claim.payer, None)
    assert by_wac.method is PricingPolicy.WAC
    nothing = replace(line, invoice=Invoice())
    with pytest.raises(PricingError) as raised:
        price_line(nothing, claim.date_of_service, claim.payer, None)
    reasons = str(raised.value)
    assert "No CMS payment limit" in reasons and "NOC pricing file" in reasons
    assert "no WAC is entered" in reasons and "invoice" in reasons


def test_price_line_follows_the_payer_policy_and_price_claim_reports_errors() -> None:
    scenario = scenarios.compound_trimix()
    results = price_claim(scenario.claim, facts=scenario.facts)
    assert [r.total for r in results if not isinstance(r, PricingError)] == [
        Decimal("16.50"),
        Decimal("78.40"),
        Decimal("209.00"),
    ]
    broken = replace(scenario.claim.drug_lines[0], invoice=Invoice())
    with pytest.raises(PricingError):
        price_line(broken, scenario.claim.date_of_service, scenario.claim.payer)
    assert isinstance(price_claim(replace(scenario.claim, drug_lines=(broken,)))[0], PricingError)


def test_negative_inputs_are_refused() -> None:
    scenario = scenarios.rare_biologic()
    line = scenario.claim.drug_lines[0]
    with pytest.raises(PricingError):
        price_by_invoice(
            replace(line, invoice=replace(line.invoice, price_paid=Decimal(-1))),
            scenario.claim.payer,
        )
    with pytest.raises(PricingError):
        price_by_invoice(line, replace(scenario.claim.payer, markup_percent=Decimal(-5)))


money = st.decimals(min_value=0, max_value=100_000, places=2)
amounts = st.decimals(min_value="0.001", max_value=1000, places=3)


@given(money, st.integers(1, 50), amounts, amounts, st.decimals(0, 100, places=2), st.booleans())
def test_invoice_total_is_sum_of_parts_and_never_negative(
    price: Decimal, bought: int, dose: Decimal, waste: Decimal, markup: Decimal, jw: bool
) -> None:
    scenario = scenarios.rare_biologic()
    line = scenario.claim.drug_lines[0]
    line = replace(
        line,
        modifiers=("JW",) if jw else (),
        invoice=replace(line.invoice, price_paid=price, quantity=Decimal(bought)),
        dose=replace(line.dose, amount=dose),
        waste=Waste(waste, "x"),
    )
    result = price_by_invoice(line, Payer("p", kind=PayerKind.COMMERCIAL, markup_percent=markup))
    assert result.total >= 0 and all(p.amount >= 0 for p in result.parts)
    assert result.total == round_cents(sum((p.amount for p in result.parts), Decimal(0)))


# What the clinic is told to do: never in the reason a reviewer reads in the packet.
APP_WORDS = ("Enter ", "enter ", "Import ", "import ", "Correct ", "Reference data", "instead")


def test_a_line_that_cannot_be_priced_gives_one_reason_and_a_separate_fix() -> None:
    """Issue 19: the packet says why in one sentence; the app says what to do."""
    scenario = scenarios.new_immunotherapy()
    claim, line = scenario.claim, scenario.claim.drug_lines[0]
    nothing = replace(line, invoice=Invoice())
    with pytest.raises(PricingError) as raised:
        price_line(nothing, claim.date_of_service, claim.payer, None)
    error = raised.value
    assert error.reason.count(".") == 1 and error.reason.endswith(".")
    assert "no WAC is entered" in error.reason and "price paid" in error.reason
    assert not any(word in error.reason for word in APP_WORDS), error.reason
    assert "enter the WAC" in error.fix and "from the invoice" in error.fix
    assert str(error) == error.reason


@pytest.mark.parametrize(
    "broken",
    [
        lambda line: replace(line, dose=replace(line.dose, amount=None)),
        lambda line: replace(line, package=replace(line.package, amount=None)),
        lambda line: replace(line, invoice=replace(line.invoice, price_paid=Decimal(-1))),
    ],
)
def test_every_pricing_reason_is_free_of_instructions(broken: object) -> None:
    scenario = scenarios.rare_biologic()
    line = broken(scenario.claim.drug_lines[0])  # type: ignore[operator]
    with pytest.raises(PricingError) as raised:
        price_by_invoice(line, scenario.claim.payer)
    assert not any(word in raised.value.reason for word in APP_WORDS), raised.value.reason
    assert raised.value.fix
