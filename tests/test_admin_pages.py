"""Every admin page opens on the demo clinic: each model's list, its search, its add form and one
of its rows (among other things, the admin's own queries as PostgreSQL prepares them)."""

from datetime import UTC, datetime
from io import StringIO

import time_machine
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User

WEDNESDAY_MORNING = datetime(2026, 12, 9, 7, 30, tzinfo=UTC)


def test_every_admin_page_opens_on_the_demo_clinic(db):
    with time_machine.travel(WEDNESDAY_MORNING, tick=True):
        call_command("seed_demo", stdout=StringIO())
    superuser = User.objects.filter(is_superuser=True).first()
    http = Client()
    http.force_login(superuser)
    request = RequestFactory().get("/")
    request.user = superuser
    opened, failed = 0, []
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages = [reverse(f"{name}_changelist")]
        if model_admin.search_fields:
            pages.append(reverse(f"{name}_changelist") + "?q=a")
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            pages.append(reverse(f"{name}_change", args=[row.pk]))
        for page in pages:
            status = http.get(page).status_code
            opened += 1
            if status != 200:
                failed.append((page, status))

    assert failed == []
    assert opened > 2 * len(admin.site._registry)  # lists with searches, forms and rows, not lists alone
