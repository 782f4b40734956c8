from celery import shared_task

from webhooks import sending


# acks_late: a worker lost mid-send leaves the message to be delivered
# again; the claim lets one worker through. Retries are counted on the
# delivery, not by Celery.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_webhook(delivery_id):
    retry_in = sending.attempt(delivery_id)
    if retry_in is not None:
        deliver_webhook.apply_async((delivery_id,), countdown=retry_in)


@shared_task
def requeue_stuck_webhooks():
    """Beat runs this every few minutes; see sending.stuck."""
    for delivery_id in sending.stuck():
        deliver_webhook.delay_on_commit(delivery_id)
