"""Delivering letters to offices.

- registry: the channels by name, and the DELIVERY_CHANNELS a deployment tries;
- channels/: outbox, email and cwc, each with accepts(letter) and
  send(letter) -> provider id, raising errors.DeliveryError;
- sending: claim one letter, send it, record what happened;
- ratelimit: one send rate per endpoint, shared by every worker;
- queue: enqueue_letters, retry_failed, cancel_queued.
"""
