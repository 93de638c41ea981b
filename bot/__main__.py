"""``python -m bot``: the ``briefbot`` command line."""

from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":  # not when a worker process imports this module (bot.workers)
    sys.exit(main())
