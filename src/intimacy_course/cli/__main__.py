"""``python -m intimacy_course.cli``: the same as the ``intimacy-course`` command."""

import sys

from intimacy_course.cli import main

sys.exit(main())
