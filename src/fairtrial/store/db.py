"""The one local DuckDB file: connections, locking, and the units of work on it.

A connection is opened per unit of work and closed right after, so two app sessions and
the CLI can take turns: DuckDB lets one process write a file at a time, and a process that
finds the file locked waits (``db_lock_wait_seconds``) and then says so in plain words.
Every statement is parameterised; the only identifiers put in SQL are our own table names,
quoted with ``quote_identifier``.
"""

from __future__ import annotations

import json
import logging
import os
import random
import stat
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pandas as pd

from .. import settings
from ..dataset import Dataset
from ..errors import NotFoundError, StoreBusyError, StoreError
from .keys import model_key
from .migrations import apply_migrations, fetch_one
from .scramble import SCANNED_KEY, SCRAMBLED_KEY, personal_scan, scan_settings, scramble_columns

_MIGRATED: set[str] = set()
_MIGRATE_LOCK = threading.Lock()
_SAVE_LOCK = threading.Lock()
"""One table saved at a time per process: DuckDB's scan of a pandas frame (``register``) is not
safe when two threads of one process do it at once ("pandas_scan does not exist")."""
_LOG = logging.getLogger("fairtrial.store")

FOLDER_MODE = 0o700
"""The store's folder, when FairTrial creates it (or it is the default ~/.fairtrial): only its owner."""
FILE_MODE = 0o600
"""The database file and its .wal journal: only their owner reads and writes them."""


def _looser(path: Path, allowed: int) -> bool:
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & ~allowed)
    except OSError:
        return False


def _tighten(path: Path, mode: int) -> bool:
    """Set ``mode`` on ``path`` when it is looser; whether it was changed."""
    if not _looser(path, mode):
        return False
    try:
        os.chmod(path, mode)
    except OSError:
        return False
    return True


def quote_identifier(name: str) -> str:
    """Quote any text as a DuckDB identifier: wrap in double quotes, double inner quotes."""
    return '"' + str(name).replace('"', '""') + '"'


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text or "in use" in text)


def _seconds(wait: float) -> str:
    """A wait in plain words: '30 seconds', '1 second', '0.2 seconds' (never '0 seconds')."""
    text = f"{wait:.0f}" if wait >= 10 else f"{wait:.2g}"
    return f"{text} second" + ("" if text == "1" else "s")


def _dtype_family(col: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(col):
        return "boolean"
    if pd.api.types.is_integer_dtype(col):
        return "integer"
    if pd.api.types.is_float_dtype(col):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(col):
        return "datetime"
    nonnull = col.dropna()
    if len(nonnull) and all(isinstance(v, bool) for v in nonnull.head(1000)):
        return "boolean"
    return "text"


def _restore(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    for name, family in dtypes.items():
        if name not in frame.columns:
            continue
        col = frame[name]
        if family == "boolean":
            frame[name] = col.astype("boolean") if col.isna().any() else col.astype(bool)
        elif family == "integer":
            frame[name] = col.astype("Int64") if col.isna().any() else col.astype("int64")
        elif family == "float":
            frame[name] = col.astype("float64")
        elif family == "text":
            frame[name] = col.astype("str") if not col.isna().any() else col.astype(object).where(col.notna(), None).astype("str")
    return frame


class StoreConflictError(StoreError):
    """Two writers changed the same rows at once; the later one was undone and may try again."""


def _plain_store_error(exc: duckdb.Error) -> StoreError:
    text = str(exc).lower()
    if isinstance(exc, duckdb.ConstraintException) or (
            isinstance(exc, duckdb.TransactionException) and ("conflict" in text or "constraint" in text)):
        return StoreConflictError(
            "Another FairTrial window or command saved the same thing at the same moment, so this save was undone.",
            "Try again.")
    return StoreError(
        "FairTrial's database could not do this; its file may be damaged or changed by another program.",
        "Try again; if it happens again, move the file aside or pass another file with --db.")


class Store:
    """All reading and writing of the FairTrial database file."""

    def __init__(self, path: str | Path | None = None, *, actor: str = "cli") -> None:
        self.path = Path(path).expanduser() if path else settings.default_db_path()
        self.actor = actor
        self.notes: list[str] = []
        """Plain sentences about what opening the store changed (e.g. permissions tightened)."""

    # --- who may read it -----------------------------------------------------------------
    def _is_default_folder(self) -> bool:
        return self.path.parent == Path.home() / ".fairtrial"

    def secure(self) -> list[str]:
        """Create the store's folder for its owner only (0700) and make the file and its .wal
        readable by their owner only (0600), tightening them when they are looser. A folder the
        user chose with --db and that already exists is left as it is (it may hold other files).
        Returns the notes of what was changed this time (also kept in ``notes``)."""
        folder = self.path.parent
        new: list[str] = []
        if not folder.exists():
            try:
                folder.mkdir(parents=True, mode=FOLDER_MODE)
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreError(f"FairTrial cannot create the folder for its database ({folder}).",
                                 "Choose another place with --db or FAIRTRIAL_DB.") from exc
            _tighten(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask; this one is exact
        elif self._is_default_folder() and _tighten(folder, FOLDER_MODE):
            new.append(f"FairTrial's folder {folder} could be read by other users of this computer; "
                       "it is now for you only.")
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            if path.is_file() and _tighten(path, FILE_MODE):
                new.append(f"The database file {path.name} could be read by other users of this computer; "
                           "it is now for you only.")
        for note in new:
            _LOG.warning(note)
        self.notes.extend(new)
        return new

    def _after_connect(self) -> None:
        """DuckDB creates a new file (and its .wal) as the umask says; make them private at once."""
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            if path.is_file():
                _tighten(path, FILE_MODE)

    # --- connections ---------------------------------------------------------------------
    def _open(self) -> duckdb.DuckDBPyConnection:
        self.secure()
        wait = float(settings.get("db_lock_wait_seconds"))
        deadline = time.monotonic() + wait
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(str(self.path))
                self._after_connect()
                return con
            except duckdb.Error as exc:
                if _is_lock_error(exc) and time.monotonic() < deadline:
                    time.sleep(delay + random.uniform(0, delay))
                    delay = min(delay * 1.5, 0.5)
                    continue
                if _is_lock_error(exc):
                    raise StoreBusyError(
                        f"The FairTrial database ({self.path.name}) stayed busy in another program for {_seconds(wait)}.",
                        "Wait for the other FairTrial window or command to finish, then try again.",
                    ) from exc
                raise StoreError(
                    f"FairTrial cannot open its database file {self.path}: it may be damaged or not a FairTrial database.",
                    "Move it aside or pass another file with --db, then try again.",
                ) from exc

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh connection for one unit of work, with the schema up to date. A DuckDB error
        in the work becomes a plain ``StoreError`` (``StoreConflictError`` when another window
        or thread wrote the same rows at the same moment)."""
        con = self._open()
        try:
            key = str(self.path.resolve())
            if key not in _MIGRATED:
                with _MIGRATE_LOCK:
                    apply_migrations(con)
                    _MIGRATED.add(key)
            yield con
        except duckdb.InterruptException as exc:  # Ctrl+C during a statement: the user stopped, the file is fine
            raise KeyboardInterrupt from exc
        except duckdb.Error as exc:
            raise _plain_store_error(exc) from exc
        finally:
            self._after_connect()  # a .wal written during this unit of work
            con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One unit of work: all of it is written, or none of it."""
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def schema_version(self) -> int:
        with self.connect() as con:
            return int(fetch_one(con, "SELECT max(version) FROM schema_migrations")[0])

    # --- audit -------------------------------------------------------------------------------
    def _audit(self, con: duckdb.DuckDBPyConnection, action: str, object_type: str | None = None,
               object_id: int | None = None, details: dict | None = None) -> None:
        con.execute(
            "INSERT INTO audit_log (logged_at, actor, action, object_type, object_id, details) VALUES (?, ?, ?, ?, ?, ?)",
            [_now(), self.actor, action, object_type, object_id, json.dumps(details or {})],
        )

    def audit(self, action: str, object_type: str | None = None, object_id: int | None = None,
              details: dict | None = None) -> None:
        with self.transaction() as con:
            self._audit(con, action, object_type, object_id, details)

    def audit_log(self, limit: int = 200) -> list[dict[str, Any]]:
        with self.connect() as con:
            rows = con.execute(
                "SELECT id, logged_at, actor, action, object_type, object_id, details FROM audit_log ORDER BY id DESC LIMIT ?",
                [limit],
            ).fetchall()
        return [
            {"id": r[0], "at": r[1].isoformat(sep=" ", timespec="seconds"), "actor": r[2], "action": r[3],
             "object_type": r[4], "object_id": r[5], "details": json.loads(r[6]) if r[6] else {}}
            for r in rows
        ]

    # --- datasets ----------------------------------------------------------------------------
    def save_dataset(self, ds: Dataset, *, keep_personal: bool = False) -> tuple[Dataset, bool]:
        """Store ``ds`` unless the same content is stored already; return it with its id and
        whether an existing copy was reused.

        Personal-data columns (``store/scramble.py``) are stored scrambled unless
        ``keep_personal``: the returned dataset holds the stored (scrambled) values, and its
        ``read_options["personal_scrambled"]`` names them with their kind of personal data,
        so the checks still call them personal data. ``sha256`` stays the hash of the
        uploaded content: the same file is one dataset, stored as it was the first time.

        Safe when two app sessions (threads of one process) save the same table at once: they
        take turns (``_SAVE_LOCK``), so the check for a stored copy and the insert are one
        step; two processes cannot collide, because DuckDB lets one process open the file for
        writing at a time and ``_open`` waits its turn. Any DuckDB error becomes a plain
        ``StoreError`` (``connect``)."""
        scrambled_ds = ds if keep_personal else self._scrambled(ds)
        with _SAVE_LOCK, self.transaction() as con:
            row = fetch_one(con, "SELECT id, read_options FROM datasets WHERE sha256 = ?", [ds.sha256])
            if row:
                self._audit(con, "dataset reused", "dataset", int(row[0]), {"name": ds.name})
                stored = (json.loads(row[1]) if row[1] else {}).get(SCRAMBLED_KEY) or {}
                return self._scrambled(ds, stored).with_id(int(row[0])), True
            ds = scrambled_ds
            new_id = int(fetch_one(con, "SELECT nextval('seq_datasets')")[0])
            table = f"dataset_{new_id}"
            con.register("incoming_frame", ds.frame)
            try:
                con.execute(f"CREATE TABLE {quote_identifier(table)} AS SELECT * FROM incoming_frame")
            finally:
                con.unregister("incoming_frame")
            dtypes = {str(c): _dtype_family(ds.frame[c]) for c in ds.frame.columns}
            con.execute(
                "INSERT INTO datasets (id, sha256, name, source_file, sheet, n_rows, n_cols, columns, kinds, dtypes,"
                " notes, read_options, content_table, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [new_id, ds.sha256, ds.name, ds.source_file, ds.sheet, ds.n_rows, ds.n_cols,
                 json.dumps(ds.columns), json.dumps(ds.kinds), json.dumps(dtypes), json.dumps(list(ds.notes)),
                 json.dumps(ds.read_options, default=str), table, _now()],
            )
            self._audit(con, "dataset stored", "dataset", new_id,
                        {"name": ds.name, "rows": ds.n_rows, "columns": ds.n_cols})
            return ds.with_id(new_id), False

    def _scrambled(self, ds: Dataset, kinds: dict[str, str] | None = None) -> Dataset:
        """``ds`` with its personal-data columns (``kinds``, or the ones found) scrambled."""
        if kinds is not None and not kinds:
            return ds
        options = dict(ds.read_options or {})
        if kinds is None:  # scanned here: the checks need not scan the clean columns again
            kinds, clean = personal_scan(ds.frame)
            options[SCANNED_KEY] = {**scan_settings(), "clean": clean}
        frame, done = scramble_columns(ds.frame, self.model_key(), kinds)
        if done:
            options[SCRAMBLED_KEY] = done
        if options == (ds.read_options or {}):
            return ds
        return replace(ds, frame=frame, read_options=options)

    def list_datasets(self) -> list[dict[str, Any]]:
        with self.connect() as con:
            rows = con.execute(
                "SELECT id, name, source_file, sheet, n_rows, n_cols, sha256, created_at FROM datasets ORDER BY id DESC"
            ).fetchall()
        return [
            {"dataset_id": r[0], "name": r[1], "source_file": r[2], "sheet": r[3], "rows": r[4], "columns": r[5],
             "sha256": r[6], "created_at": r[7].isoformat(sep=" ", timespec="seconds")}
            for r in rows
        ]

    def get_dataset(self, dataset_id: int) -> Dataset:
        with self.connect() as con:
            row = fetch_one(con, 
                "SELECT name, source_file, sheet, columns, kinds, dtypes, notes, read_options, content_table, sha256"
                " FROM datasets WHERE id = ?", [int(dataset_id)],
            )
            if row is None:
                raise NotFoundError(f"There is no dataset number {dataset_id}.",
                                    "Run 'fairtrial datasets' to see the stored ones.")
            frame = con.execute(f"SELECT * FROM {quote_identifier(row[8])}").df()
        columns = json.loads(row[3])
        frame.columns = columns
        frame = _restore(frame, json.loads(row[5]))
        return Dataset(
            name=row[0], frame=frame, kinds=json.loads(row[4]), sha256=row[9], source_file=row[1] or "",
            sheet=row[2], notes=tuple(json.loads(row[6]) if row[6] else ()), dataset_id=int(dataset_id),
            read_options=json.loads(row[7]) if row[7] else {},
        )

    def dataset_id_for(self, sha256: str) -> int | None:
        with self.connect() as con:
            row = fetch_one(con, "SELECT id FROM datasets WHERE sha256 = ?", [sha256])
        return int(row[0]) if row else None

    # --- checks and findings ------------------------------------------------------------------
    def save_check_run(self, dataset_id: int, target: str, task: str | None, findings: list,
                       summary: dict | None = None) -> int:
        """Store one run of the data checks and its findings together."""
        with self.transaction() as con:
            run_id = int(fetch_one(con, "SELECT nextval('seq_check_runs')")[0])
            con.execute(
                "INSERT INTO check_runs (id, dataset_id, target, task, summary, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, int(dataset_id), target, task, json.dumps(summary or {}, default=str), _now()],
            )
            self._insert_findings(con, dataset_id, findings, check_run_id=run_id)
            self._audit(con, "checks run", "dataset", int(dataset_id),
                        {"target": target, "findings": len(findings), "check_run_id": run_id})
        return run_id

    def _insert_findings(self, con: duckdb.DuckDBPyConnection, dataset_id: int, findings: list,
                         check_run_id: int | None = None, trial_id: int | None = None) -> None:
        now = _now()
        rows = [
            [int(dataset_id), check_run_id, trial_id, f.check, f.severity, json.dumps(list(f.columns)), f.title,
             f.message, f.suggestion, json.dumps(f.details, default=str), f.action, now]
            for f in findings
        ]
        if rows:
            con.executemany(
                "INSERT INTO findings (dataset_id, check_run_id, trial_id, check_id, severity, columns, title, message,"
                " suggestion, details, action, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def latest_check_run(self, dataset_id: int, target: str | None = None) -> dict[str, Any] | None:
        """The newest check run of a dataset (for one target, if given) with its findings."""
        from ..findings import Finding

        with self.connect() as con:
            sql = "SELECT id, target, task, summary, created_at FROM check_runs WHERE dataset_id = ?"
            params: list[Any] = [int(dataset_id)]
            if target is not None:
                sql += " AND target = ?"
                params.append(target)
            row = fetch_one(con, sql + " ORDER BY id DESC LIMIT 1", params)
            if row is None:
                return None
            rows = con.execute(
                "SELECT check_id, severity, columns, title, message, suggestion, details, action FROM findings"
                " WHERE check_run_id = ? ORDER BY id", [row[0]],
            ).fetchall()
        findings = [
            Finding(check=r[0], severity=r[1], columns=tuple(json.loads(r[2])), title=r[3], message=r[4],
                    suggestion=r[5] or "", details=json.loads(r[6]) if r[6] else {}, action=r[7] or "")
            for r in rows
        ]
        return {"check_run_id": row[0], "target": row[1], "task": row[2],
                "summary": json.loads(row[3]) if row[3] else {},
                "created_at": row[4].isoformat(sep=" ", timespec="seconds"), "findings": findings}

    # --- trials --------------------------------------------------------------------------------
    def save_trial(self, dataset_id: int, plan: dict, result: dict, *, models: dict[str, tuple[bytes, str]] | None = None,
                   findings: list | None = None) -> int:
        """Store a whole trial in one transaction: settings, runs, fold scores, findings and the
        fitted models. A crash leaves either all of it or none of it. Each model is signed with
        the installation's key (``model_key``), kept outside the database."""
        from ..models import sign_model

        models = models or {}
        key = self.model_key() if models else b""
        with self.transaction() as con:
            trial_id = int(fetch_one(con, "SELECT nextval('seq_trials')")[0])
            verdict = result.get("verdict") or {}
            con.execute(
                "INSERT INTO trials (id, dataset_id, target, task, recipe_a, recipe_b, seed, plan, result, winner,"
                " verdict, versions, duration_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [trial_id, int(dataset_id), plan.get("target"), result.get("task") or plan.get("task"),
                 _recipe_name(plan.get("recipe_a")), _recipe_name(plan.get("recipe_b")), int(plan.get("seed", 0)),
                 json.dumps(plan, default=str), json.dumps({**result, "trial_id": trial_id}, default=str),
                 verdict.get("winner"), verdict.get("text"), json.dumps(result.get("versions") or {}),
                 result.get("duration_seconds"), _now()],
            )
            metric = result.get("primary_metric", "score")
            cost = result.get("cost") or {}
            for arm in ("a", "b", "baseline"):
                part = result.get(arm)
                if not part:
                    continue
                run_id = int(fetch_one(con, "SELECT nextval('seq_runs')")[0])
                arm_cost = cost.get(arm) or {}
                con.execute(
                    "INSERT INTO runs (id, trial_id, arm, recipe, mean_score, holdout_score, fit_seconds,"
                    " predict_ms_per_1000, model_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, trial_id, arm, json.dumps(part.get("recipe"), default=str), part.get("mean"),
                     part.get("holdout"), arm_cost.get("fit_seconds"), arm_cost.get("predict_ms_per_1000"),
                     arm_cost.get("model_bytes")],
                )
                scores = part.get("fold_scores") or []
                if scores:
                    con.executemany(
                        "INSERT INTO fold_metrics (run_id, split_index, metric, value) VALUES (?, ?, ?, ?)",
                        [[run_id, i, metric, None if v is None else float(v)] for i, v in enumerate(scores)],
                    )
                if arm in models:
                    blob, digest = models[arm]
                    con.execute(
                        "INSERT INTO models (trial_id, run_id, name, format, sha256, size_bytes, content, status,"
                        " metadata, created_at) VALUES (?, ?, ?, 'skops', ?, ?, ?, 'candidate', ?, ?)",
                        [trial_id, run_id, f"trial {trial_id} recipe {arm.upper()}: {_recipe_name(part.get('recipe'))}",
                         digest, len(blob), blob,
                         json.dumps({"target": plan.get("target"), "task": result.get("task"), "arm": arm,
                                     "dataset_id": int(dataset_id), "signature": sign_model(blob, key)}),
                         _now()],
                    )
            if findings:
                self._insert_findings(con, dataset_id, findings, trial_id=trial_id)
            self._audit(con, "trial run", "trial", trial_id,
                        {"dataset_id": int(dataset_id), "a": _recipe_name(plan.get("recipe_a")),
                         "b": _recipe_name(plan.get("recipe_b")), "winner": verdict.get("winner")})
        return trial_id

    def get_trial(self, trial_id: int) -> dict[str, Any]:
        with self.connect() as con:
            row = fetch_one(
                con, "SELECT id, dataset_id, plan, result, created_at FROM trials WHERE id = ?", [int(trial_id)]
            )
        if row is None:
            raise NotFoundError(f"There is no trial number {trial_id}.", "Run 'fairtrial history' to see stored trials.")
        return {"trial_id": row[0], "dataset_id": row[1], "plan": json.loads(row[2]), "result": json.loads(row[3]),
                "created_at": row[4].isoformat(sep=" ", timespec="seconds")}

    def list_trials(self, limit: int = 200) -> list[dict[str, Any]]:
        with self.connect() as con:
            rows = con.execute(
                "SELECT t.id, t.dataset_id, d.name, t.target, t.task, t.recipe_a, t.recipe_b, t.winner, t.verdict,"
                " t.seed, t.created_at, json_extract_string(t.result, '$.rerun') FROM trials t"
                " JOIN datasets d ON d.id = t.dataset_id ORDER BY t.id DESC LIMIT ?",
                [limit],
            ).fetchall()
        out = []
        for r in rows:
            rerun = json.loads(r[11]) if r[11] else {}
            out.append({"trial_id": r[0], "dataset_id": r[1], "dataset": r[2], "target": r[3], "task": r[4],
                        "a": r[5], "b": r[6], "winner": r[7], "verdict": r[8], "seed": r[9],
                        "created_at": r[10].isoformat(sep=" ", timespec="seconds"),
                        "rerun_of": rerun.get("of"), "rerun_same": rerun.get("same")})
        return out

    def record_rerun(self, trial_id: int, rerun_of: int, *, same: bool | None, message: str = "") -> None:
        """Mark ``trial_id`` as a re-run of trial ``rerun_of`` (in its stored result, key ``rerun``:
        ``of``, ``same`` - None when the numbers were not compared - and the ``message``)."""
        rerun = {"of": int(rerun_of), "same": same, "message": message}
        with self.transaction() as con:
            row = fetch_one(con, "SELECT result FROM trials WHERE id = ?", [int(trial_id)])
            if row is None:
                raise NotFoundError(f"There is no trial number {trial_id}.", "Run 'fairtrial history' to see stored trials.")
            result = {**json.loads(row[0]), "rerun": rerun}
            con.execute("UPDATE trials SET result = ? WHERE id = ?", [json.dumps(result, default=str), int(trial_id)])
            self._audit(con, "trial re-run", "trial", int(trial_id), {"rerun_of": int(rerun_of), "same": same})

    def fold_scores(self, trial_id: int) -> dict[str, list[float]]:
        with self.connect() as con:
            rows = con.execute(
                "SELECT r.arm, f.split_index, f.value FROM fold_metrics f JOIN runs r ON r.id = f.run_id"
                " WHERE r.trial_id = ? ORDER BY r.arm, f.split_index", [int(trial_id)],
            ).fetchall()
        out: dict[str, list[float]] = {}
        for arm, _, value in rows:
            out.setdefault(arm, []).append(value)
        return out

    # --- models ----------------------------------------------------------------------------------
    def list_models(self) -> list[dict[str, Any]]:
        with self.connect() as con:
            rows = con.execute(
                "SELECT m.id, m.trial_id, m.name, m.status, m.size_bytes, m.sha256, m.metadata, m.created_at, d.name,"
                " json_extract_string(t.result, '$.' || coalesce(json_extract_string(m.metadata, '$.arm'), 'b')"
                " || '.label') FROM models m LEFT JOIN trials t ON t.id = m.trial_id"
                " LEFT JOIN datasets d ON d.id = t.dataset_id ORDER BY m.id DESC"
            ).fetchall()
        return [
            {"model_id": r[0], "trial_id": r[1], "name": r[2], "status": r[3], "size_bytes": r[4], "sha256": r[5],
             "metadata": json.loads(r[6]) if r[6] else {}, "created_at": r[7].isoformat(sep=" ", timespec="seconds"),
             "dataset": r[8], "recipe": r[9]}
            for r in rows
        ]

    def model_events(self) -> list[dict[str, Any]]:
        """Every promotion and rollback, oldest first (for the models' timeline)."""
        with self.connect() as con:
            rows = con.execute(
                "SELECT logged_at, action, object_id, details FROM audit_log"
                " WHERE action IN ('model promoted', 'model rolled back') ORDER BY id"
            ).fetchall()
        return [{"at": r[0], "action": r[1], "model_id": r[2], "details": json.loads(r[3]) if r[3] else {}}
                for r in rows]

    def model_key(self) -> bytes:
        """The secret that signs this database's models (``<database>.key``, 0600, made on first use)."""
        self.secure()
        return model_key(self.path)

    def model_blob(self, model_id: int) -> tuple[bytes, str, dict[str, Any]]:
        """The stored bytes, their recorded checksum and metadata (verify before loading)."""
        with self.connect() as con:
            row = fetch_one(con, "SELECT content, sha256, metadata FROM models WHERE id = ?", [int(model_id)])
        if row is None:
            raise NotFoundError(f"There is no model number {model_id}.", "Run 'fairtrial models' to see stored ones.")
        return bytes(row[0]), row[1], json.loads(row[2]) if row[2] else {}

    def promote_model(self, model_id: int) -> int | None:
        """Make ``model_id`` the one in use for its target; return the model it replaced."""
        with self.transaction() as con:
            row = fetch_one(con, "SELECT metadata FROM models WHERE id = ?", [int(model_id)])
            if row is None:
                raise NotFoundError(f"There is no model number {model_id}.", "Run 'fairtrial models' to see stored ones.")
            target = (json.loads(row[0]) if row[0] else {}).get("target")
            prev = fetch_one(
                con, "SELECT id FROM models WHERE status = 'promoted' AND json_extract_string(metadata, '$.target') = ?"
                " AND id <> ? ORDER BY id DESC LIMIT 1", [target, int(model_id)],
            )
            con.execute("UPDATE models SET status = 'retired' WHERE status = 'promoted'"
                        " AND json_extract_string(metadata, '$.target') = ?", [target])
            con.execute("UPDATE models SET status = 'promoted' WHERE id = ?", [int(model_id)])
            self._audit(con, "model promoted", "model", int(model_id), {"replaced": prev[0] if prev else None})
        return int(prev[0]) if prev else None

    def rollback_model(self, model_id: int) -> int | None:
        """Take ``model_id`` out of use and bring back the model it replaced, if any."""
        with self.transaction() as con:
            logged = fetch_one(
                con, "SELECT details FROM audit_log WHERE action = 'model promoted' AND object_id = ?"
                " ORDER BY id DESC LIMIT 1", [int(model_id)],
            )
            if logged is None:
                raise NotFoundError(f"Model {model_id} was never promoted, so there is nothing to roll back.",
                                    "Promote a model first.")
            previous = json.loads(logged[0]).get("replaced")
            con.execute("UPDATE models SET status = 'retired' WHERE id = ?", [int(model_id)])
            if previous is not None:
                con.execute("UPDATE models SET status = 'promoted' WHERE id = ?", [int(previous)])
            self._audit(con, "model rolled back", "model", int(model_id), {"restored": previous})
        return previous


def _recipe_name(recipe: Any) -> str:
    """The recipe as History and the trial pickers list it: 'simple', or 'simple without 'sex''
    for the B of a with/without trial (else both arms read 'simple')."""
    if isinstance(recipe, dict):
        name = str(recipe.get("name", ""))
        without = [str(c) for c in recipe.get("without") or ()]
        return f"{name} without " + ", ".join(f"'{c}'" for c in without) if without else name
    return str(recipe or "")
