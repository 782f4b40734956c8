"""The shared cache, which pages survive losing.

Everything kept in the cache can be read again from the database or
computed again: counters, cached lookups, the page's figures. So when Redis
cannot be reached, this backend logs it once and answers as a cache that
holds nothing (a read is a miss, a write is dropped), and for the next few
seconds does not try again, so a dead Redis costs no connection attempt on
every request. Sessions live in the database too (`cached_db`), so nobody is
logged out and no thank-you page is lost.
"""

import logging
import time
from functools import wraps
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# After a failure, calls answer as misses this long before Redis is tried again.
RETRY_AFTER_SECONDS = 5.0
# Redis answers in well under a millisecond; a request should not wait
# seconds for one that is hung or unreachable.
SOCKET_TIMEOUT_SECONDS = 0.5
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _or_miss(miss):
    """Run the cache call, or answer `miss(*arguments)` while Redis is unreachable."""

    def decorate(method):
        @wraps(method)
        def call(self, *args, **kwargs):
            if self.down_until > time.monotonic():
                return miss(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as error:
                if self.down_until == 0.0:
                    logger.warning(
                        "The cache at %s is unreachable (%s): reading from the database "
                        "until it answers again.",
                        self.address,
                        error,
                    )
                self.down_until = time.monotonic() + RETRY_AFTER_SECONDS
                return miss(*args, **kwargs)
            if self.down_until:
                logger.warning("The cache at %s answers again.", self.address)
                self.down_until = 0.0
            return result

        return call

    return decorate


def _not_found(key, *args, **kwargs):
    # As for a missing key: callers such as config.throttle start a new count.
    raise ValueError(f"Key {key!r} not found (the cache is unreachable).")


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one redis.Redis per server.

    Django's makes a new one for every call, and redis.Redis sets up its
    table of reply parsers each time: about 130 microseconds, most of a
    cache read that Redis itself answers in a fraction of that. A client
    only borrows connections from its pool, so one serves every thread
    (and, as the pool notices a fork, every process).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
        # For the log: host and port only, never a password from the URL.
        where = urlsplit(self._servers[0])
        self.address = f"{where.hostname}:{where.port or 6379}"
        self.down_until = 0.0  # time.monotonic() until which Redis is not tried

    @_or_miss(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_or_miss(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_or_miss(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_or_miss(lambda *args, **kwargs: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_or_miss(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_or_miss(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_or_miss(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_or_miss(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_or_miss(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_or_miss(_not_found)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    # The first in a new window while Redis is unreachable, as add then incr
    # would answer: a limit is not enforced without its counters.
    @_or_miss(lambda *args, **kwargs: 1)
    def count(self, key, timeout):
        """Add one to the counter `key`, which lives `timeout` seconds from
        its first count; the new total. One round trip (config.throttle's
        add then incr took three: incr asks whether the key exists first)."""
        key = self.make_and_validate_key(key)
        with self._cache.get_client(key, write=True).pipeline(transaction=False) as pipe:
            total, _ = pipe.incr(key).expire(key, timeout, nx=True).execute()
        return total

    @_or_miss(lambda *args, **kwargs: None)
    def clear(self):
        return super().clear()

    # Counters that pile up between flushes (visits to campaign pages): one
    # Redis hash, moved aside whole when flushed, so no count is read twice.

    @_or_miss(lambda *args, **kwargs: None)
    def add_to_hash(self, name, field, amount=1):
        """Add `amount` to `field` of hash `name`; None while Redis is unreachable."""
        client = self._cache.get_client(write=True)
        return client.hincrby(self.make_and_validate_key(name), field, amount)

    @_or_miss(lambda *args, **kwargs: None)
    def claim_hash(self, name, claimed):
        """Move hash `name` to `claimed` and return its fields as integers.

        A hash left at `claimed` by an earlier claim whose reader failed is
        returned instead, before anything new is moved there. Delete
        `claimed` once what it held is stored. None while unreachable.
        """
        client = self._cache.get_client(write=True)
        source = self.make_and_validate_key(name)
        target = self.make_and_validate_key(claimed)
        if not client.exists(target) and client.exists(source):
            client.renamenx(source, target)
        return {field.decode(): int(value) for field, value in client.hgetall(target).items()}

    @_or_miss(lambda *args, **kwargs: None)
    def get_many_and_count(self, keys, counter=None):
        """get_many of these keys (None for a missing one) and, in the same
        round trip, one more in `counter` (a hash name and field) when given.
        None while Redis is unreachable."""
        client = self._cache.get_client(write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.mget([self.make_and_validate_key(key) for key in keys])
        if counter is not None:
            name, field = counter
            pipeline.hincrby(self.make_and_validate_key(name), field, 1)
        values = pipeline.execute()[0]
        load = self._cache._serializer.loads
        return {
            key: None if value is None else load(value)
            for key, value in zip(keys, values, strict=True)
        }
