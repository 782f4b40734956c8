"""The embedded broker hands workers whole messages only."""

import json
import os

import pytest
from kombu import Connection

from config import broker
from config.celery import app
from tests.support.processes import Redis


def test_a_message_enters_the_queue_folder_whole_by_rename(tmp_path, monkeypatch):
    folder = tmp_path / "broker"
    folder.mkdir()
    renames = []
    replace = os.replace

    def watched_replace(draft, destination):
        # At the moment the message becomes visible, it is already complete,
        # and the queue folder holds no message file that is still being written.
        with open(draft) as file:
            renames.append(json.loads(file.read()))
        assert not [name for name in os.listdir(folder) if name.endswith(".msg")]
        replace(draft, destination)

    monkeypatch.setattr(broker.os, "replace", watched_replace)
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    with Connection(transport=broker.Transport, transport_options=options) as connection:
        queue = connection.SimpleQueue("letters")
        queue.put({"letter": 7})
        message = queue.get(timeout=1)
        message.ack()
        queue.close()

    assert message.payload == {"letter": 7}
    assert len(renames) == 1


def test_the_filesystem_scheme_means_this_transport():
    with app.connection_for_write("filesystem://") as connection:
        assert isinstance(connection.transport, broker.Transport)
    with app.connection_for_write("redis://127.0.0.1:1/0") as connection:
        assert not isinstance(connection.transport, broker.Transport)


@pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed")
def test_redis_messages_go_out_through_one_kept_client_and_arrive():
    server = Redis().start()
    try:
        with Connection(server.url) as connection:
            channel = connection.default_channel
            assert isinstance(channel, broker.RedisChannel)
            queue = connection.SimpleQueue("kept-client")
            queue.put({"letter": 1})
            client = channel._kept_client
            queue.put({"letter": 2})
            assert channel._kept_client is client
            received = [queue.get(timeout=5) for _ in range(2)]
            assert [message.payload for message in received] == [{"letter": 1}, {"letter": 2}]
            for message in received:
                message.ack()
            queue.close()
    finally:
        server.stop()
