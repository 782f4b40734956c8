"""Who may do what. Organizers manage their own campaigns; staff manage all."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign

ORGANIZERS_GROUP = "organizers"


def is_organizer(user):
    return user.is_authenticated and (
        user.is_staff or user.groups.filter(name=ORGANIZERS_GROUP).exists()
    )


def can_manage(user, campaign):
    return user.is_staff or (campaign.owner_id is not None and campaign.owner_id == user.id)


def managed_campaigns(user):
    campaigns = Campaign.objects.all()
    return campaigns if user.is_staff else campaigns.filter(owner=user)


def organizer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_organizer(request.user):
            raise PermissionDenied("Only organizers can do this.")
        return view(request, *args, **kwargs)

    return wrapper


def get_managed_campaign(user, slug):
    """The campaign, or 404 when it does not exist or is not the user's:
    another organizer cannot even learn that a draft exists."""
    campaign = get_object_or_404(Campaign, slug=slug)
    if not can_manage(user, campaign):
        raise Http404("No campaign here.")
    return campaign
