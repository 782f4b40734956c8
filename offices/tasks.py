import logging

from celery import shared_task

from legislators.importers import SourceError
from offices.directory import configured_sources, describe, import_lists

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3)
def import_offices(self):
    """Weekly (beat, after the roster): the chambers' CWC office lists."""
    sources = configured_sources()
    if not sources:
        logger.info(
            "offices.import_offices: skipped, CWC_HOUSE_OFFICES_SOURCE and "
            "CWC_SENATE_OFFICES_SOURCE are not set"
        )
        return []
    try:
        reports = import_lists(sources)
    except SourceError as error:
        if error.permanent:
            raise
        raise self.retry(exc=error, countdown=3600 * 2**self.request.retries) from error
    for report in reports:
        logger.info("offices.import_offices: %s", " ".join(describe(report)))
    return [report.chamber for report in reports]
