"""Sessions as rows read through the shared cache (Django's cached_db),
read with the request's versions (config.versions) and saved, once
changed, in one statement.

Django saves every session inside a transaction, which creating one needs
(a clash of keys must raise CreateError). Updating one is a single UPDATE,
atomic by itself: the transaction around it only added a BEGIN and a COMMIT,
two round trips on every request that changes a session, a supporter's
send among them.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db, db
from django.contrib.sessions.backends.base import UpdateError
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.db import router

from config import versions


class OneStatementUpdate(db.SessionStore):
    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create)
        row = self.create_model_instance(self._get_session())
        updated = (
            self.model.objects.using(router.db_for_write(self.model, instance=row))
            .filter(session_key=row.session_key)
            .update(session_data=row.session_data, expire_date=row.expire_date)
        )
        if not updated:
            # Gone meanwhile (flushed, expired and cleared): as Django's save says it.
            raise UpdateError


class SessionStore(cached_db.SessionStore, OneStatementUpdate):
    """cached_db's reads and cache writes around OneStatementUpdate's save."""

    def load(self):
        if settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS:
            return super().load()
        # The request's versions come in the same round trip (config.versions).
        data = versions.read_along(self.cache_key)
        if data is None:
            # Not in the cache: cached_db reads the row and puts it there.
            return super().load()
        return data
