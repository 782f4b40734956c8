"""Delivering letters to offices: a registry of channels and the queue around them.

- channels: the registry (name -> module, imported on first use) and the
  DELIVERY_CHANNELS a deployment tries, in order;
- outbox, email, cwc: the channels, each with accepts(letter) and
  send(letter) -> provider id, raising DeliveryError;
- sending: claim one letter, send it, record what happened;
- queue: enqueue_letters, retry_failed, cancel_queued;
- notify: tell a supporter their letter failed, and where else to write.
"""

from importlib import import_module

from campaigns.delivery.channels import BACKENDS
from campaigns.delivery.errors import DeliveryError

__all__ = ["BACKENDS", "DeliveryError", "cancel_queued", "enqueue_letters", "retry_failed"]

_QUEUE = {"cancel_queued", "enqueue_letters", "retry_failed"}


def __getattr__(name):
    # The queue needs the models and the tasks, and both import this package
    # (the models for the channel choices), so it loads on first use.
    if name in _QUEUE:
        return getattr(import_module("campaigns.delivery.queue"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
