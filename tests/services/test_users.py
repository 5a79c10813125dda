"""Optional user accounts: scrypt hashes, sign-in, and the audit log naming the clerk."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from j3490_desk.errors import InvalidInputError
from j3490_desk.models import AuditEntry
from j3490_desk.services import claims, users
from j3490_desk.services.app_data import AppData, accounts_enabled
from tests.sample_claims import sample_claim

PASSWORD = "staple battery horse"


def test_hash_is_salted_scrypt_and_verifies() -> None:
    first, second = users.hash_password(PASSWORD), users.hash_password(PASSWORD)
    assert first.startswith("scrypt$") and first != second  # a new salt each time
    assert users.password_matches(PASSWORD, first)
    assert not users.password_matches("staple battery horsE", first)
    assert not users.password_matches(PASSWORD, "md5$abc")


def test_accounts_are_optional_until_the_first_is_added(app_data: AppData) -> None:
    assert not accounts_enabled(app_data)
    users.add_user(app_data, "alice", PASSWORD, "Alice Biller")
    assert accounts_enabled(app_data)


@pytest.mark.parametrize(
    ("name", "password"), [("alice", "short"), ("two words", PASSWORD), ("", PASSWORD)]
)
def test_bad_accounts_are_refused(app_data: AppData, name: str, password: str) -> None:
    with pytest.raises(InvalidInputError):
        users.add_user(app_data, name, password)
    assert users.list_users(app_data) == []


def test_sign_in_names_the_clerk_in_the_audit_log(app_data: AppData) -> None:
    users.add_user(app_data, "alice", PASSWORD)
    assert not users.sign_in(app_data, "alice", "wrong password!")
    assert users.sign_in(app_data, "alice", PASSWORD)
    claims.create_claim(app_data, sample_claim())
    with app_data.db.read() as session:
        entries = session.exec(select(AuditEntry)).all()
    assert entries[-1].user == "alice" and entries[-1].entity == "claim"
    account_entry = next(e for e in entries if e.entity == "app_user")
    assert PASSWORD not in account_entry.changes and "scrypt" not in json.dumps(
        account_entry.changes
    )
