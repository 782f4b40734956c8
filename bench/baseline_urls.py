"""The site's URLs plus two floors for the benchmarks, each doing the least a
Django view can do for its job:

- POST /bench/insert/ inserts one row (a page-visit Event) and answers 200;
  the floor for a letter submission.
- GET /bench/static/ renders a template with no context and no queries; the
  floor for a campaign page view.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from campaigns.models import Event
from config.urls import urlpatterns as site_urlpatterns

STATIC_TEMPLATE = "bench_static.html"


@csrf_exempt
@require_POST
def insert_one_row(request):
    Event.objects.create(campaign_id=int(request.POST["campaign"]), kind=Event.Kind.LOOKUP)
    return HttpResponse("ok")


@require_GET
def static_page(request):
    return render(request, STATIC_TEMPLATE)


urlpatterns = [
    path("bench/insert/", insert_one_row),
    path("bench/static/", static_page),
    *site_urlpatterns,
]
