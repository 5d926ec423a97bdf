"""`python -m knowledge [DIR]` checks every content file and lists the problems."""
import sys

from .loader import main

sys.exit(main())
