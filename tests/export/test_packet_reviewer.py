"""The packet as a Medicare medical reviewer reads it (issue 19): the four example claims'
packets, read back with pypdf.

No internal names, money written one way, the pricing numbered like the claim summary, only
the claim's own contractor cited, JW lines that say what they bill, and no page left nearly
empty by a block that moved whole to the next page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import letter
from reportlab.platypus import SimpleDocTemplate

from j3490_desk.domain.billing import bill_lines
from j3490_desk.domain.claim import Claim, DrugLine
from j3490_desk.domain.payer_profiles import profile_for
from j3490_desk.domain.sources import CONTRACTOR_PAGES
from j3490_desk.export.flowables import KeepShort
from j3490_desk.export.layout import BODY_HEIGHT, BODY_Y
from j3490_desk.export.packet import RenderedPacket, render_packet
from j3490_desk.export.styles import grid, para, styles
from tests.domain import scenarios
from tests.domain.scenarios import ALL_SCENARIOS, Scenario
from tests.export.test_packet_scenarios import packet_input, page_texts

ALL_CONTRACTOR_PAGES = {page for pages in CONTRACTOR_PAGES.values() for page in pages}
# "$412.50", "$1,045.00"; a price per mg or mcg may carry up to four decimals ("$0.275 per mg").
AMOUNT = re.compile(r"^\$\d{1,3}(,\d{3})*\.\d{2}$")
RATE = re.compile(r"^\$\d{1,3}(,\d{3})*\.\d{2,4}$")
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# "§" only inside a public citation: "IOM 100-04 ch.17 §20.1.3", "Social Security Act §1847A".
PUBLIC_SECTION = re.compile(r"(ch\.\d+|Act) §")


def _render(scenario: Scenario, folder: Path) -> RenderedPacket:
    return render_packet(packet_input(scenario, folder))


@pytest.fixture(scope="module")
def packets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Scenario, RenderedPacket]]:
    rendered = {}
    for make in ALL_SCENARIOS:
        scenario = make()
        rendered[make.__name__] = (scenario, _render(scenario, tmp_path_factory.mktemp("p")))
    return rendered


def _section(packet: RenderedPacket, key: str) -> str:
    entry = next(e for e in packet.manifest if e.key == key)
    return " ".join(page_texts(packet.pdf)[entry.first_page - 1 : entry.last_page])


def _own_text(packet: RenderedPacket) -> str:
    """The packet's own pages (cover to pricing), not the enclosed documents."""
    pricing = next(e for e in packet.manifest if e.key == "pricing")
    return " ".join(page_texts(packet.pdf)[: pricing.last_page])


@pytest.mark.parametrize("name", [make.__name__ for make in ALL_SCENARIOS])
def test_no_internal_names_on_paper(
    packets: dict[str, tuple[Scenario, RenderedPacket]], name: str
) -> None:
    _, packet = packets[name]
    text = _own_text(packet)
    assert "domain.md" not in text
    for match in re.finditer("§", text):
        assert PUBLIC_SECTION.search(text[max(0, match.start() - 8) : match.end()]), text[
            match.start() - 40 : match.end() + 10
        ]
    printed_urls = "".join(ALL_CONTRACTOR_PAGES)
    for token in SNAKE_CASE.findall(text):
        assert token in printed_urls, token


def test_problems_name_their_item_in_words(
    packets: dict[str, tuple[Scenario, RenderedPacket]],
) -> None:
    summary = _section(packets["off_label_rituximab"][1], "summary")  # a DRAFT: one blocker
    assert "Item Problem What to do HCPCS code This drug has its own code, J9312" in summary
    assert not re.search(r"\b(coding|timely_filing|prior_auth)\b", summary)


@pytest.mark.parametrize("name", [make.__name__ for make in ALL_SCENARIOS])
def test_money_has_two_decimals_and_thousands_separators(
    packets: dict[str, tuple[Scenario, RenderedPacket]], name: str
) -> None:
    _, packet = packets[name]
    text = _own_text(packet)
    amounts = re.findall(r"(\$[\d,]+(?:\.\d+)?)( per)?", text)
    assert amounts
    for amount, per in amounts:
        assert (RATE if per else AMOUNT).match(amount), amount


def test_the_trimix_invoice_prices_read_as_payers_write_them(
    packets: dict[str, tuple[Scenario, RenderedPacket]],
) -> None:
    _, packet = packets["compound_trimix"]
    pricing = _section(packet, "pricing")
    assert "Invoice: $412.50 for 25 package(s)" in pricing
    assert "Invoice: $1,045.00 for 5 package(s)" in pricing
    assert "$412.5 " not in pricing and "$1045" not in pricing


@pytest.mark.parametrize("name", [make.__name__ for make in ALL_SCENARIOS])
def test_pricing_line_numbers_match_the_claim_summary(
    packets: dict[str, tuple[Scenario, RenderedPacket]], name: str
) -> None:
    scenario, packet = packets[name]
    summary, pricing = _section(packet, "summary"), _section(packet, "pricing")
    billed = bill_lines(scenario.claim, facts=scenario.facts)
    for number, line in enumerate(billed, start=1):
        drug = scenario.claim.drug_lines[line.drug_line]
        assert f"Line {number}: {drug.brand_name}" in summary
        if line.is_waste_line:
            assert f"and {number} (line {number}: discarded, JW): {drug.brand_name}" in pricing
        else:
            assert (
                f"Line {number}: {drug.brand_name}" in pricing
                or f"Lines {number} and {number + 1} (line {number + 1}: discarded, JW): "
                f"{drug.brand_name}"
                in pricing
            ), (number, drug.brand_name)
    # where a breakdown is printed, each row names its claim line
    for number, line in enumerate(billed, start=1):
        part = "drug discarded (JW)" if line.is_waste_line else "drug given"
        if "How the expected payment is computed" in pricing and name != "off_label_rituximab":
            assert f"Line {number}, {part}:" in pricing


@pytest.mark.parametrize("name", [make.__name__ for make in ALL_SCENARIOS])
def test_only_the_claims_own_contractor_is_cited(
    packets: dict[str, tuple[Scenario, RenderedPacket]], name: str
) -> None:
    scenario, packet = packets[name]
    text = re.sub(r"\s+", "", _own_text(packet))  # long addresses wrap across lines
    own_key = profile_for(scenario.claim.payer).key
    for key, pages in CONTRACTOR_PAGES.items():
        for page in pages:
            assert (page in text) is False or key == own_key, (key, page)


def test_a_novitas_claim_cites_novitas_and_never_wps_or_palmetto(
    packets: dict[str, tuple[Scenario, RenderedPacket]],
) -> None:
    _, packet = packets["compound_trimix"]
    text = re.sub(r"\s+", "", _own_text(packet))
    assert "novitas-solutions.com" in text
    assert "wpsmedicare" not in text and "palmettogba" not in text


def test_a_jw_line_says_it_bills_the_discarded_amount(
    packets: dict[str, tuple[Scenario, RenderedPacket]],
) -> None:
    scenario, packet = packets["compound_trimix"]
    summary = _section(packet, "summary")
    assert "Line 2: Papaverine Hydrochloride, discarded (JW): 30 mg discarded, not given" in summary
    assert "Line 4: Phentolamine Mesylate, discarded (JW): 4 mg discarded, not given" in summary
    assert "Line 6: Alprostadil, discarded (JW): 490 mcg discarded, not given" in summary
    # papaverine's waste equals its dose: the given line's narrative is printed once only
    given = bill_lines(scenario.claim, facts=scenario.facts)[0].narrative
    assert summary.count(given) == 1
    assert (
        "Narrative for the discarded amount (2400 SV101-7, 2300 NTE, item 19): PHENTOLAMINE "
        "MESYLATE 4MG" in summary
    )


def test_amount_discarded_agrees_with_the_modifier(
    packets: dict[str, tuple[Scenario, RenderedPacket]], tmp_path: Path
) -> None:
    items = _section(packets["off_label_rituximab"][1], "items")
    assert "Amount discarded none (JZ: nothing discarded)" in items
    assert "Reason none needed: nothing discarded" in items  # no reason is missing there
    trimix = _section(packets["compound_trimix"][1], "items")  # injections (54235): no times
    assert "Start not needed: not an infusion code" in trimix and "Start not entered" not in trimix
    items = _section(packets["compound_trimix"][1], "items")
    assert "Amount discarded 490 mcg (JW: billed on its own line)" in items

    scenario = scenarios.off_label_rituximab()
    line = scenario.claim.drug_lines[0]
    wasted = replace(line, waste=replace(line.waste, amount=Decimal("10")))
    contradicted = replace(scenario, claim=_one_line(scenario.claim, wasted))
    items = _section(_render(contradicted, tmp_path), "items")
    # JZ with waste: no JW line is billed (the claim check says whether the units cover it)
    assert "Amount discarded 10 mg (JZ on the line: not billed on a JW line)" in items


def _one_line(claim: Claim, line: DrugLine) -> Claim:
    return replace(claim, drug_lines=(line,))


def test_a_line_that_cannot_be_priced_says_why_in_its_own_table(
    packets: dict[str, tuple[Scenario, RenderedPacket]],
) -> None:
    pricing = _section(packets["off_label_rituximab"][1], "pricing")
    heading = pricing.index("Line 1: Rituxan (rituximab)")
    reason = re.search(r"Expected payment (Cannot be computed: [^.]*\.)", pricing)
    assert reason and reason.start() > heading
    assert reason[1].count(".") == 1  # one sentence
    assert "04/14/2026" in reason[1]  # dates as US payers print them
    assert "The expected payment cannot be computed" not in pricing


def _fill(page_pdf: bytes, number: int) -> float:
    """How far down the body the page's text reaches (0 empty, 1 full)."""
    lowest = float(BODY_Y + BODY_HEIGHT)
    reader = PdfReader(BytesIO(page_pdf))

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        nonlocal lowest
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        # the DRAFT watermark crosses the whole body: it is not content
        if text.strip() not in ("", "DRAFT") and BODY_Y - 2 <= y <= BODY_Y + BODY_HEIGHT:
            lowest = min(lowest, y)

    reader.pages[number].extract_text(visitor_text=visit)
    return float((BODY_Y + BODY_HEIGHT - lowest) / BODY_HEIGHT)


def _big_claim() -> Scenario:
    """The trimix with its three ingredients twice and no NDCs: long tables, many problems."""
    scenario = scenarios.compound_trimix()
    lines = tuple(replace(line, ndc="") for line in scenario.claim.drug_lines) * 2
    return replace(scenario, claim=replace(scenario.claim, drug_lines=lines))


@pytest.mark.parametrize("make", [*ALL_SCENARIOS, _big_claim], ids=lambda m: m.__name__)
def test_no_page_is_left_nearly_empty_inside_a_section(
    make: Callable[[], Scenario], tmp_path: Path
) -> None:
    scenario = make()
    packet = _render(scenario, tmp_path)
    last_pages = {e.last_page for e in packet.manifest}
    own = next(e for e in packet.manifest if e.key == "pricing").last_page
    for number in range(1, own + 1):
        if number not in last_pages:
            assert _fill(packet.pdf, number - 1) > 0.6, number


def test_a_long_table_splits_with_its_header_instead_of_moving_whole() -> None:
    s = styles()
    rows = [["Row", "Value"], *([str(n), f"value {n}"] for n in range(1, 61))]
    output = BytesIO()
    document = SimpleDocTemplate(output, pagesize=letter)
    filler = [para("Filler paragraph. " * 40, s.body) for _ in range(3)]
    document.build([*filler, KeepShort([para("Long table", s.subheading), grid(rows, [1, 3])])])
    pages = page_texts(output.getvalue())
    assert "Long table" in pages[0] and "value 1 " in pages[0] + " "
    assert pages[1].startswith("Row Value")  # the header row repeats overleaf


def test_a_short_block_moves_whole_rather_than_split() -> None:
    s = styles()
    rows = [["Row", "Value"], *([str(n), f"value {n}"] for n in range(1, 6))]
    output = BytesIO()
    document = SimpleDocTemplate(output, pagesize=letter)
    filler = [para("Filler paragraph. " * 40, s.body) for _ in range(7)]
    document.build([*filler, KeepShort([para("Short table", s.subheading), grid(rows, [1, 3])])])
    pages = page_texts(output.getvalue())
    assert "Short table" not in pages[0]
    assert "Short table" in pages[1] and "value 5" in pages[1]


def test_the_problems_heading_stays_with_its_table_and_dates_read_us_style(
    tmp_path: Path,
) -> None:
    scenario = scenarios.compound_trimix()
    late = replace(scenario, today=date(2026, 12, 5))  # the filing deadline has passed: DRAFT
    packet = _render(late, tmp_path)
    assert packet.draft
    pages = page_texts(packet.pdf)
    heading = next(p for p in pages if "Problems to fix before this claim" in p)
    assert "Item Problem What to do" in heading
    summary = _section(packet, "summary")
    assert "The filing deadline was 11/04/2026" in summary
    assert "2026-11-04" not in summary


def test_the_expected_payment_is_named_by_the_method_its_figures_use(
    packets: dict[str, tuple[Scenario, RenderedPacket]],
) -> None:
    """A payer that prices by WAC or ASP falls back to the invoice when the file has no figure
    for the drug: the total is then named as invoice cost, as its own rows are, never by the
    payer's usual method."""
    named = 0
    for name, (_scenario, packet) in packets.items():
        pricing = _section(packet, "pricing")
        if "(invoice cost)" not in pricing:
            continue
        named += 1
        assert "Expected payment (invoice cost plus the payer's markup)" in pricing, name
        assert "Expected payment (wholesale" not in pricing, name
        assert "Expected payment (CMS payment limit" not in pricing, name
    assert named


def _draft_trimix() -> Scenario:
    """Example 2 as the tester imported it, checked today: the filing deadline has passed."""
    return replace(scenarios.compound_trimix(), today=date(2026, 12, 5))


@pytest.mark.parametrize("make", [_draft_trimix, _big_claim], ids=lambda m: m.__name__)
def test_the_problems_table_never_stands_alone_on_a_page(
    make: Callable[[], Scenario], tmp_path: Path
) -> None:
    """It opens the summary, where the page has room; a long one splits with its header row
    repeated and the line narratives follow it on the same page."""
    packet = _render(make(), tmp_path)
    assert packet.draft
    summary = next(e for e in packet.manifest if e.key == "summary")
    pages = page_texts(packet.pdf)[summary.first_page - 1 : summary.last_page]
    assert "Problems to fix before this claim is submitted" in pages[0]
    assert "Claim summary" in pages[0]
    holding = [page for page in pages if "Item Problem What to do" in page]
    for page in holding:
        assert "CMS-1500 item 24A" in page or "Line HCPCS Modifiers" in page or page is pages[0]


def test_an_unpriced_line_gives_the_reviewer_a_reason_and_no_instructions(
    tmp_path: Path,
) -> None:
    """Issue 19: one sentence why, by the line's own figures; what the clinic should enter or
    import is the app's to say (PricingError.fix), not the packet's."""
    scenario = scenarios.new_immunotherapy()
    line = scenario.claim.drug_lines[0]
    bare = replace(
        line,
        package=replace(line.package, amount=None),
        invoice=replace(line.invoice, price_paid=None),
    )
    packet = _render(replace(scenario, claim=_one_line(scenario.claim, bare)), tmp_path)
    pricing = _section(packet, "pricing")
    reason = re.search(r"Expected payment (Cannot be computed: .*?)(?= Patient: |$)", pricing)
    assert reason, pricing
    assert reason[1].count(".") == 1, reason[1]
    for words in ("enter ", "Enter ", "import", "Import", "Reference data", "instead"):
        assert words not in reason[1], (words, reason[1])
