"""`python -m site_builder`: the same command as `site-builder`."""

import sys

from .cli import main

sys.exit(main())
