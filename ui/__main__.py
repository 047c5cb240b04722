"""`python -m ui` and the PyInstaller entry point: the `dikjamila` command."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
