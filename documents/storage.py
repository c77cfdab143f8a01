"""Private file storage for referral scans: outside the web root, reached only through a view.

The folder is settings.PRIVATE_MEDIA_ROOT, read on every use (tests point it at a temporary
folder). It has no URL: `url()` refuses, so no template can link to a file directly; the only
way out is documents.views.staff.referral_scan, which asks the privacy rules first. File names
are random (`scan_name`): nothing in a path says whose scan it is or guesses its neighbours.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

# Extensions by the type the content was found to be (scans.py), never the uploaded name's.
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


class PrivateStorage(FileSystemStorage):
    @property  # type: ignore[override]
    def base_location(self) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private files have no URL: serve them through a privacy-checked view.")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of FileFields that must never be served directly (a callable, so migrations
    name this function rather than a path)."""
    return _storage


def scan_name(instance: object, filename: str) -> str:
    """`referrals/<32 random hex digits>.<ext>`: `filename` (the client's own) is not used; the
    extension follows the type found in the content, set on the upload by the form."""
    content_type = getattr(instance, "scan_content_type", "")
    extension = EXTENSIONS.get(content_type, "bin")
    return f"referrals/{secrets.token_hex(16)}.{extension}"
