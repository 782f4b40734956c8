from django.db import models


class Lease(models.Model):
    """Who may do a job that only one process at a time may do, and until when.

    Times are the database's clock, so machines whose clocks disagree still
    agree on who holds a lease.
    """

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=200)
    renewed_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # Bumped by every change: "change it only if nobody else has since I looked".
    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} held by {self.holder} until {self.expires_at}"
