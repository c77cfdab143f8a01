from django.urls import path

from .views import client, desk, plans

app_name = "care"

urlpatterns = [
    # The client's own.
    path("plan/", client.my_plan, name="my_plan"),
    path("plan/<int:plan_id>/book/", client.my_plan_book, name="my_plan_book"),
    path("plan/series/<int:series_id>/cancel/", client.my_series_cancel, name="my_series_cancel"),
    # The staff's, beside the workspace under /staff/.
    path("staff/plans/", plans.plan_list, name="plan_list"),
    path("staff/plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("staff/plans/<int:plan_id>/end/", plans.plan_end_view, name="plan_end"),
    path("staff/plans/<int:plan_id>/book/", desk.plan_book, name="plan_book"),
    path("staff/series/<int:series_id>/cancel/", desk.series_cancel_view, name="series_cancel"),
    path("staff/clients/<int:client_id>/plan/new/", plans.plan_new, name="plan_new"),
    path("staff/clients/<int:client_id>/packages/sell/", desk.package_sell_view, name="package_sell"),
]
