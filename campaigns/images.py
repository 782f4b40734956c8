"""The campaign's image and the organization's logo, as uploaded by an organizer:
checked, turned upright, resized and re-encoded with Pillow before storage.

Re-encoding also drops the photo's metadata (a phone's GPS position among it)
and anything else hidden in the file.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Decoding a huge image takes memory and time whatever its file size.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Kind:
    size: tuple  # the largest width and height kept
    format: str
    extension: str


# 1200 by 630 is what link previews show; a logo is shown at most 64 px high.
IMAGE = Kind((1200, 630), "JPEG", "jpg")
LOGO = Kind((400, 200), "PNG", "png")


def prepare(upload, kind):
    """The upload as a stored-ready file, or a ValidationError that says what is wrong."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {upload.size / 1_048_576:.0f} MB; images can be at most "
            f"{MAX_UPLOAD_BYTES // 1_048_576} MB."
        )
    try:
        upload.seek(0)
        with Image.open(upload) as original:
            if original.width * original.height > MAX_PIXELS:
                raise ValidationError(
                    "This image has too many pixels: use one under 40 megapixels."
                )
            picture = ImageOps.exif_transpose(original)
            picture.thumbnail(kind.size, Image.Resampling.LANCZOS)
            output = io.BytesIO()
            if kind.format == "JPEG":
                picture.convert("RGB").save(
                    output, "JPEG", quality=82, optimize=True, progressive=True
                )
            else:
                has_alpha = picture.mode in ("RGBA", "LA", "P")
                picture.convert("RGBA" if has_alpha else "RGB").save(output, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            "We couldn't read this file as an image: use a JPEG, PNG or WebP."
        ) from None
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{kind.extension}")
