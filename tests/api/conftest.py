import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from api import tokens
from campaigns.permissions import ORGANIZERS_GROUP


def organizer(username, *permissions):
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


class ApiClient:
    """GET and POST JSON to /api/v1/ with a bearer token."""

    def __init__(self, raw):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post(
            f"/api/v1{path}", data or {}, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def owner(db):
    return organizer("olivia")


@pytest.fixture
def api_as():
    """api_as(user, scope="read") -> an ApiClient with a new token of theirs."""

    def make(user, scope="read"):
        _token, raw = tokens.issue(user, "Test CRM", scope)
        return ApiClient(raw)

    return make
