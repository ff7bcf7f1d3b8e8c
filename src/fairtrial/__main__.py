"""`python -m fairtrial ...` runs the command line, the same as the `fairtrial` command."""
from .cli import run

if __name__ == "__main__":
    run()
