"""`j3490-desk user ...`: optional accounts; once one exists, the app asks who is signing in."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from j3490_desk.services import users
from j3490_desk.services.app_data import open_app_data


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("user", help="user accounts (optional)")
    commands = group.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = commands.add_parser(
        "add", help="add a user; the password is asked for, never an argument"
    )
    add.add_argument("username")
    add.add_argument("--display-name", default="")
    add.set_defaults(handler=_add)
    lister = commands.add_parser("list", help="list user accounts")
    lister.set_defaults(handler=_list)


def _add(args: argparse.Namespace) -> int:
    # from a terminal, asked twice without echo; from a script, one line on standard input
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("j3490-desk: the two passwords differ; nothing was saved.", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        users.add_user(data, args.username, password, args.display_name)
    finally:
        data.close()
    print(f"added {args.username}")
    return 0


def _list(args: argparse.Namespace) -> int:
    data = open_app_data(args.data_dir, passphrase=args.passphrase)
    try:
        for user in users.list_users(data):
            print(f"{user.username:20} {user.display_name:30} {'active' if user.active else 'off'}")
    finally:
        data.close()
    return 0
