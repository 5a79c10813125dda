"""The wizard's steps, as keys: the header, eight items per drug line, then item 4, item 10
and the review; and which step shows a finding that has no field of its own."""

from __future__ import annotations

from j3490_desk.domain import claim as domain

HEADER = "header"
NECESSITY = "item4"
PROVIDER = "item10"
REVIEW = "review"
LINE_ITEMS = ("1", "2", "3", "5", "6", "7", "8", "9")  # items 4 and 10 belong to the claim

# Which step shows a finding that has no field of its own.
STEP_OF_ITEM = {
    "coding": "1",
    "narrative": "1",
    "pricing": "2",
    "modifiers": "8",
    "prior_auth": HEADER,
    "timely_filing": HEADER,
    "electronic": HEADER,  # what an 837P needs (domain.electronic_claim)
    "4": NECESSITY,
    "10": PROVIDER,
}


def line_step(line: int, item: str) -> str:
    return f"line{line}.item{item}"


def parse_step(step: str) -> tuple[int | None, str]:
    """(line index, item or step name) of a step key; (None, "header") for the header."""
    if step.startswith("line") and ".item" in step:
        line, item = step[4:].split(".item", 1)
        return int(line), item
    return None, step


def step_keys(claim: domain.Claim) -> list[str]:
    """Every step of the wizard for this claim, in order."""
    lines = [line_step(i, item) for i in range(len(claim.drug_lines)) for item in LINE_ITEMS]
    return [HEADER, *lines, NECESSITY, PROVIDER, REVIEW]
