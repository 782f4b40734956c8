"""One scheduler, however many beat processes run.

Every beat process may start, on any machine; only the one holding the
"beat" lease in the database sends periodic tasks. The others wait, trying
for the lease, and one of them takes over within BEAT_LEASE_SECONDS when the
holder dies or loses the database.
"""

import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import DatabaseError, close_old_connections

from operations import leases

logger = logging.getLogger(__name__)

LEASE = "celery-beat"


class LeasedScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.leading = False
        super().__init__(*args, **kwargs)
        # Renew at least three times a lease, so one slow tick does not lose it.
        self.max_interval = min(self.max_interval, settings.BEAT_LEASE_SECONDS / 3)

    def tick(self, *args, **kwargs):
        held = self.hold_lease()
        if held is None:
            if self.leading:
                logger.warning("beat: lost the scheduler lease; standing by")
            self.leading = False
            return self.max_interval
        if not self.leading:
            logger.warning("beat: holding the scheduler lease as %s", self.holder)
            self.leading = True
            if held.taken_from is not None:
                self.resume_from(held.taken_from)
        return super().tick(*args, **kwargs)

    def hold_lease(self):
        close_old_connections()  # beat lives for months; the database may have restarted
        try:
            return leases.hold(LEASE, self.holder, settings.BEAT_LEASE_SECONDS)
        except DatabaseError as error:
            logger.error("beat: cannot reach the database for the lease: %s", error)
            return None

    def resume_from(self, moment):
        """Taking over from a holder last seen at `moment`: it ran what fell due
        before that (it renews before each run), so run only what fell due after."""
        for entry in self.schedule.values():
            entry.last_run_at = moment
        self._heap = None  # the next tick orders the entries again

    def close(self):
        if self.leading:
            try:
                leases.release(LEASE, self.holder)
            except DatabaseError as error:
                logger.error("beat: could not release the scheduler lease: %s", error)
        super().close()
