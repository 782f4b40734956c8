"""Submissions and letters as the API and webhooks show them. Personal data
(the supporter's name, email and place; what a letter says) only for an
owner with campaigns.view_supporter, as for the supporters CSV."""

SUPPORTER_FIELDS = ("email", "prefix", "first_name", "last_name", "city", "state", "zip_code")


def may_see_supporters(user):
    return user.has_perm("campaigns.view_supporter")


def submission_json(row, letters, personal):
    supporter = row.supporter
    return {
        "uuid": row.uuid,
        "created_at": row.created_at,
        "edited": row.edited,
        "state": supporter.state,
        "district": row.district_ocd_id,
        "source": row.source,
        "utm": row.utm,
        "letters": letters,
        "supporter": {name: getattr(supporter, name) for name in SUPPORTER_FIELDS}
        if personal
        else None,
    }


def letter_json(row, personal):
    return {
        "uuid": row.uuid,
        "submission": row.submission.uuid,
        "created_at": row.created_at,
        "recipient": row.salutation,
        "bioguide_id": row.legislator.bioguide_id if row.legislator else None,
        "status": row.status,
        "status_label": str(row.get_status_display()),
        "attempts": row.attempts,
        "delivered_at": row.delivered_at,
        "failed_at": row.failed_at,
        "failure_reason": row.failure_reason,
        "gateway_answer": row.gateway_answer,
        "subject": row.subject if personal else None,
        "body": row.body if personal else None,
    }
