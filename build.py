#!/usr/bin/env python3
"""briefsite's command line: `python build.py [build|check] --help`."""

from briefsite.commands.cli import main

if __name__ == "__main__":
    main()
