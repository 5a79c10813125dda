"""Who runs a command on the shared database: every change there names a person.

On a shared PostgreSQL database a command runs only for a J3490 Desk account: J3490_DESK_USER
names it, and its password is asked for on the terminal, or read from
J3490_DESK_USER_PASSWORD by scripts (never an argument). On a database with no account yet,
the name and password make the first one, as the app asks for it. The one-seat SQLite folder
keeps its optional accounts: there the computer's login name is recorded, as before.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from j3490_desk.errors import KnownError
from j3490_desk.services import shared_database, users
from j3490_desk.services.app_data import SIGNED_IN_USER, open_app_data

USER_ENV = "J3490_DESK_USER"
PASSWORD_ENV = "J3490_DESK_USER_PASSWORD"
# Commands that never touch the shared records: which database to use, and the folder's own key.
WITHOUT_ACCOUNT = frozenset({"database", "encryption"})


class SignInRequiredError(KnownError):
    """A command on the shared database without an account, or with the wrong password."""


@contextmanager
def signed_in(args: argparse.Namespace) -> Iterator[None]:
    """Check the person before the command runs; the data it opens then names them."""
    if args.command in WITHOUT_ACCOUNT or shared_database.saved_choice(args.data_dir) is None:
        yield
        return
    data = open_app_data(args.data_dir)  # first: a server that cannot be used is said first
    try:
        username = os.environ.get(USER_ENV, "").strip()
        if not username:
            raise SignInRequiredError(
                "This computer uses the clinic's shared database, where every change names the "
                "person who made it, and no J3490 Desk user was named.",
                f"Set {USER_ENV} to your user name; the password is asked for, or read from "
                f"{PASSWORD_ENV} by scripts. With no account on the database yet, that name "
                "and password make the first one.",
            )
        if not users.sign_in_or_create_first(data, username, _password(username)):
            raise SignInRequiredError(
                f"The user name {username!r} and that password do not match.",
                f"Check {USER_ENV} and the password, then run the command again. Nothing was "
                "changed.",
            )
    finally:
        data.close()
    token = SIGNED_IN_USER.set(username)
    try:
        yield
    finally:
        SIGNED_IN_USER.reset(token)


def _password(username: str) -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise SignInRequiredError(
            f"The password of {username!r} is needed and there is no terminal to ask on.",
            f"Set {PASSWORD_ENV} for scripts; it is never taken as an argument.",
        )
    return getpass.getpass(f"J3490 Desk password for {username}: ")
