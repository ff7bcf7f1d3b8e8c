"""`python -m fairtrial` is the same command line as `fairtrial`."""
import subprocess
import sys


def test_python_dash_m_fairtrial_runs_the_command_line():
    out = subprocess.run([sys.executable, "-m", "fairtrial", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "compare" in out.stdout and "check" in out.stdout
