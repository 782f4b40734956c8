"""What the API reads and writes, as pydantic schemas (the OpenAPI document
is generated from them)."""

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field, HttpUrl, model_validator


class Error(Schema):
    detail: str | list


class DeliveryCounts(Schema):
    total: int
    delivered: int
    pending: int
    retrying: int
    failed: int
    cancelled: int


class Stats(Schema):
    visits: int
    submissions: int
    letters: DeliveryCounts


class Campaign(Schema):
    uuid: UUID
    slug: str
    url: str
    status: str
    title: str
    organization: str
    summary: str
    targets: str
    created_at: datetime
    published_at: datetime | None
    closed_at: datetime | None
    stats: Stats


class CampaignPage(Schema):
    items: list[Campaign]
    next_cursor: str | None


class ReleaseImport(Schema):
    """A release being fetched from its URL by a worker; poll status_url."""

    uuid: UUID
    url: str
    status: str  # fetching, drafted or failed
    error: str
    campaign: str | None  # the draft's slug once drafted
    status_url: str


class Release(Schema):
    """A press release, pasted as text or fetched from its URL."""

    text: str = Field("", max_length=100_000)
    url: HttpUrl | None = None

    @model_validator(mode="after")
    def one_of_them(self):
        if not self.text.strip() and not self.url:
            raise ValueError("Give the release's text or its URL.")
        return self


class Supporter(Schema):
    """Personal data: only for tokens whose owner may see supporters."""

    email: str
    prefix: str
    first_name: str
    last_name: str
    city: str
    state: str
    zip_code: str


class Submission(Schema):
    uuid: UUID
    created_at: datetime
    edited: bool
    state: str
    district: str
    source: str
    utm: dict
    letters: int
    supporter: Supporter | None


class SubmissionPage(Schema):
    items: list[Submission]
    next_cursor: str | None


class Letter(Schema):
    uuid: UUID
    submission: UUID
    created_at: datetime
    recipient: str
    bioguide_id: str | None
    # queued, sending, retrying, delivered (accepted by the gateway: CWC or
    # the mail server), rejected (refused by it for good), failed (given up),
    # and so on; status_label says it in words.
    status: str
    status_label: str
    attempts: int
    delivered_at: datetime | None
    failed_at: datetime | None
    failure_reason: str
    # What the gateway answered when it accepted or rejected the letter.
    gateway_answer: str
    # The letter as sent: the supporter's words, so personal data too.
    subject: str | None
    body: str | None


class LetterPage(Schema):
    items: list[Letter]
    next_cursor: str | None
