"""What each process keeps of the database, under a version in the shared cache.

Rows that change rarely and are read on every request (a campaign, the
members of Congress) are read once per process and kept under the version
the shared cache holds for them; whatever changes them sets a new version,
so every process reads them again on its next request.

A version is a random token, never a count: a cache emptied by a restart
must not hand out a version some process already kept rows under. While
the cache is unreachable there is no version, and rows are read afresh.
"""

import copy
import uuid
from collections import OrderedDict

from django.core.cache import cache


def change(name):
    cache.set(name, uuid.uuid4().hex, timeout=None)


def current(name):
    """The version `name`; None while the cache is unreachable."""
    found = cache.get(name)
    if found is None and cache.add(name, uuid.uuid4().hex, timeout=None):
        found = cache.get(name)
    return found


class Kept:
    """What this process read under version `name`, the `size` most recent."""

    def __init__(self, name, size):
        self.name = name
        self.size = size
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
