from django.contrib import admin
from django.urls import include, path

from .api import api
from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("data_rights.urls")),  # beside the account page: export, delete
    path("intake/", include("intake.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("notifications/", include("notifications.urls")),
    path("documents/", include("documents.urls")),
    path("staff/", include("workspace.urls")),
    path("", include("care.urls")),  # the client's plan page, and the staff's plan pages under staff/
    path("", include("bookings.urls")),
]
