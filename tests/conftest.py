import pytest
from django.core.cache import cache

from .factories import ClinicFactory, ServiceFactory, TherapistFactory, UserFactory, submit_intake


@pytest.fixture(autouse=True)
def _no_rate_limit_counts_from_other_tests():
    """The limits of clinic/throttle.py count in the cache, which outlives each test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clinic(db):
    return ClinicFactory()


@pytest.fixture
def service(db):
    return ServiceFactory(name="Deep tissue", duration_minutes=60, buffer_after_minutes=15)


@pytest.fixture
def therapist(db, service):
    return TherapistFactory(services=[service], user__first_name="Maya", user__last_name="Patel")


@pytest.fixture
def client_user(db):
    """A client who can book: their sciatica intake is current and CLEAR."""
    user = UserFactory(email="client@example.com", first_name="Sam", last_name="Jones")
    submit_intake(user)
    return user


@pytest.fixture
def front_desk_user(db):
    from django.contrib.auth.models import Group

    from accounts.roles import FRONT_DESK_GROUP

    user = UserFactory(email="desk@example.com", first_name="Frankie", last_name="Desk", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=FRONT_DESK_GROUP)[0])
    return user
