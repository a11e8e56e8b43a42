"""Tables of the read-side database.

Two kinds: records that cannot be rebuilt (users, tokens, inbox, deliveries, positions),
changed only by numbered migrations applied once each; and read models that are
projections of the case file, dropped and rebuilt from the log when READ_MODEL_VERSION
changes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PerStore:
    """A migration written differently for each store (triggers): its statements in order."""

    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]


RECORDS = [
    """CREATE TABLE IF NOT EXISTS users (
        user_id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, role TEXT NOT NULL,
        municipality TEXT, active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL,
        email_enabled INTEGER NOT NULL DEFAULT 1, webhook_url TEXT, webhook_secret TEXT,
        digest INTEGER NOT NULL DEFAULT 0, last_digest_at TEXT)""",
    "CREATE INDEX IF NOT EXISTS users_by_role ON users (municipality, role, active)",
    """CREATE TABLE IF NOT EXISTS tokens (
        token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at TEXT NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS tracking (
        follower TEXT PRIMARY KEY, position INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS policy_seen (
        component TEXT PRIMARY KEY, version TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS notifications (
        notification_id TEXT PRIMARY KEY, child_id TEXT NOT NULL, event_seq INTEGER NOT NULL,
        kind TEXT NOT NULL, urgent INTEGER NOT NULL DEFAULT 0, clock_id TEXT,
        recipient_user_id TEXT, recipient_email TEXT, recipient_label TEXT NOT NULL,
        subject TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, read_at TEXT,
        acknowledged_at TEXT)""",
    """CREATE INDEX IF NOT EXISTS notifications_inbox
        ON notifications (recipient_user_id, created_at)""",
    """CREATE INDEX IF NOT EXISTS notifications_by_child
        ON notifications (child_id, recipient_user_id)""",
    """CREATE TABLE IF NOT EXISTS deliveries (
        notification_id TEXT NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL,
        status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, error TEXT,
        next_try TEXT NOT NULL, delivered_at TEXT, PRIMARY KEY (notification_id, channel))""",
    "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (channel, status, next_try)",
    """CREATE TABLE IF NOT EXISTS schema_state (
        name TEXT PRIMARY KEY, value TEXT NOT NULL)""",
]

# Later changes to RECORDS go here as (id, statement), never edited once released.
MIGRATIONS: list[tuple[str, str | PerStore]] = [
    # An event a follower could not apply, set aside with the error so the others go on.
    ("1-quarantine", """CREATE TABLE IF NOT EXISTS quarantine (
        follower TEXT NOT NULL, position INTEGER NOT NULL, child_id TEXT NOT NULL,
        version INTEGER NOT NULL, event_type TEXT, error TEXT NOT NULL, location TEXT,
        status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
        quarantined_at TEXT NOT NULL, retry_requested_at TEXT, retry_requested_by TEXT,
        resolved_at TEXT, PRIMARY KEY (follower, position))"""),
    ("2-quarantine-index",
     "CREATE INDEX IF NOT EXISTS quarantine_by_status ON quarantine (status, follower)"),
    # Signing in to the web pages: an argon2id hash per user, and server-side sessions.
    ("3-password", "ALTER TABLE users ADD COLUMN password_hash TEXT"),
    ("4-web-sessions", """CREATE TABLE IF NOT EXISTS web_sessions (
        session_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at TEXT NOT NULL)"""),
    ("5-web-sessions-index",
     "CREATE INDEX IF NOT EXISTS web_sessions_by_user ON web_sessions (user_id)"),
    # One active instance per follower (vaka.readside.leases): who holds it, its fencing
    # epoch, since when and until when.
    ("6-follower-leases", """CREATE TABLE IF NOT EXISTS follower_leases (
        follower TEXT PRIMARY KEY, holder TEXT NOT NULL, epoch INTEGER NOT NULL,
        acquired_at TEXT NOT NULL, expires_at TEXT NOT NULL)"""),
    # Who read which child's personal data, when and why (vaka.readside.access_log).
    # Ids and case references only; append-only, enforced by the database itself.
    ("7-access-log", """CREATE TABLE IF NOT EXISTS access_log (
        entry_id TEXT PRIMARY KEY, at TEXT NOT NULL, user_id TEXT NOT NULL,
        role TEXT NOT NULL, purpose TEXT NOT NULL, kind TEXT NOT NULL, child_id TEXT,
        reference TEXT, subject TEXT)"""),
    ("8-access-log-by-time",
     "CREATE INDEX IF NOT EXISTS access_log_by_time ON access_log (at, entry_id)"),
    ("9-access-log-by-reference",
     "CREATE INDEX IF NOT EXISTS access_log_by_reference ON access_log (reference, at)"),
    ("10-access-log-by-user",
     "CREATE INDEX IF NOT EXISTS access_log_by_user ON access_log (user_id, kind, at)"),
    ("11-access-log-append-only", PerStore(
        sqlite=tuple(
            f"""CREATE TRIGGER IF NOT EXISTS access_log_no_{what.lower()}
                BEFORE {what} ON access_log
                BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"""
            for what in ("UPDATE", "DELETE")),
        postgres=(
            """CREATE OR REPLACE FUNCTION vaka_access_log_append_only() RETURNS trigger
                LANGUAGE plpgsql AS $$ BEGIN
                RAISE EXCEPTION 'the access log is append-only'
                    USING ERRCODE = 'insufficient_privilege';
                END $$""",
            """CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
                FOR EACH ROW EXECUTE FUNCTION vaka_access_log_append_only()""",
            """CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
                FOR EACH STATEMENT EXECUTE FUNCTION vaka_access_log_append_only()"""))),
    # What the metrics count (vaka.readside.tally): events by type, and how late Vaka
    # recorded what fell due. Kept by the tally follower, never rewound or rebuilt.
    ("12-event-tally", """CREATE TABLE IF NOT EXISTS event_tally (
        event_type TEXT PRIMARY KEY, events INTEGER NOT NULL)"""),
    ("13-clock-lateness", """CREATE TABLE IF NOT EXISTS clock_lateness (
        event_type TEXT NOT NULL, le TEXT NOT NULL, observations INTEGER NOT NULL,
        seconds DOUBLE PRECISION NOT NULL, PRIMARY KEY (event_type, le))"""),
    # Tokens expire (vaka.users); one issued before this has none and expires a lifetime
    # after it was issued.
    ("14-token-expiry", "ALTER TABLE tokens ADD COLUMN expires_at TEXT"),
    ("15-tokens-by-user", "CREATE INDEX IF NOT EXISTS tokens_by_user ON tokens (user_id)"),
]

# 6: municipalities read by their official names (domain.municipalities)
READ_MODEL_VERSION = "6"
READ_MODEL_TABLES = ("children", "clocks", "missing_episodes", "child_search")
READ_MODELS = [
    """CREATE TABLE IF NOT EXISTS children (
        child_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, stage TEXT NOT NULL,
        caseworker_id TEXT, missing_since TEXT, police_report_filed INTEGER,
        turns_18_at TEXT, adult_at TEXT, version INTEGER NOT NULL,
        sealed TEXT)""",
    "CREATE INDEX IF NOT EXISTS children_by_stage ON children (municipality, stage)",
    """CREATE INDEX IF NOT EXISTS children_by_caseworker
        ON children (municipality, caseworker_id)""",
    "CREATE INDEX IF NOT EXISTS children_missing ON children (municipality, missing_since)",
    "CREATE INDEX IF NOT EXISTS children_turning_18 ON children (municipality, turns_18_at)",
    "CREATE INDEX IF NOT EXISTS children_adult_at ON children (municipality, adult_at)",
    """CREATE TABLE IF NOT EXISTS clocks (
        child_id TEXT NOT NULL, clock_id TEXT NOT NULL, rule_id TEXT NOT NULL,
        kind TEXT NOT NULL, municipality TEXT NOT NULL, caseworker_id TEXT, owner TEXT NOT NULL,
        due TEXT NOT NULL, status TEXT NOT NULL, policy_version TEXT NOT NULL,
        resolved_at TEXT, on_time INTEGER, PRIMARY KEY (child_id, clock_id))""",
    "CREATE INDEX IF NOT EXISTS clocks_by_status_due ON clocks (kind, status, due)",
    """CREATE INDEX IF NOT EXISTS clocks_by_municipality
        ON clocks (municipality, kind, status, due)""",
    """CREATE INDEX IF NOT EXISTS clocks_by_caseworker
        ON clocks (municipality, caseworker_id, kind, status, due)""",
    "CREATE INDEX IF NOT EXISTS clocks_by_rule ON clocks (municipality, kind, due, rule_id)",
    """CREATE TABLE IF NOT EXISTS missing_episodes (
        child_id TEXT NOT NULL, reported_seq INTEGER NOT NULL, municipality TEXT NOT NULL,
        caseworker_id TEXT, last_seen_at TEXT NOT NULL, reported_at TEXT NOT NULL,
        police_report_at TEXT, ended_at TEXT, PRIMARY KEY (child_id, reported_seq))""",
    """CREATE INDEX IF NOT EXISTS missing_episodes_by_time
        ON missing_episodes (municipality, last_seen_at)""",
    # Keyed hashes of the words a child is found by (vaka.readside.children).
    """CREATE TABLE IF NOT EXISTS child_search (
        child_id TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (term, child_id))""",
    "CREATE INDEX IF NOT EXISTS child_search_by_child ON child_search (child_id)",
]
