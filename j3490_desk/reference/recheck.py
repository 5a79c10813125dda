"""After a new CMS quarter is loaded: which claim lines billed as J3490 now have a code?

A specific code takes effect in its quarter (domain.md section 13): from then on J3490 is
wrong for that NDC. The claims side passes its lines in; this module only answers from the
reference data, so it needs no access to claims (and holds no patient data).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from j3490_desk.domain.claim import HcpcsMapping
from j3490_desk.reference.lookup import NdcDirectory


@dataclass(frozen=True)
class LineToRecheck:
    claim_id: int
    line_index: int
    ndc11: str
    date_of_service: date


@dataclass(frozen=True)
class RecheckHit:
    line: LineToRecheck
    mappings: tuple[HcpcsMapping, ...]  # the specific codes for its date of service


def lines_with_specific_code(
    directory: NdcDirectory, lines: Iterable[LineToRecheck], quarter_start: date
) -> list[RecheckHit]:
    """Lines dated on or after `quarter_start` whose NDC now maps to a specific code.

    `quarter_start` is the `effective_from` of the import summary that reported a new
    quarter; lines before it are not affected by that file.
    """
    hits = []
    for line in lines:
        if line.date_of_service < quarter_start:
            continue
        facts = directory.drug_facts(line.ndc11, line.date_of_service)
        # A code the crosswalk gives another package of the product names this drug too.
        mappings = facts.specific_hcpcs or facts.product_hcpcs
        if mappings:
            hits.append(RecheckHit(line, mappings))
    return hits
