"""Time ``load_file`` against the bare readers it competes with, in one run.

Run ``.venv/bin/python bench/bench_load.py [csv_rows] [xlsx_rows] [--update-docs]``
(defaults 1,000,000 and 100,000). It writes, into a temporary folder:

- a CSV of ``csv_rows`` x 20 columns (ids, floats, integers, categories, e-mails, ISO dates,
  yes/no, short text; ~110 MB at a million rows), and
- an .xlsx of ``xlsx_rows`` x 20 columns, written with openpyxl's write-only mode,

then times (best of several interleaved runs, after one warm-up; wall and CPU time):

- CSV: ``pandas.read_csv(path)`` with default options against the read inside
  ``load_file`` (detection, read, date parsing: everything but kinds and hash), the whole
  ``load_file`` (a Dataset), and its other parts ``infer_kinds`` and ``canonical_sha256``;
  plus pandas' pyarrow engine and DuckDB's reader (to a DataFrame) for comparison;
- xlsx: ``load_file`` vs ``pandas.read_excel`` with openpyxl and with calamine.

It prints seconds and ratios. ``--update-docs`` rewrites the "## Reading files" section of
docs/benchmarks.md with these numbers (other sections are left as they are).
Timings depend on the machine and on what else runs: compare ratios from one run only.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fairtrial.dataset import canonical_sha256  # noqa: E402
from fairtrial.kinds import infer_kinds  # noqa: E402
from fairtrial.load import _read_table, load_file  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Reading files"


def make_frame(n: int, seed: int = 3) -> pd.DataFrame:
    """20 columns: the mix a small business export has."""
    rng = np.random.default_rng(seed)
    cities = np.array(["Berlin", "Paris", "Lisbon", "Rome", "Madrid", "Vienna", "Oslo", "Porto"])
    start = np.datetime64("2020-01-01")
    return pd.DataFrame({
        "customer_id": np.arange(1, n + 1),
        "age": rng.integers(18, 90, n),
        "income": np.round(rng.lognormal(10, 0.5, n), 2),
        "balance": np.round(rng.normal(1000, 400, n), 2),
        "score": np.round(rng.random(n), 3),
        "visits": rng.poisson(4, n),
        "tenure": rng.integers(0, 120, n),
        "discount": rng.choice([0, 5, 10, 15], n),
        "rating": np.round(rng.uniform(1, 5, n), 1),
        "basket": np.round(rng.gamma(2, 30, n), 2),
        "returns": rng.integers(0, 5, n),
        "city": cities[rng.integers(0, len(cities), n)],
        "plan": np.array(["basic", "plus", "pro"])[rng.integers(0, 3, n)],
        "channel": np.array(["web", "shop", "phone"])[rng.integers(0, 3, n)],
        "email": np.char.add(np.char.add("u", rng.integers(0, 10**7, n).astype(str)), "@mail.com"),
        "signup": (start + rng.integers(0, 1500, n).astype("timedelta64[D]")).astype(str),
        "newsletter": np.array(["yes", "no"])[rng.integers(0, 2, n)],
        "segment": np.array(["A", "B", "C", "D"])[rng.integers(0, 4, n)],
        "note": np.array(["ok", "late", "great", "refund asked", ""])[rng.integers(0, 5, n)],
        "churned": rng.integers(0, 2, n),
    })


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(list(frame.columns))
    signup = pd.to_datetime(frame["signup"]).dt.date.tolist()
    cols = [frame[c].tolist() for c in frame.columns]
    j = list(frame.columns).index("signup")
    cols[j] = signup
    for row in zip(*cols):
        ws.append(row)
    wb.save(path)


def measure(cases: dict, repeats: int) -> dict[str, tuple[float, float]]:
    """Best (wall seconds, CPU seconds) per case; cases run in turn, round after round.

    Interleaving the cases means they share whatever else the machine is doing. CPU time
    is the steadier number on a busy machine for single-threaded readers (pandas' C
    reader, calamine, our code); for multi-threaded ones (pyarrow, DuckDB) it adds up the
    threads, so compare those by wall time.
    """
    for fn in cases.values():
        fn()  # warm-up: file cache, imports
    wall = {k: float("inf") for k in cases}
    cpu = {k: float("inf") for k in cases}
    for _ in range(repeats):
        for label, fn in cases.items():
            t, c = time.perf_counter(), time.process_time()
            fn()
            wall[label] = min(wall[label], time.perf_counter() - t)
            cpu[label] = min(cpu[label], time.process_time() - c)
    return {k: (wall[k], cpu[k]) for k in cases}


def show(results: dict[str, tuple[float, float]], base_label: str) -> None:
    bw, bc = results[base_label]
    print(f"  {'':<40} {'wall s':>7} {'ratio':>6} {'CPU s':>7} {'ratio':>6}")
    for label, (w, c) in results.items():
        print(f"  {label:<40} {w:7.2f} {w / bw:5.2f}x {c:7.2f} {c / bc:5.2f}x")


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    csv_rows = int(args[0]) if args else 1_000_000
    xlsx_rows = int(args[1]) if len(args) > 1 else 100_000
    repeats = 5
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        csv_path = tmp_path / "bench.csv"
        make_frame(csv_rows).to_csv(csv_path, index=False)
        mb = csv_path.stat().st_size / 1e6
        print(f"CSV: {csv_rows:,} rows x 20 columns, {mb:.0f} MB")
        ds = load_file(csv_path)
        cases = {
            "pandas read_csv (default)": lambda: pd.read_csv(csv_path),
            "load_file: the read (detect+read+dates)": lambda: _read_table(
                csv_path, filename=None, sheet=None, max_bytes=None),
            "load_file: whole Dataset": lambda: load_file(csv_path),
            "  infer_kinds (part of load_file)": lambda: infer_kinds(ds.frame),
            "  canonical_sha256 (part of load_file)": lambda: canonical_sha256(ds.frame),
            "pandas read_csv (engine=pyarrow)": lambda: pd.read_csv(csv_path, engine="pyarrow"),
        }
        try:
            import duckdb

            cases["duckdb read_csv -> DataFrame"] = lambda: duckdb.connect().execute(
                "SELECT * FROM read_csv_auto(?)", [str(csv_path)]).df()
        except ImportError:  # pragma: no cover - duckdb is a dependency
            pass
        results = measure(cases, repeats)
        show(results, "pandas read_csv (default)")
        print("  notes:", " ".join(ds.notes))

        xlsx_path = tmp_path / "bench.xlsx"
        write_xlsx(make_frame(xlsx_rows, seed=5), xlsx_path)
        print(f"XLSX: {xlsx_rows:,} rows x 20 columns, {xlsx_path.stat().st_size / 1e6:.0f} MB")
        xds = load_file(xlsx_path)
        xres = measure({
            "pandas read_excel (engine=calamine)": lambda: pd.read_excel(xlsx_path, engine="calamine"),
            "load_file: the read": lambda: _read_table(xlsx_path, filename=None, sheet=None, max_bytes=None),
            "load_file: whole Dataset": lambda: load_file(xlsx_path),
            "  infer_kinds + canonical_sha256": lambda: (infer_kinds(xds.frame), canonical_sha256(xds.frame)),
        }, 3)
        xres.update(measure({
            "pandas read_excel (engine=openpyxl)": lambda: pd.read_excel(xlsx_path, engine="openpyxl"),
        }, 1))
        show(xres, "pandas read_excel (engine=calamine)")

    if "--update-docs" in argv:
        update_docs(csv_rows, mb, results, xlsx_rows, xres)
        print(f"wrote the '{SECTION}' section of {DOCS.relative_to(ROOT)}")


def update_docs(csv_rows: int, mb: float, results: dict, xlsx_rows: int, xres: dict) -> None:
    def table(res: dict, base: str, against: str) -> list[str]:
        bw, bc = res[base]
        rows = [f"| reader | wall s | vs {against} | CPU s | vs {against} |", "|---|---:|---:|---:|---:|"]
        rows += [f"| {k.strip()} | {w:.2f} | {w / bw:.2f}x | {c:.2f} | {c / bc:.2f}x |" for k, (w, c) in res.items()]
        return rows

    lines = [
        SECTION,
        "",
        f"Measured by `bench/bench_load.py --update-docs` on {dt.date.today().isoformat()} "
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}): best of several interleaved runs in one process. The machine "
        "was shared with other work, so read the ratios; CPU time is the steadier measure for the "
        "single-threaded readers (pandas' C reader, calamine, FairTrial's code), wall time for the "
        "multi-threaded ones (pyarrow, DuckDB).",
        "",
        f"CSV, {csv_rows:,} rows x 20 columns ({mb:.0f} MB). Target: the read <= 1.2x pandas' default reader.",
        "",
        *table(results, "pandas read_csv (default)", "pandas"),
        "",
        f"XLSX, {xlsx_rows:,} rows x 20 columns. Target: <= 2.5 s.",
        "",
        *table(xres, "pandas read_excel (engine=calamine)", "pandas+calamine"),
    ]
    body = "\n".join(lines) + "\n"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = pattern.search(text)
    if found:
        # Keep hand-written remarks placed after a "<!-- notes -->" marker in the section.
        extra = found.group(0).split("<!-- notes -->", 1)
        body = body + ("\n<!-- notes -->" + extra[1] if len(extra) == 2 else "\n")
        text = text[: found.start()] + body + text[found.end():]
    else:
        text = text.rstrip("\n") + "\n\n" + body
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
