"""The embedded broker hands workers whole messages only."""

import json
import os

from kombu import Connection

from config import broker
from config.celery import app


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
