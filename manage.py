#!/usr/bin/env python
"""Django's manage.py, for habit; `duban` is the same command."""

from duban.cli import main

if __name__ == "__main__":
    main()
