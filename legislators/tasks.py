import logging

from celery import shared_task

from legislators.importers import SourceError
from legislators.sync import refresh_from_urls

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3)
def refresh_data(self):
    """Weekly (beat): the roster and the ZIP table from their official URLs.

    Campaigns resolve targets at send time from in-office rows, so a new
    Congress reaches them through this task with no other change.
    """
    try:
        done = refresh_from_urls()
    except SourceError as error:
        if error.permanent:
            raise
        # The CDN is down for a while; an hour later it usually is not.
        raise self.retry(exc=error, countdown=3600 * 2**self.request.retries) from error
    logger.info("legislators.refresh_data: %s", done or "no URL source configured")
    return done
