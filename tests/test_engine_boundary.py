"""The engine stays UI-free, and app/ holds no statistics, SQL or model code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_importing_the_engine_does_not_import_streamlit():
    code = (
        "import sys, fairtrial, fairtrial.store, fairtrial.cli, fairtrial.samples;"
        "import importlib, pkgutil;"
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(fairtrial.__path__, 'fairtrial.')];"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_engine_module_mentions_streamlit():
    offenders = [p for p in (REPO / "src" / "fairtrial").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+streamlit", p.read_text(), re.M)]
    assert offenders == []


def test_the_app_holds_no_sql_statistics_or_model_code():
    banned = re.compile(r"^\s*(import|from)\s+(duckdb|sklearn|scipy|statsmodels)\b|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b",
                        re.M)
    offenders = [p.relative_to(REPO).as_posix() for p in (REPO / "app").rglob("*.py") if banned.search(p.read_text())]
    assert offenders == []


def test_all_is_complete():
    import fairtrial

    public = {name for name in dir(fairtrial) if not name.startswith("_") and name[0].isupper()}
    assert public <= set(fairtrial.__all__)
