"""How often questionnaires may be sent (clinic.throttle counts them), on every path."""

from clinic.throttle import HOUR, Rate

QUESTIONNAIRES_PER_CLIENT = Rate("questionnaires", 20, HOUR, "Too many questionnaires sent.")
# The signed link's page has no login to count by: count by network, as sign-ups are.
QUESTIONNAIRES_PER_LINK_NETWORK = Rate("questionnaires-link", 30, HOUR, "Too many questionnaires sent.")
