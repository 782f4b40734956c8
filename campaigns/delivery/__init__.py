"""Delivering letters to offices.

- registry: the channels by name, and the DELIVERY_CHANNELS a deployment tries;
- channels/: outbox, email and cwc, each with accepts(letter) and
  send(letter) -> registry.Accepted, raising errors.DeliveryError (or
  errors.NotNow when its endpoint may not be sent to yet);
- sending: claim one letter, send it, record its state and the attempt;
- batch: the same for a batch of letters, claimed and recorded together;
- http: one POST under a deadline, over a connection kept for the next;
- pauses: maintenance windows and the rate limit, per endpoint;
- ratelimit: one send rate per endpoint, shared by every worker;
- queue: enqueue_letters (in batches), retry_failed, cancel_queued.
"""
