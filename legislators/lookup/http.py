"""The one seam through which lookup backends talk HTTP, and their cache."""

import logging

import requests
from django.conf import settings
from django.core.cache import cache

from legislators.lookup.errors import DistrictLookupError

logger = logging.getLogger(__name__)
CONNECT_TIMEOUT = 3.05


def get_json(url, params, *, service, no_match_statuses=()):
    """GET url and return its JSON object, or None for a no_match_statuses answer.

    Error messages name the exception class, never its text: the text can
    carry the full URL, and with it an API key.
    """
    timeout = (CONNECT_TIMEOUT, settings.DISTRICT_LOOKUP_TIMEOUT)
    try:
        response = requests.get(url, params=params, timeout=timeout)
    except requests.Timeout:
        raise DistrictLookupError(f"{service} timed out.") from None
    except requests.RequestException as error:
        raise DistrictLookupError(f"{service} unreachable ({error.__class__.__name__}).") from None
    if response.status_code in no_match_statuses:
        return None
    if response.status_code >= 500 or response.status_code == 429:
        raise DistrictLookupError(f"{service} answered HTTP {response.status_code}.")
    if response.status_code >= 400:
        raise DistrictLookupError(
            f"{service} refused the request (HTTP {response.status_code}).", permanent=True
        )
    try:
        data = response.json()
    except ValueError:
        raise DistrictLookupError(f"{service} answered something other than JSON.", True) from None
    if not isinstance(data, dict):
        raise DistrictLookupError(f"{service} answered JSON that is not an object.", True)
    return data


def cached(backend, query, compute):
    """compute() once per backend and normalized query; failures are not cached."""
    key = f"legislators:lookup:{backend}:{query.cache_key}"
    match = cache.get(key)
    if match is None:
        match = compute()
        cache.set(key, match, settings.DISTRICT_LOOKUP_CACHE_SECONDS)
    return match
