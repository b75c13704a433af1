"""``python -m gorillacompat``: the same command line as the ``gorillacompat`` console script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
