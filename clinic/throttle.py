"""How often one account, address, client or network may do something, and the 429 past that.

Every limit is a `Rate` below, counted in Django's cache: Redis when REDIS_URL is set (shared by
every web worker and kept across restarts), process memory otherwise (the one-process quick start).
Windows are fixed: the count starts again at each multiple of the period, so a refusal says
exactly how long to wait. Keys are HMACs, so the cache holds no email or IP address in clear.

A refusal is the exception `Throttled`: pages answer it with the "please wait" page
(`TooManyRequestsMiddleware`), the API with JSON (clinic.api), both 429 with Retry-After.

Why our own ~100 lines rather than a library: django-axes (the well-kept choice for logins)
applies one AXES_FAILURE_LIMIT to every lockout parameter, so the per-network limit could be no
looser than the per-account one, and a handful of typos at the clinic's own front desk or on its
waiting-room Wi-Fi would lock everyone there out; it also keeps each failed attempt's email, IP,
user agent and form in the database, and covers logins only, so reset emails, sign-ups, bookings
and intakes would need a second mechanism. django-ratelimit counts requests, not failed logins,
and has had no release since 2023. One small counter serves every limit here.
"""

import functools
import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PageView = Callable[..., HttpResponse]

# A cache that is down must not take logins and bookings down with it (a Redis restart loses
# nothing else in this project): the limits lapse for the moment and the log says so.
CACHE_ERRORS = (RedisError, OSError)


@dataclass(frozen=True)
class Rate:
    """At most `limit` of something per `seconds`, for one key (an account, address, client, network)."""

    name: str
    limit: int
    seconds: int
    refusal: str  # what was done too often, shown before "Please try again in ..."


MINUTE = 60
HOUR = 60 * MINUTE

# Logins count attempts since the account's last successful one (accounts.services). Per network
# much looser than per account: staff and clients share the clinic's own connection.
LOGINS_PER_ACCOUNT = Rate(
    "login-account", 5, 15 * MINUTE, "Too many failed attempts to log in to this account."
)
LOGINS_PER_NETWORK = Rate(
    "login-network", 30, 15 * MINUTE, "Too many failed log-in attempts from your network."
)
# Emails a visitor can make us send to an address: past these, nothing more is sent, and the
# page still says the same, so no address is revealed.
RESET_EMAILS_PER_ADDRESS = Rate("reset-email", 3, HOUR, "Too many password reset emails.")
ADDRESS_IN_USE_EMAILS_PER_ADDRESS = Rate("address-in-use", 3, HOUR, "Too many emails to this address.")
SIGNUPS_PER_NETWORK = Rate("signup", 10, HOUR, "Too many sign-ups from your network.")
EMAIL_CHANGES_PER_ACCOUNT = Rate("email-change", 5, HOUR, "Too many email address changes.")
BOOKING_ATTEMPTS_PER_CLIENT = Rate("booking", 30, HOUR, "Too many booking attempts.")
INTAKES_PER_CLIENT = Rate("intake", 20, HOUR, "Too many health questionnaires sent.")


class Throttled(Exception):
    """`rate` is used up for this key; `retry_after` seconds until its window ends."""

    def __init__(self, rate: Rate, retry_after: int) -> None:
        self.rate = rate
        self.retry_after = retry_after
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.rate.refusal} Please try again in {wait_text(self.retry_after)}."


def wait_text(seconds: int) -> str:
    if seconds < MINUTE:
        return "a minute"
    minutes = math.ceil(seconds / MINUTE)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _window(rate: Rate, key: str) -> tuple[str, int]:
    """The cache key of `key`'s current window, and the seconds until that window ends."""
    now = time.time()
    start = int(now // rate.seconds) * rate.seconds
    digest = salted_hmac("clinic.throttle", f"{rate.name}:{key}").hexdigest()[:32]
    return f"throttle:{rate.name}:{digest}:{start}", max(1, math.ceil(start + rate.seconds - now))


def rate_hit(rate: Rate, key: object) -> None:
    """Count one for `key` under `rate`; raise Throttled if that goes past the limit.

    The count is an atomic increment, so requests racing each other cannot all slip under it.
    """
    cache_key, seconds_left = _window(rate, str(key))
    try:
        # The counter outlives its window by a little, so one read at the edge still finds it.
        count = _count_one_more(cache_key, timeout=seconds_left + MINUTE)
    except CACHE_ERRORS:
        logger.exception("Rate limits are not applied: the cache is unavailable")
        return
    if count > rate.limit:
        raise Throttled(rate, seconds_left)


def _count_one_more(cache_key: str, *, timeout: int) -> int:
    """The count after this hit.

    On Redis, one round trip: INCR starts a missing counter at 1 and EXPIRE NX gives it its
    timeout once, inside one MULTI, so no counter is ever left without one. (The cache's incr()
    asks whether the key exists first: two round trips, and add() a third on a window's first hit.)
    In process memory, incrementing first, since every hit but the window's first finds the counter.
    """
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        key = backend.make_and_validate_key(cache_key)
        with _redis_of(backend._cache).pipeline(transaction=True) as both:
            both.incr(key)
            both.expire(key, timeout, nx=True)
            count, _ = both.execute()
        return int(count)
    try:
        return cache.incr(cache_key)
    except ValueError:  # no counter yet
        pass
    if cache.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(cache_key)  # another request created it meanwhile
    except ValueError:  # and it expired at once: this is the next window's first
        return 1


@functools.lru_cache(maxsize=4)
def _redis_of(cache_client: RedisCacheClient) -> Redis:
    """A Redis client on the cache's own connection pool, kept for the process: Django's cache
    builds a new one for each call, which cost more CPU than the round trip it then sent."""
    return cache_client.get_client(write=True)


def rate_uncount(rate: Rate, key: object) -> None:
    """Take back one hit for `key` (a login that turned out to be right)."""
    cache_key, _ = _window(rate, str(key))
    try:
        if cache.get(cache_key, 0) > 0:
            cache.decr(cache_key)
    except ValueError:
        pass  # the window ended meanwhile: nothing left to take back
    except CACHE_ERRORS:
        logger.exception("Rate limits are not applied: the cache is unavailable")


def rate_reset(rate: Rate, key: object) -> None:
    """Start `key`'s count under `rate` again from nothing."""
    cache_key, _ = _window(rate, str(key))
    try:
        cache.delete(cache_key)
    except CACHE_ERRORS:
        logger.exception("Rate limits are not applied: the cache is unavailable")


def client_ip(request: HttpRequest) -> str:
    """The network a request comes from, for limits per network.

    REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies stand in front of the app: then the address
    the outermost of them saw, that many entries from the right of X-Forwarded-For (entries
    further left are whatever the client chose to send). An IPv6 client is its /64, the block one
    household or server usually holds.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [hop for hop in forwarded if hop]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def signed_in_user(request: HttpRequest) -> object:
    return request.user.pk


def throttle_posts(
    rate: Rate, *, per: Callable[[HttpRequest], object] = signed_in_user
) -> Callable[[PageView], PageView]:
    """A page view decorator: count each POST against `rate`, per `per(request)` (the signed-in user).

    Goes below @login_required, so that `per` sees a signed-in user.
    """

    def decorator(view: PageView) -> PageView:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                rate_hit(rate, per(request))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many_requests_page(request: HttpRequest, refusal: Throttled) -> HttpResponse:
    response = render(
        request, "throttled.html", {"refusal": refusal, "again_url": request.get_full_path()}, status=429
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response


class TooManyRequestsMiddleware:
    """Throttled is to a page what Http404 is: any view (the admin's login too) answers the 429 page.

    The API answers its own, in JSON (clinic.api).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Throttled):
            return too_many_requests_page(request, exception)
        return None
