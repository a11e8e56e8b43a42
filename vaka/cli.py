"""The `vaka` command: run the system or one of its processes, check a configuration,
manage users and tokens.

Settings come from VAKA_* environment variables and an env file: --env-file PATH (or
VAKA_ENV_FILE), else /etc/vaka/vaka.env if it exists, else ./vaka.env if it exists.
Variables already set in the environment win over the file."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from vaka import installed_version
from vaka.config import (
    DEFAULT_ENV_FILES,
    ConfigError,
    Settings,
    describe_store,
    describe_temporal,
    env_file_to_use,
    load_settings,
)
from vaka.private import keep_private

CONFIG_ERROR = 78  # as vaka.runtime.supervisor.CONFIG_ERROR: no restart can mend it

if TYPE_CHECKING:
    from vaka.users import User, UserDirectory


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vaka", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"vaka {installed_version()}")
    parser.add_argument("--env-file", type=Path, default=None, metavar="PATH",
                        help="read settings from this file (default: "
                        f"{' or '.join(_shown(p) for p in DEFAULT_ENV_FILES)}, if it exists)")
    # The same option after the command (`vaka run --env-file ...`); SUPPRESS keeps a
    # value given before the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--env-file", type=Path, default=argparse.SUPPRESS, metavar="PATH",
                        help="read settings from this file")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", parents=[common],
                   help="start everything with embedded defaults (Ctrl-C stops)")
    for role in ("api", "worker", "relay", "projector"):
        sub.add_parser(role, parents=[common], help=f"run the {role} process alone")
    sub.add_parser("check", parents=[common],
                   help="check the configuration: database, schema, cipher key, policy, "
                   "Temporal (TLS, namespace), SMTP; exit code 0 only when all pass")

    user = sub.add_parser("user", parents=[common], help="manage users"
                          ).add_subparsers(dest="action", required=True)
    add = user.add_parser("add", parents=[common], help="create a user and print its id")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True,
                     choices=["caseworker", "supervisor", "head_of_unit", "auditor", "admin"])
    add.add_argument("--municipality")
    add.add_argument("--email")
    add.add_argument("--token", action="store_true", help="also issue a token")
    _password_arguments(add, "also set a password for the web pages (asked for)")
    user.add_parser("list", parents=[common], help="list users")
    password = user.add_parser("password", parents=[common],
                               help="set a user's password for the web pages")
    password.add_argument("who", help="the user's id or e-mail address")
    _password_arguments(password, None)
    reactivate = user.add_parser("reactivate", parents=[common],
                                 help="let a deactivated user sign in again (their old "
                                 "tokens stay revoked)")
    reactivate.add_argument("who", help="the user's id or e-mail address")

    token = sub.add_parser("token", parents=[common], help="issue a bearer token for a user")
    token.add_argument("user_id")
    token.add_argument("--days", type=_positive_days, default=None,
                       help="how long it lasts (default VAKA_TOKEN_LIFETIME_DAYS, 90)")
    tokens = sub.add_parser("tokens", parents=[common],
                            help="list and revoke bearer tokens (never shown: their secrets)")
    tokens_sub = tokens.add_subparsers(dest="tokens_command", required=True)
    listing = tokens_sub.add_parser("list", parents=[common], help="every token, or a user's")
    listing.add_argument("--user", help="the user's id or e-mail address")
    revoke = tokens_sub.add_parser("revoke", parents=[common], help="revoke one token")
    revoke.add_argument("token_id", help="the token's id, as `vaka tokens list` shows it")
    revoke_all = tokens_sub.add_parser("revoke-all", parents=[common],
                                       help="revoke every token of a user")
    revoke_all.add_argument("who", help="the user's id or e-mail address")
    sub.add_parser("admin-token", parents=[common],
                   help="create the first admin if none exists; print a token")
    backup = sub.add_parser("backup", parents=[common],
                            help="back up the database with its cipher key into a new "
                            "folder (deploy/README.md)")
    backup.add_argument("folder", type=Path)
    backup.add_argument("--without-key", action="store_true",
                        help="leave the cipher key out (keep it apart, e.g. in a vault)")
    restore = sub.add_parser("restore", parents=[common],
                             help="restore a backup into an empty database")
    restore.add_argument("folder", type=Path)
    return parser


def _shown(path: Path) -> str:
    return str(path) if path.is_absolute() else f"./{path}"


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
    keep_private()  # the key, the stores, backups and logs: 0600 in 0700 folders
    args = _parser().parse_args(argv)
    try:
        env_file = env_file_to_use(args.env_file)
        settings = load_settings(env_file)
    except ConfigError as exc:
        _fail(args, str(exc))
    from vaka.observe import logs

    logs.setup(settings.log_level, settings.log_format, role=args.command)
    _say_where(settings, env_file)
    if args.command == "check":
        _check(settings)
    try:
        _reach_the_store(settings)
        _dispatch(args, settings)
    except ConfigError as exc:
        _fail(args, str(exc))


def _fail(args: argparse.Namespace, reason: str) -> NoReturn:
    print(f"vaka {args.command}: {reason}", file=sys.stderr, flush=True)
    if args.command in ("worker", "relay"):  # a Temporal client may be alive: see below
        _exit_without_finalizing(CONFIG_ERROR)
    raise SystemExit(CONFIG_ERROR)


def _say_where(settings: Settings, env_file: Path | None) -> None:
    """Which settings, store and Temporal this command uses, on stderr (the processes
    `vaka run` starts leave that to it)."""
    from vaka.runtime.supervisor import SUPERVISED

    if os.environ.get(SUPERVISED):
        return
    source = (f"settings from {env_file}" if env_file else "no env file (neither "
              f"{' nor '.join(_shown(p) for p in DEFAULT_ENV_FILES)} exists): settings from "
              "the environment and defaults")
    print(f"vaka: {source}\nvaka: store: {describe_store(settings)}; "
          f"{describe_temporal(settings)}", file=sys.stderr, flush=True)


def _reach_the_store(settings: Settings) -> None:
    """Fail in seconds with the cause (DNS, refused, authentication, no such database)
    rather than wait out the store's own retries."""
    from vaka.runtime.checks.database import probe

    probe(settings)


def _check(settings: Settings) -> NoReturn:
    from vaka.runtime.checks.run import run_checks

    outcomes = run_checks(settings)
    for outcome in outcomes:
        print(outcome.line(), flush=True)
    failed = [o.name for o in outcomes if not o.ok]
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} checks passed"
          + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
    _exit_without_finalizing(1 if failed else 0)  # the Temporal check opened a client


def _dispatch(args: argparse.Namespace, settings: Settings) -> None:
    from vaka.observe import tracing
    from vaka.runtime import processes, supervisor

    if args.command == "run":
        supervisor.run(settings)
        return
    if args.command in ("backup", "restore"):
        _backup_or_restore(args, settings)
        return
    if args.command not in ("api", "worker", "relay", "projector"):
        _admin(args, settings)
        return
    tracing.setup(args.command)
    try:
        if args.command == "api":
            from web.app import create_app

            processes.run_api(settings, create_app)
        elif args.command == "worker":
            asyncio.run(processes.run_worker(settings))
        elif args.command == "relay":
            asyncio.run(processes.run_relay(settings))
        else:
            asyncio.run(processes.run_projector(settings))
    finally:
        tracing.shutdown()  # spans still buffered are sent before the process ends
    if args.command in ("worker", "relay"):
        _exit_without_finalizing()


def _exit_without_finalizing(code: int = 0) -> NoReturn:
    """The Temporal client's native threads can abort the interpreter while it finalizes
    ("PyGILState_Release ... must be current"). By now the process has shut down in order
    and everything it did is committed, so it leaves without finalizing."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _backup_or_restore(args: argparse.Namespace, settings: Settings) -> None:
    from vaka.backup import BackupError, backup, restore

    try:
        if args.command == "backup":
            made = backup(settings, args.folder, include_key=not args.without_key)
            key = "with its key" if made.key_included else "WITHOUT its key (keep it apart)"
            print(f"backed up the {made.store} case file up to entry "
                  f"{made.last_notification_id}, {key}, into {args.folder}")
        else:
            done = restore(settings, args.folder)
            print(f"restored the {done.manifest.store} case file up to entry "
                  f"{done.last_notification_id} from {args.folder}; every child's journey "
                  f"is delivered to Temporal again when the relay starts")
            if done.key_written_to:
                print(f"the cipher key was written to {done.key_written_to}")
    except BackupError as exc:
        print(f"vaka {args.command}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


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
        elif args.command == "user" and args.action == "reactivate":
            found = _find_user(users, args.who)
            if found.active:
                raise UserError(f"{found.name} is already active")
            users.reactivate(found.user_id)
            print(f"{found.name} reactivated; issue a token with `vaka token {found.user_id}`")
        elif args.command == "user" and args.action == "password":
            found = _find_user(users, args.who)
            secret = _read_password(args)
            assert secret is not None
            services.sessions.set_password(found.user_id, secret)
            print(f"password set for {found.name}")
        elif args.command == "user":
            for u in users.list():
                state = "" if u.active else "  (deactivated)"
                print(f"{u.user_id}  {u.role:<10}  {u.municipality or '-':<14}  {u.name}{state}")
        elif args.command == "token":
            days = None if args.days is None else timedelta(days=args.days)
            print(users.issue_token(args.user_id, days))
        elif args.command == "tokens":
            _tokens(args, users)
        elif args.command == "admin-token":
            admins = [u for u in users.list() if u.role == "admin" and u.active]
            admin = admins[0] if admins else users.add("Administrator", "admin")
            print(users.issue_token(admin.user_id))
    except UserError as exc:
        print(f"vaka: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    finally:
        services.close()


def _positive_days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not days > 0:
        raise argparse.ArgumentTypeError("a token must last more than 0 days")
    return days


def _tokens(args: argparse.Namespace, users: UserDirectory) -> None:
    from datetime import UTC, datetime

    if args.tokens_command == "list":
        owner = _find_user(users, args.user).user_id if args.user else None
        now = datetime.now(UTC)
        for t in users.tokens(owner):
            print(f"{t.token_id}  {t.state(now):<7}  issued {t.created_at:%Y-%m-%d %H:%M}Z"
                  f"  expires {t.expires_at:%Y-%m-%d %H:%M}Z  {t.user_id}  {t.user_name}")
    elif args.tokens_command == "revoke":
        token = users.revoke(args.token_id)
        print(f"revoked token {token.token_id} of {token.user_name}")
    else:
        found = _find_user(users, args.who)
        print(f"revoked {users.revoke_all(found.user_id)} token(s) of {found.name}")


def _find_user(users: UserDirectory, who: str) -> User:
    from vaka.users import UserError

    found = users.get(who) or users.by_email(who)
    if found is None:
        raise UserError(f"no user with id or e-mail {who!r}")
    return found


if __name__ == "__main__":
    main()
