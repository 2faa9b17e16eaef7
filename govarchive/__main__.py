import sys

from govarchive.cli import main

sys.exit(main())
