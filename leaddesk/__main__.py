"""`python -m leaddesk` behaves exactly like the `leaddesk` command."""

import sys

from leaddesk.cli import main

sys.exit(main())
