"""The claim wizard's use cases, Qt-free: start and save a draft, where the clerk left off,
the messages shown next to each field, the checklist, the review, and "mark ready".

Every message comes from the rules in `j3490_desk.domain`; this package only decides which
field or step a finding belongs to, so the wizard pages never run a rule themselves.

- `steps`: the wizard's step keys, in order.
- `store`: saving the draft and where the clerk left off; saved records for the pickers.
- `typed_text`: amounts, text and ICD-10-CM codes as typed.
- `line_lookups`: the NDC look-up (item 1) and the expected waste modifier (item 8).
- `field_messages`: which field or step shows each finding, and the message there.
- `checklist`: the checklist's rows, from the findings and what was entered.
- `assessment`: what the pages show after each change, with the checklist.
- `review_summary`: the review page.
"""

from j3490_desk.services.drafts.assessment import Assessment, assess
from j3490_desk.services.drafts.checklist import ChecklistEntry, RowState, checklist
from j3490_desk.services.drafts.field_messages import FieldKey, field_of, field_problems, step_of
from j3490_desk.services.drafts.line_lookups import (
    NdcFill,
    expected_modifier,
    lookup_ndc,
    noc_code_choices,
    with_waste_modifier,
)
from j3490_desk.services.drafts.review_summary import Review, review
from j3490_desk.services.drafts.steps import (
    HEADER,
    LINE_ITEMS,
    NECESSITY,
    PROVIDER,
    REVIEW,
    line_step,
    parse_step,
    step_keys,
)
from j3490_desk.services.drafts.store import (
    SavedDraft,
    open_draft,
    resume_step,
    save_draft,
    saved_patients,
    saved_payers,
    saved_providers,
    set_resume_step,
    start_draft,
)
from j3490_desk.services.drafts.typed_text import (
    LONG_TEXT_LIMIT,
    TEXT_LIMIT,
    Parsed,
    clean_text,
    diagnosis_lines,
    parse_amount,
    split_codes,
)

__all__ = [
    "HEADER",
    "LINE_ITEMS",
    "LONG_TEXT_LIMIT",
    "NECESSITY",
    "PROVIDER",
    "REVIEW",
    "TEXT_LIMIT",
    "Assessment",
    "ChecklistEntry",
    "FieldKey",
    "NdcFill",
    "Parsed",
    "Review",
    "RowState",
    "SavedDraft",
    "assess",
    "checklist",
    "clean_text",
    "diagnosis_lines",
    "expected_modifier",
    "field_of",
    "field_problems",
    "line_step",
    "lookup_ndc",
    "noc_code_choices",
    "open_draft",
    "parse_amount",
    "parse_step",
    "resume_step",
    "review",
    "save_draft",
    "saved_patients",
    "saved_payers",
    "saved_providers",
    "set_resume_step",
    "split_codes",
    "start_draft",
    "step_keys",
    "step_of",
    "with_waste_modifier",
]
