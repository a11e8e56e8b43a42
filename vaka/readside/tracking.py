"""Where each follower has got to in the case file's log, and which policy version each
component last rolled out. Positions move in the same transaction as a follower's rows."""

from __future__ import annotations

from vaka.readside.db import Database, Tx


def position(db: Database, follower: str) -> int:
    with db.transaction(readonly=True) as tx:
        return read_position(tx, follower)


def read_position(tx: Tx, follower: str) -> int:
    row = tx.one("SELECT position FROM tracking WHERE follower = ?", (follower,))
    return int(row["position"]) if row else 0


def save_position(tx: Tx, follower: str, value: int) -> None:
    tx.execute(
        "INSERT INTO tracking (follower, position) VALUES (?, ?)"
        " ON CONFLICT (follower) DO UPDATE SET position = excluded.position",
        (follower, value),
    )


def rewind(tx: Tx, follower: str) -> None:
    """Start the follower over from the beginning of the log (its rows are rewritten)."""
    tx.execute("DELETE FROM tracking WHERE follower = ?", (follower,))


def seen_policy(db: Database, component: str) -> str | None:
    with db.transaction(readonly=True) as tx:
        row = tx.one("SELECT version FROM policy_seen WHERE component = ?", (component,))
    return row["version"] if row else None


def mark_policy_seen(db: Database, component: str, version: str) -> None:
    with db.transaction() as tx:
        tx.execute("INSERT INTO policy_seen (component, version) VALUES (?, ?)"
                   " ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                   (component, version))
