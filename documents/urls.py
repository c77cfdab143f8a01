from django.urls import path

from .views import client, downloads, staff

app_name = "documents"

urlpatterns = [
    path("", client.mine, name="mine"),
    path("letters/<int:letter_id>.pdf", downloads.letter_download, name="letter_download"),
    path("receipts/<int:receipt_id>.pdf", downloads.receipt_download, name="receipt_download"),
    path("referrals/<int:referral_id>/scan/", downloads.referral_scan, name="referral_scan"),
    # The staff's pages, from the workspace's client page.
    path("clients/<int:client_id>/", staff.client_documents, name="client"),
    path("clients/<int:client_id>/referrals/new/", staff.referral_new, name="referral_new"),
    path("plans/<int:plan_id>/letter/", staff.letter_new, name="letter_new"),
    path("appointments/<int:appointment_id>/payment/", staff.payment_new, name="payment_new"),
    path("receipts/<int:receipt_id>/correct/", staff.receipt_correct_page, name="receipt_correct"),
]
