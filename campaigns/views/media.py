"""Organizers' uploads, read through the storage API.

For the filesystem storage, which has no web server of its own; a storage
with public URLs (a bucket) serves them itself and never reaches this view.
"""

import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

# Only what organizers upload; nothing else in the storage is public.
PUBLIC_FOLDERS = ("campaigns/images/", "campaigns/logos/")


def media(request, name):
    if not name.startswith(PUBLIC_FOLDERS):
        raise Http404("No such file.")
    try:
        upload = default_storage.open(name)
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404("No such file.") from None
    response = FileResponse(upload, content_type=mimetypes.guess_type(name)[0])
    # Every upload gets a new random name, so a name's content never changes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
