import sys

from hoscase.cli import main

sys.exit(main())
