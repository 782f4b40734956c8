from django.core.management.base import BaseCommand

from operations import workers


class Command(BaseCommand):
    help = "Listen to the Celery workers' events and keep the worker figures /metrics shows."

    def handle(self, *args, **options):
        workers.watch()
