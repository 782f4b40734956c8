"""Bearer tokens for the API: who is asking, whether they may write, and how often."""

from django.conf import settings
from ninja.security import HttpBearer

from api import tokens
from api.errors import ApiError
from config import throttle


class TokenAuth(HttpBearer):
    def __init__(self, write=False):
        super().__init__()
        self.write = write

    def authenticate(self, request, token):
        found = tokens.authenticate(token)
        if found is None:
            return None
        if not throttle.allow("api", found.pk, settings.API_REQUESTS_PER_MINUTE, 60):
            raise ApiError(
                429,
                f"More than {settings.API_REQUESTS_PER_MINUTE} requests a minute: wait a minute.",
            )
        if self.write and not found.can_write:
            raise ApiError(403, "This token may only read: issue one with the write scope.")
        return found


read = TokenAuth()
write = TokenAuth(write=True)
