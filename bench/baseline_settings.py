"""The project's settings plus the baseline views (bench/baseline_urls.py).

gunicorn serves the real pages and the baselines from one set of processes,
so a figure and its floor share the interpreter, middleware, database
connection and cache:

    DJANGO_SETTINGS_MODULE=bench.baseline_settings gunicorn config.wsgi ...

BENCH_TEMPLATE_DIR names the folder where bench/web.py leaves the static
template (a snapshot of the campaign page, so both answers have the same size).
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"
TEMPLATES[0]["DIRS"] = [  # noqa: F405
    *TEMPLATES[0]["DIRS"],  # noqa: F405
    os.environ.get("BENCH_TEMPLATE_DIR", str(VAR_DIR / "bench-templates")),  # noqa: F405
]
