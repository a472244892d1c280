"""Pages of the PPP programme, one module per group of pages; each declares its pages
(`@pages.route`), which `urls.py` takes.

- `projects`: the register and the project page, the managers' forms for a project's parts, progress;
- `reviews`: review campaigns and contract reviews;
- `tasks`: rectification tasks;
- `programme`: affordability, the dated parameters and the timetable.

Views parse input and call a selector or a service; who may do what is asked of `rules.py`, and a
refusal is shown by `core.middleware.RefusalMiddleware` (buttons) or `service_errors_into` (forms).
"""

from . import programme, projects, reviews, tasks  # noqa: F401  (importing a module declares its pages)
from .common import pages

__all__ = ["pages"]
