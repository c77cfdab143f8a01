from django.http import HttpRequest

from .selectors import clinic_get


def clinic(request: HttpRequest) -> dict[str, object]:
    return {"clinic": clinic_get()}
