"""What a referral scan may be: a PDF, PNG or JPEG, by its content, within the size limit.

The file's name and the browser's Content-Type are the sender's say-so (a web page renamed
`referral.pdf` is still a web page), so the type is read from the first bytes of the file, and
an image must also open as the image it claims to be.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

# The first bytes of each accepted type (the PDF 1.7 standard, section 7.5.2; PNG, section 5.2;
# JPEG's start-of-image marker followed by the next marker's 0xFF).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}
WRONG_TYPE = "Upload a PDF, or a photo as PNG or JPEG."


def scan_type(upload: UploadedFile) -> str:
    """The scan's content type, read from its content; ValidationError if it is too big or is
    not one of the accepted types."""
    limit = settings.REFERRAL_SCAN_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            f"The file is too big: at most {_megabytes(limit)}. Scan it at a lower resolution.",
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = next((kind for signature, kind in SIGNATURES if head.startswith(signature)), None)
    if found is None:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    if found in PILLOW_FORMATS:
        _check_image(upload, PILLOW_FORMATS[found])
    return found


def _check_image(upload: UploadedFile, expected: str) -> None:
    try:
        with Image.open(upload) as image:
            # verify() reads the structure (chunks, checksums) without decoding the pixels.
            image.verify()
            opened_as = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError("The image could not be read. " + WRONG_TYPE, code="unreadable") from error
    finally:
        upload.seek(0)
    if opened_as != expected:
        raise ValidationError(WRONG_TYPE, code="wrong_type")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"
