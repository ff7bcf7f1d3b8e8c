"""App cold start: from `streamlit run` to the first page shown in a real browser.

Prints the time to the health endpoint and to the Upload page's title in headless
Chromium, and, measured in the same run, the bare cost of importing the stack
(streamlit + scikit-learn + pandas + duckdb + plotly) in a fresh interpreter, with the
ratio. Run: .venv/bin/python bench/bench_startup.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "app"))

from server import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402


def bare_imports() -> float:
    code = "import time; t=time.perf_counter(); import streamlit, sklearn, pandas, duckdb, plotly; print(time.perf_counter()-t)"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - start


def cold_start(browser, repo: Path = REPO) -> tuple[float, float]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        # This checkout's engine (src/), not whichever one the virtual environment installed.
        env = {"FAIRTRIAL_DB": str(Path(tmp) / "b.duckdb"), "PATH": "/usr/bin:/bin", "HOME": tmp,
               "PYTHONPATH": str(repo / "src")}
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(repo / "app" / "streamlit_app.py"),
                                 "--server.port", str(port), "--server.headless", "true",
                                 "--browser.gatherUsageStats", "false"], cwd=repo, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                        break
                except OSError:
                    time.sleep(0.05)
            healthy = time.perf_counter() - start
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}")
            page.get_by_text("Upload your data").first.wait_for(timeout=60_000)
            shown = time.perf_counter() - start
            page.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return healthy, shown


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another checkout (e.g. `git archive` of an older commit) "
                        "whose app is started in turn with this one")
    args = parser.parse_args()
    rounds = args.rounds
    other = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        bare, runs = [], []
        for _ in range(rounds):  # interleaved, so the machine's load hits each alike
            bare.append(bare_imports())
            runs.append(cold_start(browser))
            if args.against:
                other.append(cold_start(browser, args.against.resolve()))
        browser.close()
    b = statistics.median(bare)
    h = statistics.median(r[0] for r in runs)
    s = statistics.median(r[1] for r in runs)
    print(f"bare imports (fresh python)     {b:6.2f} s  1.00x")
    print(f"server answers health check     {h:6.2f} s  {h / b:.2f}x")
    print(f"first page shown in Chromium    {s:6.2f} s  {s / b:.2f}x")
    if other:
        o = statistics.median(r[1] for r in other)
        print(f"  the same for {args.against}: {o:6.2f} s  {o / b:.2f}x")


if __name__ == "__main__":
    main()
