"""The frozen bundle's entry point: the same `main` as the `leaddesk` command."""

import sys

from leaddesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
