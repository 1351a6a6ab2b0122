"""`python -m briefsite …`: the same command line as `briefsite …` and `python build.py …`."""

from .commands.cli import main

main(prog_name="briefsite")
