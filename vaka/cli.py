"""The `vaka` command: run the system or one of its processes, manage users and tokens."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

from vaka.config import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vaka", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start everything with embedded defaults (Ctrl-C stops)")
    for role in ("api", "worker", "relay", "projector"):
        sub.add_parser(role, help=f"run the {role} process alone")

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="action",
                                                                      required=True)
    add = user.add_parser("add", help="create a user and print its id")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True,
                     choices=["caseworker", "supervisor", "head_of_unit", "auditor", "admin"])
    add.add_argument("--municipality")
    add.add_argument("--email")
    add.add_argument("--token", action="store_true", help="also issue a token")
    _password_arguments(add, "also set a password for the web pages (asked for)")
    user.add_parser("list", help="list users")
    password = user.add_parser("password", help="set a user's password for the web pages")
    password.add_argument("who", help="the user's id or e-mail address")
    _password_arguments(password, None)

    token = sub.add_parser("token", help="issue a bearer token for a user")
    token.add_argument("user_id")
    sub.add_parser("admin-token", help="create the first admin if none exists; print a token")
    return parser


def _password_arguments(parser: argparse.ArgumentParser, help_text: str | None) -> None:
    if help_text:
        parser.add_argument("--password", action="store_true", help=help_text)
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input (for scripts)")


def _read_password(args: argparse.Namespace) -> str | None:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    if getattr(args, "password", False) or args.action == "password":
        import getpass

        first = getpass.getpass("New password (at least 12 characters): ")
        if getpass.getpass("Once more: ") != first:
            raise SystemExit("vaka: the two passwords differ; nothing was changed")
        return first
    return None


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("temporalio").setLevel(logging.WARNING)
    from vaka.runtime import processes, supervisor

    if args.command == "run":
        supervisor.run(settings)
    elif args.command == "api":
        from web.app import create_app

        processes.run_api(settings, create_app)
    elif args.command == "worker":
        asyncio.run(processes.run_worker(settings))
        _exit_without_finalizing()
    elif args.command == "relay":
        asyncio.run(processes.run_relay(settings))
        _exit_without_finalizing()
    elif args.command == "projector":
        asyncio.run(processes.run_projector(settings))
    else:
        _admin(args, settings)


def _exit_without_finalizing() -> None:
    """The Temporal client's native threads can abort the interpreter while it finalizes
    ("PyGILState_Release ... must be current"). By now the process has shut down in order
    and everything it did is committed, so it leaves without finalizing."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _admin(args: argparse.Namespace, settings: Settings) -> None:
    from vaka.bootstrap import build
    from vaka.sessions import check_password
    from vaka.users import UserError

    services = build(settings)
    users = services.users
    try:
        if args.command == "user" and args.action == "add":
            secret = _read_password(args)
            if secret is not None:
                check_password(secret)
            user = users.add(args.name, args.role, args.municipality, args.email)
            if secret is not None:
                services.sessions.set_password(user.user_id, secret)
            print(user.user_id)
            if args.token:
                print(users.issue_token(user.user_id))
        elif args.command == "user" and args.action == "password":
            found = users.get(args.who) or users.by_email(args.who)
            if found is None:
                raise UserError(f"no user with id or e-mail {args.who!r}")
            secret = _read_password(args)
            assert secret is not None
            services.sessions.set_password(found.user_id, secret)
            print(f"password set for {found.name}")
        elif args.command == "user":
            for u in users.list():
                print(f"{u.user_id}  {u.role:<10}  {u.municipality or '-':<14}  {u.name}")
        elif args.command == "token":
            print(users.issue_token(args.user_id))
        elif args.command == "admin-token":
            admins = [u for u in users.list() if u.role == "admin" and u.active]
            admin = admins[0] if admins else users.add("Administrator", "admin")
            print(users.issue_token(admin.user_id))
    except UserError as exc:
        print(f"vaka: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    finally:
        services.close()


if __name__ == "__main__":
    main()
