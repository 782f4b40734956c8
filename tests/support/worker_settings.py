"""Settings for a worker process started by a test.

The project's own settings, plus the overrides the test passes as JSON in
WORKER_SETTINGS: the channels, the local CWC server, short back-offs. A
worker is a separate process, so override_settings cannot reach it.
"""

import json
import os

from config.settings import *  # noqa: F403

# No maintenance window (the CWC default is a weekend night's): a test that
# runs on a Saturday evening must not find its workers paused.
DELIVERY_MAINTENANCE = {}

globals().update(json.loads(os.environ.get("WORKER_SETTINGS", "{}")))

if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    # The filesystem broker looks for new messages once a second by default:
    # two letters a second with two pool processes. Tests do not wait.
    CELERY_BROKER_TRANSPORT_OPTIONS = CELERY_BROKER_TRANSPORT_OPTIONS | {"polling_interval": 0.01}  # noqa: F405
