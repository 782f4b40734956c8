from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from legislators.limits import lookup_refusal
from legislators.lookup import InvalidQuery, find_representation, make_query

INVALID = "Please check what you entered."


@require_GET
@never_cache  # the answer carries the supporter's address
def lookup(request):
    """Who represents ?street=&city=&state=&zip= (or ?address=, ?zip=, ?lat=&lon=).

    JSON by default; the HTML partial for ?format=html or an htmx request.
    Every lookup outcome is a 200 whose `status` says what happened; input
    we cannot look up is a 400 with a message per field.
    """
    html = request.GET.get("format") == "html" or request.headers.get("HX-Request") == "true"
    get = request.GET.get
    try:
        query = make_query(
            street=get("street", ""),
            city=get("city", ""),
            state=get("state", ""),
            zip_code=get("zip", ""),
            line=get("address", ""),
            lat=get("lat"),
            lon=get("lon"),
        )
    except InvalidQuery as error:
        if html:
            context = {"errors": error.errors, "message": INVALID}
            return render(request, "legislators/lookup_result.html", context, status=400)
        body = {"status": "error", "message": INVALID, "errors": error.errors}
        return JsonResponse(body, status=400)
    if refusal := lookup_refusal(request):
        if html:
            context = {"errors": {}, "message": refusal}
            return render(request, "legislators/lookup_result.html", context, status=429)
        return JsonResponse({"status": "error", "message": refusal}, status=429)
    result = find_representation(query)
    if html:
        return render(request, "legislators/lookup_result.html", {"result": result})
    return JsonResponse(result.to_dict())
