# The legislators' local HTTP server and network guard, and the supporter's
# flow fixtures (Vermont's members, a live campaign, the offline lookup).
from tests.campaigns.conftest import campaign, offline_lookup, vermont, visitor  # noqa: F401
from tests.legislators.conftest import no_network, serve  # noqa: F401
