"""`python -m clearfacts`: the same commands as the console script, for an interpreter whose
scripts folder is not on PATH (a `pip install --user`, a virtual environment not activated)."""

from clearfacts.console import run

if __name__ == "__main__":
    run()
