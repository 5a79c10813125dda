"""Which documentation item a payer's denial codes point at, so the work queue can say what
to fix (domain.md §17: "Remittance (835) codes that point back at a documentation item").

CARC 16 ("lacks information") names nothing by itself: the RARC beside it says which. The
mapping is only what §17 lists; any other code names no item, and the clerk reads the
description from the code list.
"""

from __future__ import annotations

from collections.abc import Iterable

# RARC -> the item to fix (§17)
RARC_ITEMS = {
    "M119": "the NDC (item 1: 11 digits, active on the date of service)",
    "M123": "the drug's name, strength or dosage in the NOC narrative",
    "N350": "the description of the drug in the NOC narrative",
}
# CARC -> the item to fix (§17); 16 is left out on purpose (see above)
CARC_ITEMS = {
    "4": "the modifiers (JW/JZ)",
    "29": "the timely filing date",
    "15": "the prior authorization",
    "197": "the prior authorization",
    "50": "the medical necessity (item 4)",
}


def items_to_fix(carc_codes: Iterable[str], rarc_codes: Iterable[str]) -> tuple[str, ...]:
    """The items the codes point at, the remark codes' first (they are the more precise),
    each once."""
    items = [RARC_ITEMS[c] for c in rarc_codes if c in RARC_ITEMS]
    items += [CARC_ITEMS[c] for c in carc_codes if c in CARC_ITEMS]
    return tuple(dict.fromkeys(items))
