import json
from tests.factories import AppointmentFactory

def show(r):
    print(r.status_code, r.headers.get("Content-Type"), r.content.decode()[:600])

def test_scratch(anonymous_api, client_api, service, therapist):
    show(anonymous_api.post("/appointments", {"service": service.pk}))
    show(client_api.post("/appointments", {"service": service.pk}))
    show(client_api.browser.post("/api/v1/appointments", "", content_type="application/json", headers={"X-CSRFToken": client_api.browser.cookies["csrftoken"].value}))
    show(client_api.browser.post("/api/v1/appointments", "xx", content_type="application/json", headers={"X-CSRFToken": client_api.browser.cookies["csrftoken"].value}))
    show(client_api.post("/appointments", {"service": service.pk, "therapist": 999, "start": "2026-12-07T10:00:00"}))
    show(client_api.post("/appointments", {"service": service.pk, "therapist": 999, "start": "2026-12-07T10:00:00Z"}))
    show(client_api.post("/appointments", {"service": service.pk, "therapist": therapist.pk, "start": "2026-12-07T10:00:00Z"}))
    show(client_api.post("/appointments", {"service": service.pk, "therapist": therapist.pk, "start": "2026-12-07T10:00:00Z"}))
    show(client_api.get("/appointments"))
    show(client_api.get("/availability", {"service": service.pk, "start": "2026-12-07", "end": "2026-12-07"}))
    show(client_api.get("/availability", {"service": service.pk, "start": "2026-12-07", "end": "2027-12-07"}))
    show(client_api.get("/availability", {"service": 99, "start": "2026-12-07", "end": "2026-12-06"}))
    show(client_api.get("/availability", {}))
    show(client_api.get("/services"))
    show(client_api.get("/therapists"))
    show(client_api.get("/nope"))
    show(client_api.browser.get("/api/v1/"))
    show(client_api.browser.delete("/api/v1/services"))
    show(client_api.post("/services"))
    show(anonymous_api.post("/auth/login", {"email": "x"}, csrf=False))
    show(anonymous_api.post("/auth/login", {"email": "x"}))
    show(anonymous_api.get("/appointments/1"))
    show(client_api.get("/appointments/abc"))
    show(client_api.get("/appointments/1234"))
