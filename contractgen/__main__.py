"""python -m contractgen"""

import sys

from contractgen.cli import main

sys.exit(main())
