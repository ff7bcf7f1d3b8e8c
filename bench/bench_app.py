"""The app against the CLI: the same check and the same trial, on the same file and seed.

Starts the real app (``streamlit run``) and drives it with headless Chromium (Debian's
/usr/bin/chromium, as ``bench_startup.py``); in the same run, interleaved with the app
(CLI check, app check, CLI compare, app trial, ...), it runs the whole ``fairtrial check``
and ``fairtrial compare`` processes on the same CSV. Medians and ratios are printed.

- **check, app**: from choosing the column to predict on the Check page (the file was
  uploaded before, as a user does) to the one-line summary on screen, and to the page at rest
  (every finding card and chart drawn).
- **check, CLI**: the whole ``fairtrial check FILE --target target --json`` process (start-up
  imports, reading and hashing the file, storing, the checks).
- **trial, app**: from the click on "Start the trial" (simple vs boosting, the app's defaults:
  5 folds, FairTrial chooses the re-splits, seed 42, 20% kept aside) to the verdict and scores on
  the Results page, and to that page at rest (its charts and the downloadable reports built).
- **trial, CLI**: the whole ``fairtrial compare FILE --target target --a simple --b boosting
  --json --quiet`` process (also runs the checks; the app ran them on the Check page).

Run: PYTHONPATH=src .venv/bin/python bench/bench_app.py [--rows 15500] [--rounds 3] [--against OLD_CHECKOUT]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "app"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "src"))

import server  # noqa: E402
from server import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

TIMEOUT = int(os.environ.get("BENCH_APP_TIMEOUT_MS", 900_000))  # a loaded machine may take minutes


def _idle(page) -> None:
    """Until the app has finished running its script (the 'running' widget is gone)."""
    page.wait_for_timeout(200)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=TIMEOUT)


def cli(env: dict, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fairtrial.cli", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def open_check_page(browser, url: str, data: Path):
    """A new browser session with the file uploaded (stored before, so reused) and the Check page open."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.get_by_text("Upload your data").first.wait_for(timeout=TIMEOUT)
    page.get_by_text("My own file").click()
    page.locator("input[type='file']").set_input_files(str(data))
    page.get_by_text("Dataset number").first.wait_for(timeout=TIMEOUT)
    _idle(page)
    page.get_by_role("link", name="2. Check").click()
    page.get_by_text("Which column do you want to predict?").wait_for(timeout=TIMEOUT)
    _idle(page)
    return page


def app_check(page) -> tuple[float, float]:
    page.locator("[data-testid='stSelectbox']").first.click()
    option = page.get_by_role("option", name="target", exact=True)
    start = time.perf_counter()
    option.click()
    page.get_by_text("In one line:").wait_for(timeout=TIMEOUT)
    shown = time.perf_counter() - start
    _idle(page)
    return shown, time.perf_counter() - start


def app_trial(page) -> tuple[float, float]:
    page.get_by_role("link", name="3. Trial").click()
    page.get_by_role("button", name="Start the trial").wait_for(timeout=TIMEOUT)
    _idle(page)  # the expected-time estimate runs when the page opens, before any click
    start = time.perf_counter()
    page.get_by_role("button", name="Start the trial").click()
    page.get_by_text("Recipe A:").first.wait_for(timeout=TIMEOUT)  # the scores, under the verdict
    shown = time.perf_counter() - start
    page.get_by_text("Download the Excel report").wait_for(timeout=TIMEOUT)
    _idle(page)
    return shown, time.perf_counter() - start


def _row(name: str, values: list[float], base: float | None) -> str:
    med = statistics.median(values)
    ratio = f"{med / base:5.2f}x" if base else "       "
    return f"{name:<40} {med:7.2f} s  {ratio}   {' / '.join(f'{v:.1f}' for v in values)}"


def main() -> int:
    from playwright.sync_api import sync_playwright

    from bench_trial import make_data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=15_500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-trial", action="store_true", help="time the check only")
    parser.add_argument("--against", type=Path, help="another checkout (e.g. `git archive` of an older commit) whose "
                        "app is timed in turn with this one, against the same CLI runs")
    args = parser.parse_args()

    apps = ["app"] + (["other"] if args.against else [])
    times: dict[str, list[float]] = {"cli_check": [], "cli_compare": []}
    for app in apps:
        times.update({f"{app}_check": [], f"{app}_check_idle": [], f"{app}_trial": [], f"{app}_trial_idle": []})
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "bench_app.csv"
        make_data(args.rows).to_csv(data, index=False)
        env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "FAIRTRIAL_DB": str(tmp_path / "cli.duckdb")}
        with contextlib.ExitStack() as stack:
            urls = {"app": stack.enter_context(running_app(tmp_path / "app.duckdb", tmp_path / "server.log"))}
            if args.against:
                server.REPO = args.against.resolve()  # running_app starts the app of server.REPO
                urls["other"] = stack.enter_context(running_app(tmp_path / "other.duckdb", tmp_path / "other.log"))
            pw = stack.enter_context(sync_playwright())
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                # Warm-up (not timed): the CLI stores the file once, each app reads it once.
                cli(env, "check", str(data), "--target", "target", "--json")
                for url in urls.values():
                    open_check_page(browser, url, data).close()
                print(f"data: {args.rows:,} rows x 20 columns; load {os.getloadavg()[0]:.1f}", flush=True)
                for r in range(args.rounds):
                    loads.append(os.getloadavg()[0])
                    times["cli_check"].append(cli(env, "check", str(data), "--target", "target", "--json"))
                    pages = {}
                    for app in apps:
                        pages[app] = open_check_page(browser, urls[app], data)
                        shown, idle = app_check(pages[app])
                        times[f"{app}_check"].append(shown)
                        times[f"{app}_check_idle"].append(idle)
                    line = f"round {r + 1}: check CLI {times['cli_check'][-1]:.1f} s, " + ", ".join(
                        f"{app} {times[f'{app}_check'][-1]:.1f} s" for app in apps)
                    if not args.no_trial:
                        times["cli_compare"].append(cli(env, "compare", str(data), "--target", "target", "--a",
                                                        "simple", "--b", "boosting", "--json", "--quiet"))
                        for app in apps:
                            shown, idle = app_trial(pages[app])
                            times[f"{app}_trial"].append(shown)
                            times[f"{app}_trial_idle"].append(idle)
                        line += f"; trial CLI {times['cli_compare'][-1]:.1f} s, " + ", ".join(
                            f"{app} {times[f'{app}_trial'][-1]:.1f} s" for app in apps)
                    for page in pages.values():
                        page.close()
                    print(line + f"  (load {loads[-1]:.1f})", flush=True)
            except Exception:
                for i, open_page in enumerate(browser.contexts[0].pages if browser.contexts else []):
                    open_page.screenshot(path=str(Path(os.environ.get("BENCH_APP_SHOTS", ".")) / f"bench_app_{i}.png"),
                                         full_page=True)
                print((tmp_path / "server.log").read_text(errors="replace")[-5000:])
                raise
            finally:
                browser.close()

    print(f"\nmedians of {args.rounds} rounds, load average {min(loads):.1f}-{max(loads):.1f}; ratio to the CLI "
          "(target <= 1.15)")
    names = {"app": "app", "other": f"app of {args.against}"}
    base = statistics.median(times["cli_check"])
    print(_row("check, CLI (whole process)", times["cli_check"], base))
    for app in apps:
        print(_row(f"check, {names[app]} (summary on screen)", times[f"{app}_check"], base))
        print(_row(f"check, {names[app]} (page at rest)", times[f"{app}_check_idle"], base))
    if not args.no_trial:
        base = statistics.median(times["cli_compare"])
        print(_row("trial, CLI compare (whole process)", times["cli_compare"], base))
        for app in apps:
            print(_row(f"trial, {names[app]} (scores on screen)", times[f"{app}_trial"], base))
            print(_row(f"trial, {names[app]} (page at rest)", times[f"{app}_trial_idle"], base))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
