"""Optional user accounts: who is at the keyboard, for the audit log and the lock screen.

Passwords are hashed with scrypt (memory-hard, in the standard library), with a random salt
and the cost parameters stored beside the hash so they can be raised later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlmodel import col, select

from j3490_desk.errors import InvalidInputError
from j3490_desk.models import AppUser
from j3490_desk.services.app_data import AppData, accounts_enabled
from j3490_desk.storage import audit

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # about 32 MB and 0.1 s a guess (RFC 7914 guidance)
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(actual, base64.b64decode(digest))


def list_users(data: AppData) -> list[AppUser]:
    with data.db.read() as session:
        return list(session.exec(select(AppUser).order_by(col(AppUser.username))))


def add_user(data: AppData, username: str, password: str, display_name: str = "") -> AppUser:
    username = username.strip()
    if not username or not username.isprintable() or " " in username:
        raise InvalidInputError(
            f"{username!r} cannot be a user name.", "Use letters, digits, dots or dashes."
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            f"The password is too short ({len(password)} characters).",
            f"Use at least {MIN_PASSWORD_LENGTH} characters; a phrase of a few words is easiest.",
        )
    with data.db.write() as session:
        if session.exec(select(AppUser).where(AppUser.username == username)).first():
            raise InvalidInputError(f"There is already a user {username!r}.", "Pick another name.")
        user = AppUser(
            username=username, display_name=display_name, password_hash=hash_password(password)
        )
        session.add(user)
        session.flush()
        audit.record(
            session,
            user=data.user,
            action="create",
            entity="app_user",
            entity_id=user.id,
            changes={"username": (None, username)},  # never the password or its hash
        )
    return user


def sign_in(data: AppData, username: str, password: str) -> bool:
    """Check the password; on success the audit log names this user from now on."""
    with data.db.read() as session:
        user = session.exec(
            select(AppUser).where(AppUser.username == username.strip(), col(AppUser.active))
        ).first()
    if user is None or not password_matches(password, user.password_hash):
        return False
    data.user = user.username
    return True


def sign_in_or_create_first(data: AppData, username: str, password: str) -> bool:
    """Shared mode from a command line: sign in, or, on a database with no account yet, make
    this the first one (as the app asks for it). False when the password does not match."""
    if not accounts_enabled(data):
        data.user = username.strip()  # the person creating their own account
        add_user(data, username, password)
    return sign_in(data, username, password)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
