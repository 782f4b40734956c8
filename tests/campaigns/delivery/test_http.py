"""delivery.http keeps its connection to a server for the next POST."""

import pytest

from campaigns.delivery import http
from campaigns.delivery.channels import cwc
from campaigns.delivery.errors import DeliveryError
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cwc_schema")]


def test_letters_to_one_server_share_one_connection(cwc_server):
    letters = factories.letters(3)
    for letter in letters:
        cwc.send(letter)
    assert cwc_server.received == [letter.uuid.hex for letter in letters]
    assert cwc_server.connections == 1


def test_a_connection_the_server_closed_while_idle_is_replaced_and_the_letter_sent_once(
    cwc_server,
):
    cwc_server.hang_up = True  # closes each connection after answering, unannounced
    first, second = factories.letters(2)
    cwc.send(first)
    cwc.send(second)  # on the closed connection first, then on a new one
    assert cwc_server.received == [first.uuid.hex, second.uuid.hex]
    assert (cwc_server.requests, cwc_server.connections) == (2, 2)


def test_a_connection_cut_at_the_deadline_is_not_used_again(cwc_server, settings):
    settings.DELIVERY_ATTEMPT_SECONDS = 1
    cwc_server.drip = 0.3
    letter = factories.letter()
    with pytest.raises(DeliveryError):
        cwc.send(letter)
    cwc_server.drip = 0
    assert cwc.send(letter).provider_id == letter.uuid.hex  # 409: the first got there
    assert cwc_server.connections == 2


def test_a_server_that_ends_each_connection_is_not_reused(cwc_server):
    # A redirect's answer says Connection: close; the next request opens another.
    cwc_server.redirect = (302, "/received")
    with pytest.raises(DeliveryError):
        cwc.send(factories.letter())
    cwc_server.redirect = None
    cwc.send(factories.letter())
    assert cwc_server.connections == 2


def test_other_schemes_are_refused():
    with pytest.raises(ValueError, match="Not an http"):
        http.post("ftp://example.org/", params={}, data=b"", headers={}, timeout=1, deadline=1)
