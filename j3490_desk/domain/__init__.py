"""Billing rules as plain Python: no Qt, no database. Every rule cites its source."""
