"""The links in the "did the office reply?" email (campaigns/followups.py).

No login: the signed link is the credential. A GET only shows the answer
with a button, because mail scanners follow links and must not answer for
the supporter (nor use up the link); the POST records it, once.
"""

from django.core import signing
from django.shortcuts import render

from campaigns import emails, followups
from campaigns.models import FollowUp

TEMPLATE = "campaigns/follow_up_answer.html"


def answer(request, token):
    try:
        follow_up, chosen = followups.read_token(token)
    except signing.SignatureExpired:
        return render(request, TEMPLATE, {"problem": "expired"}, status=410)
    except signing.BadSignature:
        return render(request, TEMPLATE, {"problem": "invalid"}, status=400)
    recorded = request.method == "POST" and followups.record(follow_up, chosen)
    return render(
        request,
        TEMPLATE,
        {
            "follow_up": follow_up,
            "chosen_label": FollowUp.Answer(chosen).label,
            "office": emails.office_name(follow_up.letter),
            "recorded": recorded,
        },
    )
