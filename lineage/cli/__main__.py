"""`python -m lineage.cli`: the `lineage` command, as tests and benchmarks start it with their own interpreter."""

import sys

from lineage.cli import main

sys.exit(main())
