# The campaign page's fixtures and the delivery tests' local servers, for the
# tests that go through them.
from tests.campaigns.conftest import campaign, offline_lookup, vermont, visitor  # noqa: F401
from tests.campaigns.delivery.conftest import cwc_server, mailbox  # noqa: F401
