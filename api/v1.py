"""The JSON API, version 1: /api/v1/. The OpenAPI document is served at
/api/v1/openapi.json, generated from these functions and api/schemas.py."""

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.db.models import Count
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from api import cursor, schemas
from api.auth import read, write
from api.errors import ApiError
from api.serialize import letter_json, may_see_supporters, submission_json
from campaigns import targets, tasks
from campaigns.drafting import authoring
from campaigns.models import Campaign, Letter, ReleaseImport, Submission
from campaigns.permissions import managed_campaigns
from campaigns.stats import overview
from config import throttle

api = NinjaAPI(
    title="Constituent API",
    version="1",
    description="Campaigns, their statistics, submissions and letters, for an organization's "
    "own tools. Authenticate with `Authorization: Bearer <token>`; organizers issue tokens "
    "at /organize/api-tokens/.",
    urls_namespace="api-v1",
    # The interactive docs load scripts from a CDN, which our CSP refuses.
    docs_url=None,
)


@api.exception_handler(ApiError)
def api_error(request, error):
    response = api.create_response(request, {"detail": error.message}, status=error.status)
    if error.status == 429:
        response["Retry-After"] = "60"
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request, error):
    return api.create_response(
        request,
        {"detail": "Send a live token as 'Authorization: Bearer cst_…'; this one is missing, "
         "wrong or revoked, or its owner no longer organizes."},
        status=401,
    )  # fmt: skip


@api.exception_handler(NinjaValidationError)
def invalid(request, error):
    problems = [
        {"field": ".".join(str(part) for part in problem["loc"]), "message": problem["msg"]}
        for problem in error.errors
    ]
    return api.create_response(request, {"detail": problems}, status=422)


@api.exception_handler(HttpError)
def http_error(request, error):
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


def _campaign(token, slug):
    found = managed_campaigns(token.owner).filter(slug=slug).first()
    if found is None:
        raise ApiError(404, f"No campaign {slug!r} among this token's campaigns.")
    return found


def _with_stats(campaigns):
    """Each campaign as the API shows it, with its all-time numbers."""
    rows = overview(Campaign.objects.filter(pk__in=[c.pk for c in campaigns]))
    by_pk = {row.pk: (row, counts) for row, counts, _daily in rows}
    out = []
    for campaign in campaigns:
        row, counts = by_pk[campaign.pk]
        out.append(
            {
                **{name: getattr(campaign, name) for name in CAMPAIGN_FIELDS},
                "url": settings.SITE_URL + campaign.get_absolute_url(),
                "stats": {
                    "visits": row.visits,
                    "submissions": row.submission_total,
                    "letters": counts,
                },
            }
        )
    return out


CAMPAIGN_FIELDS = (
    "uuid", "slug", "status", "title", "organization", "summary", "targets",
    "created_at", "published_at", "closed_at",
)  # fmt: skip


def _time_window(queryset, since, until):
    if since and until and since >= until:
        raise ApiError(400, "since must be earlier than until.")
    if since:
        queryset = queryset.filter(created_at__gte=since)
    if until:
        queryset = queryset.filter(created_at__lt=until)
    return queryset


@api.get("/campaigns", auth=read, response=schemas.CampaignPage, tags=["campaigns"])
def list_campaigns(
    request,
    status: Campaign.Status | None = None,
    cursor_: str | None = Query(None, alias="cursor"),
    limit: int = cursor.DEFAULT_LIMIT,
):
    """The token owner's campaigns (every campaign for staff), newest first."""
    campaigns = managed_campaigns(request.auth.owner)
    if status:
        campaigns = campaigns.filter(status=status)
    rows, next_cursor = cursor.page(campaigns, cursor_, limit, newest_first=True)
    return {"items": _with_stats(rows), "next_cursor": next_cursor}


@api.get("/campaigns/{slug}", auth=read, response=schemas.Campaign, tags=["campaigns"])
def get_campaign(request, slug: str):
    return _with_stats([_campaign(request.auth, slug)])[0]


@api.post(
    "/campaigns",
    auth=write,
    response={201: schemas.Campaign, 202: schemas.ReleaseImport},
    tags=["campaigns"],
)
def create_campaign(request, release: schemas.Release):
    """A draft campaign from a press release. Pasted text drafts at once (201);
    a URL alone is fetched by a worker, never in this request (202: poll the
    import's status_url until it names the draft)."""
    url = str(release.url) if release.url else ""
    owner = request.auth.owner
    if release.text.strip():
        campaign = authoring.create_draft(text=release.text.strip(), url=url, owner=owner)
        return Status(201, _with_stats([campaign])[0])
    if not throttle.allow("release-fetch", owner.pk, settings.RELEASE_FETCHES_PER_HOUR, 3600):
        raise ApiError(429, "Too many pages fetched this hour; send the release's text instead.")
    release_import = authoring.start_import(url=url, owner=owner)
    tasks.import_release.delay_on_commit(release_import.pk)
    return Status(202, _import_json(release_import))


@api.get("/imports/{uuid}", auth=read, response=schemas.ReleaseImport, tags=["campaigns"])
def get_import(request, uuid: UUID):
    try:
        release_import = ReleaseImport.objects.select_related("campaign").get(
            uuid=uuid, organizer=request.auth.owner
        )
    except ReleaseImport.DoesNotExist:
        raise ApiError(404, "No such import among this token's.") from None
    return _import_json(release_import)


def _import_json(release_import):
    return {
        "uuid": release_import.uuid,
        "url": release_import.url,
        "status": release_import.status,
        "error": release_import.error,
        "campaign": release_import.campaign.slug if release_import.campaign else None,
        "status_url": f"/api/v1/imports/{release_import.uuid}",
    }


@api.post("/campaigns/{slug}/publish", auth=write, response=schemas.Campaign, tags=["campaigns"])
def publish_campaign(request, slug: str):
    """Open the campaign to supporters (a closed one reopens)."""
    campaign = _campaign(request.auth, slug)
    try:
        authoring.publish(campaign)
    except targets.UnverifiedTargets as refusal:
        raise ApiError(409, str(refusal)) from None
    return _with_stats([campaign])[0]


@api.post("/campaigns/{slug}/close", auth=write, response=schemas.Campaign, tags=["campaigns"])
def close_campaign(request, slug: str):
    campaign = _campaign(request.auth, slug)
    if campaign.status != Campaign.Status.LIVE:
        raise ApiError(409, f"Only a live campaign can be closed; this one is {campaign.status}.")
    authoring.close(campaign)
    return _with_stats([campaign])[0]


@api.get(
    "/campaigns/{slug}/submissions",
    auth=read,
    response=schemas.SubmissionPage,
    tags=["submissions and letters"],
)
def list_submissions(
    request, slug: str, since: datetime | None = None, until: datetime | None = None,
    cursor_: str | None = Query(None, alias="cursor"), limit: int = cursor.DEFAULT_LIMIT,
):  # fmt: skip
    """Form posts, oldest first; the supporter's details only for a token whose owner
    may see supporters' personal data (campaigns.view_supporter)."""
    campaign = _campaign(request.auth, slug)
    queryset = _time_window(
        Submission.objects.filter(campaign=campaign).select_related("supporter"), since, until
    )
    rows, next_cursor = cursor.page(queryset, cursor_, limit)
    counts = dict(
        Letter.objects.filter(submission__in=rows)
        .values_list("submission")
        .annotate(Count("pk"))
        .order_by()
    )
    personal = may_see_supporters(request.auth.owner)
    return {
        "items": [submission_json(row, counts.get(row.pk, 0), personal) for row in rows],
        "next_cursor": next_cursor,
    }


@api.get(
    "/campaigns/{slug}/letters",
    auth=read,
    response=schemas.LetterPage,
    tags=["submissions and letters"],
)
def list_letters(
    request, slug: str, status: Letter.Status | None = None, since: datetime | None = None,
    until: datetime | None = None, cursor_: str | None = Query(None, alias="cursor"),
    limit: int = cursor.DEFAULT_LIMIT,
):  # fmt: skip
    """Letters, oldest first, with their delivery status; what they say only for a
    token whose owner may see supporters' personal data."""
    campaign = _campaign(request.auth, slug)
    queryset = Letter.objects.filter(campaign=campaign).select_related(
        "submission", "legislator", "custom_target"
    )
    if status:
        queryset = queryset.filter(status=status)
    rows, next_cursor = cursor.page(_time_window(queryset, since, until), cursor_, limit)
    personal = may_see_supporters(request.auth.owner)
    return {"items": [letter_json(row, personal) for row in rows], "next_cursor": next_cursor}
