"""The documents pages: the client's "My documents", the downloads, and the staff pages."""

from django.http import HttpResponse


def attachment(body: bytes, *, content_type: str, file_name: str) -> HttpResponse:
    """A file to save, never to render in the page: the browser may not guess another type
    (nosniff), and the name says nothing about whose it is beyond the document's number."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
