"""kombu's transports, each with one mend; registered under their own URL
schemes, so every process that loads the Celery app uses them.

The embedded broker, kombu's filesystem transport, with messages that
appear whole: kombu writes a message file in place, in the folder that
workers read, and a worker that lists the folder between the file's
creation and its write takes an empty file and dies on it ("Unrecoverable
error: JSONDecodeError"), which a loaded machine makes likely. Here each
message is written in a staging folder beside the queue and renamed into
it, which is atomic on one filesystem, so a worker only ever sees complete
messages.

Redis, with one client kept for publishing (RedisChannel).
"""

import os
import tempfile
import uuid
from contextlib import contextmanager
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem, redis
from kombu.utils.json import dumps

STAGING = ".staging"  # no ".msg" suffix, so workers never take it for a message


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # The name kombu's reader expects: sortable by time, then the queue.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        staging = os.path.join(self.data_folder_out, STAGING)
        try:
            os.makedirs(staging, exist_ok=True)
            descriptor, draft = tempfile.mkstemp(dir=staging)
            with os.fdopen(descriptor, "w") as file:
                file.write(dumps(payload))
            os.replace(draft, os.path.join(self.data_folder_out, name))
        except OSError as error:
            raise ChannelError(f"Cannot add {name!r} to the broker folder") from error


class Transport(filesystem.Transport):
    Channel = Channel


class RedisChannel(redis.Channel):
    """Redis: kombu builds a new redis.Redis for every message it publishes,
    and redis-py sets up its table of reply parsers each time, a fifth of a
    publish's own time (and a send's request publishes one). A client only
    borrows connections from the channel's pool: one per pool serves all."""

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        pool = self.pool
        if getattr(self, "_kept_for", None) is not pool:
            self._kept_client, self._kept_for = self._create_client(), pool
        yield self._kept_client


class RedisTransport(redis.Transport):
    Channel = RedisChannel


# kombu keeps its transports by URL scheme in this table; "filesystem://"
# (the embedded default, and whatever URL a test or a worker is handed)
# and "redis://" then mean these transports.
TRANSPORT_ALIASES["filesystem"] = f"{__name__}:Transport"
TRANSPORT_ALIASES["redis"] = f"{__name__}:RedisTransport"
