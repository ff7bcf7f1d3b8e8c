"""Two programs writing to one database file at the same time lose nothing.

DuckDB lets one process hold a file for writing; FairTrial opens a connection per unit of
work and waits its turn, so two app sessions and the CLI can work side by side.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

from fairtrial.store import Store

WRITER = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from fairtrial.dataset import Dataset, canonical_sha256
    from fairtrial.store import Store

    db, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store(db, actor=who)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(count):
        frame = pd.DataFrame({"writer": [who] * 50, "i": [i] * 50, "x": range(50)})
        ds = Dataset(f"{who}-{i}", frame, {"writer": "category", "i": "number", "x": "number"},
                     canonical_sha256(frame))
        store.save_dataset(ds)
        store.audit("test write", details={"who": who, "i": i})
    print("done", flush=True)
    """
)


def test_two_processes_writing_at_once_lose_nothing(db_path):
    Store(db_path).list_datasets()  # create the file first
    count = 15
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), who, str(count)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for who in ("app", "cli")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip() == "done"
    names = {d["name"] for d in Store(db_path).list_datasets()}
    assert names == {f"{who}-{i}" for who in ("app", "cli") for i in range(count)}
    writes = [e for e in Store(db_path).audit_log(limit=1000) if e["action"] == "test write"]
    assert len(writes) == 2 * count


def test_threads_of_one_app_share_the_file_safely(db_path):
    import pandas as pd

    from fairtrial.dataset import Dataset, canonical_sha256

    errors: list[Exception] = []

    def work(who: str) -> None:
        try:
            store = Store(db_path, actor="app")
            for i in range(10):
                frame = pd.DataFrame({"who": [who], "i": [i]})
                store.save_dataset(Dataset(f"{who}-{i}", frame, {"who": "category", "i": "number"},
                                           canonical_sha256(frame)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(Store(db_path).list_datasets()) == 30


def test_a_short_lock_wait_is_told_in_tenths_not_as_zero_seconds(tmp_path, monkeypatch):
    """Another program holds the file; a 0.2 s wait is said as '0.2 seconds'."""
    import subprocess
    import sys

    import pytest

    from fairtrial.errors import StoreBusyError
    from fairtrial.store.db import _seconds

    db = tmp_path / "busy.duckdb"
    Store(db).list_datasets()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
                               "sys.stdin.readline()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("FAIRTRIAL_DB_LOCK_WAIT_SECONDS", "0.2")
        with pytest.raises(StoreBusyError, match=r"stayed busy in another program for 0\.2 seconds\."):
            Store(db).list_datasets()
    finally:
        holder.communicate("go\n", timeout=30)
    assert [_seconds(w) for w in (30, 1, 0.2, 2.5, 12.4)] == ["30 seconds", "1 second", "0.2 seconds", "2.5 seconds",
                                                              "12 seconds"]


def test_two_app_sessions_saving_the_same_tables_at_once_store_each_once_without_an_error(db_path):
    """Two browser tabs uploading the same files: before, 20 of 40 saves raised raw DuckDB
    errors (a check for a stored copy, then an insert, with the other session in between)."""
    import pandas as pd

    from fairtrial.dataset import Dataset, canonical_sha256

    Store(db_path).list_datasets()
    frames = [pd.DataFrame({"a": range(200), "b": ["x"] * 200, "i": [i] * 200}) for i in range(15)]
    errors: list[Exception] = []
    got: dict[str, list[tuple[int, int, bool]]] = {"one": [], "two": []}
    start = threading.Barrier(2)

    def work(who: str) -> None:
        start.wait()
        for i, frame in enumerate(frames):
            try:
                ds, reused = Store(db_path, actor="app").save_dataset(
                    Dataset(f"t{i}", frame, {"a": "number", "b": "category", "i": "number"}, canonical_sha256(frame)))
                got[who].append((i, ds.dataset_id, reused))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(who,)) for who in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stored = Store(db_path).list_datasets()
    assert len(stored) == 15
    for i in range(15):
        (_, id_one, reused_one), = [g for g in got["one"] if g[0] == i]
        (_, id_two, reused_two), = [g for g in got["two"] if g[0] == i]
        assert id_one == id_two and sorted([reused_one, reused_two]) == [False, True]


def test_a_database_error_is_told_in_plain_words_not_as_a_duckdb_message(db_path):
    import duckdb
    import pandas as pd
    import pytest

    from fairtrial.dataset import Dataset, canonical_sha256
    from fairtrial.errors import StoreError

    frame = pd.DataFrame({"a": [1, 2, 3]})
    ds, _ = Store(db_path).save_dataset(Dataset("t", frame, {"a": "number"}, canonical_sha256(frame)))
    con = duckdb.connect(str(db_path))  # another program removes the table's rows
    con.execute(f"DROP TABLE dataset_{ds.dataset_id}")
    con.close()
    with pytest.raises(StoreError) as err:
        Store(db_path).get_dataset(ds.dataset_id)
    assert str(err.value) == ("FairTrial's database could not do this; its file may be damaged or changed by another "
                              "program. Try again; if it happens again, move the file aside or pass another file "
                              "with --db.")
    assert not isinstance(err.value.__cause__, StoreError) and isinstance(err.value.__cause__, duckdb.Error)


def test_ctrl_c_during_a_statement_is_the_user_stopping_not_a_damaged_file(db_path, capsys, monkeypatch):
    """DuckDB turns Ctrl+C during a statement into its InterruptException, which was told as
    "its file may be damaged" (or, before the store's own message, "an internal problem"); it
    is the user stopping: the command line says "stopped by the user", and nothing is half saved."""
    import duckdb
    import pandas as pd
    import pytest

    from fairtrial.cli import main

    store = Store(db_path)
    frame = pd.DataFrame({"a": [1, 2, 3]})
    with pytest.raises(KeyboardInterrupt), store.transaction() as con:
        con.execute("CREATE TABLE half (x INTEGER)")
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
    assert not store.list_datasets()
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'half'").fetchone()[0]

    def interrupted(self, ds, **kwargs):
        with self.transaction() as con:
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr(Store, "save_dataset", interrupted)
    csv = db_path.parent / "t.csv"
    frame.to_csv(csv, index=False)
    assert main(["--db", str(db_path), "import", str(csv)]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "error: stopped by the user."
    assert not Store(db_path).list_datasets()
