"""Numbered schema migrations, registered with a decorator (the sqlite-utils way).

Each migration runs in its own transaction together with the row that records it in
``schema_migrations``, so a crash leaves the schema either before or after a step.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import duckdb


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    fn: Callable[[duckdb.DuckDBPyConnection], None]


MIGRATIONS: list[Migration] = []


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """The first row of a query, with the result fully consumed (DuckDB 2 refuses new work on a
    connection while a result is still open)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def migration(fn: Callable[[duckdb.DuckDBPyConnection], None]) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """Register ``fn`` as the next numbered migration."""
    MIGRATIONS.append(Migration(len(MIGRATIONS) + 1, fn.__name__, fn))
    return fn


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    row = fetch_one(con, "SELECT coalesce(max(version), 0) FROM schema_migrations")
    return int(row[0])


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Run every migration not yet recorded; return the names that ran."""
    ran: list[str] = []
    current = schema_version(con)
    for m in MIGRATIONS:
        if m.version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            # Another process may have applied it since we looked.
            done = fetch_one(con, "SELECT count(*) FROM schema_migrations WHERE version = ?", [m.version])[0]
            if not done:
                m.fn(con)
                con.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, now())",
                    [m.version, m.name],
                )
                ran.append(m.name)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return ran


@migration
def initial_tables(con: duckdb.DuckDBPyConnection) -> None:
    for seq in ("datasets", "check_runs", "findings", "trials", "runs", "models", "audit_log"):
        con.execute(f"CREATE SEQUENCE IF NOT EXISTS seq_{seq} START 1")
    con.execute("""
        CREATE TABLE datasets (
            id BIGINT PRIMARY KEY DEFAULT nextval('seq_datasets'),
            sha256 VARCHAR NOT NULL UNIQUE,
            name VARCHAR NOT NULL,
            source_file VARCHAR,
            sheet VARCHAR,
            n_rows BIGINT NOT NULL,
            n_cols INTEGER NOT NULL,
            columns JSON NOT NULL,        -- column names in order
            kinds JSON NOT NULL,          -- {column: kind}
            dtypes JSON NOT NULL,         -- {column: pandas dtype family} to restore on read
            notes JSON,
            read_options JSON,
            content_table VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL
        )""")
    con.execute("""
        CREATE TABLE check_runs (
            id BIGINT PRIMARY KEY DEFAULT nextval('seq_check_runs'),
            dataset_id BIGINT NOT NULL REFERENCES datasets(id),
            target VARCHAR NOT NULL,
            task VARCHAR,
            summary JSON,                 -- excluded/sensitive columns and the report's other fields
            created_at TIMESTAMP NOT NULL
        )""")
    con.execute("""
        CREATE TABLE trials (
            id BIGINT PRIMARY KEY DEFAULT nextval('seq_trials'),
            dataset_id BIGINT NOT NULL REFERENCES datasets(id),
            target VARCHAR NOT NULL,
            task VARCHAR NOT NULL,
            recipe_a VARCHAR NOT NULL,
            recipe_b VARCHAR NOT NULL,
            seed BIGINT NOT NULL,
            plan JSON NOT NULL,           -- every setting needed to re-run
            result JSON NOT NULL,         -- the whole result as the CLI prints it
            winner VARCHAR,
            verdict VARCHAR,
            versions JSON,
            duration_seconds DOUBLE,
            created_at TIMESTAMP NOT NULL
        )""")
    con.execute("""
        CREATE TABLE findings (
            id BIGINT PRIMARY KEY DEFAULT nextval('seq_findings'),
            dataset_id BIGINT NOT NULL REFERENCES datasets(id),
            check_run_id BIGINT REFERENCES check_runs(id),
            trial_id BIGINT REFERENCES trials(id),
            check_id VARCHAR NOT NULL,
            severity VARCHAR NOT NULL,
            columns JSON NOT NULL,
            title VARCHAR NOT NULL,
            message VARCHAR NOT NULL,
            suggestion VARCHAR,
            details JSON,
            action VARCHAR,
            created_at TIMESTAMP NOT NULL
        )""")
    con.execute("""
        CREATE TABLE runs (
            id BIGINT PRIMARY KEY DEFAULT nextval('seq_runs'),
            trial_id BIGINT NOT NULL REFERENCES trials(id),
            arm VARCHAR NOT NULL,         -- 'a', 'b' or 'baseline'
            recipe JSON NOT NULL,
            mean_score DOUBLE,
            holdout_score DOUBLE,
            fit_seconds DOUBLE,
            predict_ms_per_1000 DOUBLE,
            model_bytes BIGINT
        )""")
    con.execute("""
        CREATE TABLE fold_metrics (
            run_id BIGINT NOT NULL REFERENCES runs(id),
            split_index INTEGER NOT NULL,
            metric VARCHAR NOT NULL,
            value DOUBLE,
            PRIMARY KEY (run_id, split_index, metric)
        )""")
    con.execute("""
        CREATE TABLE models (
            id BIGINT PRIMARY KEY DEFAULT nextval('seq_models'),
            trial_id BIGINT REFERENCES trials(id),
            run_id BIGINT REFERENCES runs(id),
            name VARCHAR NOT NULL,
            format VARCHAR NOT NULL,      -- 'skops': loading never runs arbitrary code
            sha256 VARCHAR NOT NULL,
            size_bytes BIGINT NOT NULL,
            content BLOB NOT NULL,
            status VARCHAR NOT NULL DEFAULT 'candidate',   -- candidate | promoted | retired
            metadata JSON,
            created_at TIMESTAMP NOT NULL
        )""")
    con.execute("""
        CREATE TABLE audit_log (
            id BIGINT PRIMARY KEY DEFAULT nextval('seq_audit_log'),
            logged_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,       -- 'app' or 'cli'
            action VARCHAR NOT NULL,
            object_type VARCHAR,
            object_id BIGINT,
            details JSON                  -- never personal data: ids, counts and names of columns only
        )""")
