from django.urls import path

from . import views

urlpatterns = [
    path("export/", views.account_export, name="account_export"),
    path("delete/", views.account_delete_page, name="account_delete"),
]
