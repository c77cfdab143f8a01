"""A system check: the private media folder must not be one the web server or WhiteNoise serves."""

from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def private_media_check(**kwargs: object) -> list[CheckMessage]:
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    # An entry of STATICFILES_DIRS may be (prefix, folder).
    served = [Path(each[1] if isinstance(each, tuple | list) else each) for each in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        served.append(Path(settings.STATIC_ROOT))
    if settings.MEDIA_ROOT:
        served.append(Path(settings.MEDIA_ROOT))
    errors: list[CheckMessage] = []
    for folder in served:
        folder = folder.resolve()
        if private == folder or folder in private.parents or private in folder.parents:
            errors.append(
                Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) overlaps {folder}, which may be served to anyone.",
                    hint="Point PRIVATE_MEDIA_ROOT at a folder outside the static and media folders.",
                    id="documents.E001",
                )
            )
    return errors
