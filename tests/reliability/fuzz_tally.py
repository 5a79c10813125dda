"""How many inputs each fuzz test tried; printed at the end of the run (tests/conftest.py)."""

from __future__ import annotations

from collections import Counter

TRIED: Counter[str] = Counter()
