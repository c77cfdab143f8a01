"""Referrals, progress letters and receipts: the paperwork of a course of care.

- A referral (or prescription) from a doctor is recorded against the client, with an optional
  scan kept in private storage (storage.py) and checked by its content (scans.py).
- A progress letter for the client's doctor is written from a treatment plan (care), its
  sessions and the outcome scores (outcomes), rendered once as a PDF and kept as issued.
- A receipt is numbered without gaps, snapshots what insurers ask for when it is issued and is
  never changed: a correction is a new receipt that voids the old.

Who may see what is documents/access.py, on top of privacy.access. This app sits above care,
outcomes and notifications (it queues "document ready" emails) and below the workspace, whose
client page links here.
"""
