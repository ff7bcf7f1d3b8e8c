"""`python -m fairtrial` is the same command line as `fairtrial`."""
import subprocess
import sys


def test_python_dash_m_fairtrial_runs_the_command_line():
    out = subprocess.run([sys.executable, "-m", "fairtrial", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "compare" in out.stdout and "check" in out.stdout


def test_the_command_line_reads_its_arguments_before_the_heavy_imports():
    """``compare`` starts its worker processes before it imports scikit-learn and pandas
    (about a second), so parsing the command line must not import them."""
    probe = ("import sys, fairtrial.cli as cli; cli.build_parser().parse_args(['compare', 'x.csv', '--target', 't', "
             "'--a', 'simple', '--b', 'forest:thorough']); "
             "print(sorted(m for m in ('pandas', 'sklearn', 'numpy', 'duckdb', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_package_names_load_when_first_used():
    probe = ("import sys, fairtrial; assert 'pandas' not in sys.modules; "
             "from fairtrial import Dataset, detect_task, FairTrialError; print(Dataset.__module__, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["fairtrial.dataset", "True"]
