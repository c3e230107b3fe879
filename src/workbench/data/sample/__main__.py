import sys

from workbench.data.sample import main

sys.exit(main())
