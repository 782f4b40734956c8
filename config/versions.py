"""What each process keeps of the database, under a version in the shared cache.

Rows that change rarely and are read on every request (a campaign, the
members of Congress) are read once per process and kept under the version
the shared cache holds for them; whatever changes them sets a new version,
so every process reads them again on its next request.

A version is a random token, never a count: a cache emptied by a restart
must not hand out a version some process already kept rows under. While
the cache is unreachable there is no version, and rows are read afresh.

A request asks for every version at once, with its session where it has
one, and keeps the answers to its end: a send needs its session, the
campaigns' version and the roster's, one round trip to the cache instead
of three.
"""

import copy
import threading
import uuid
from collections import OrderedDict

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.dispatch import receiver

# The version of everything kept (each Kept adds its own).
_names = set()
# This request's versions as read at its first need; None outside a request
# (a worker's task, a command), where every question goes to the cache.
_this_request = threading.local()


@receiver(request_started)
def _request_started(**kwargs):
    _this_request.read = {}


@receiver(request_finished)
def _request_finished(**kwargs):
    _this_request.read = None


def change(name):
    version = uuid.uuid4().hex
    cache.set(name, version, timeout=None)
    if (read := getattr(_this_request, "read", None)) is not None:
        # The request that made the change reads what it made.
        read[name] = version


def current(name):
    """The version `name`; None while the cache is unreachable."""
    read = getattr(_this_request, "read", None)
    if read is None:
        return _settled(cache.get_many([name]), {name})[name]
    if name not in read:
        read.update(_settled(cache.get_many([*_names, name]), _names | {name}))
    return read[name]


def read_along(key):
    """cache.get(key), in the same round trip as the request's versions when
    it has read none yet: the session, which every supporter's step reads
    first, brings them."""
    read = getattr(_this_request, "read", None)
    if read is None or read:
        return cache.get(key)
    found = cache.get_many([key, *_names])
    read.update(_settled(found, _names))
    return found.get(key)


def _settled(found, names):
    """found's versions of `names`, a new one set for each the cache lacks."""
    versions = {name: found.get(name) for name in names}
    for name, version in versions.items():
        if version is None:
            # No version yet (a new cache): this one, unless another
            # process's came first; then none this time, and the rows are
            # read afresh.
            version = uuid.uuid4().hex
            versions[name] = version if cache.add(name, version, timeout=None) else None
    return versions


class Kept:
    """What this process read under version `name`, the `size` most recent."""

    def __init__(self, name, size):
        self.name = name
        self.size = size
        _names.add(name)
        self._kept = OrderedDict()

    def get(self, key, read):
        """read()'s answer for `key` as of the current version, read once.
        Model instances come back as copies: what a request caches on one
        stays its own."""
        version = current(self.name)
        if version is None:
            return read()
        key = (version, key)
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = read()
            if len(self._kept) > self.size:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(key)
        if isinstance(found, list):
            return [copy.copy(item) for item in found]
        return copy.copy(found)
