import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

application = get_wsgi_application()

# What is loaded by now lives as long as the worker. Frozen (CPython's gc.freeze), it is left out
# of every later garbage collection: a month's availability for a clinic chain creates a few
# hundred thousand short-lived objects, and each full collection they trigger would otherwise
# walk the whole of Django's heap again (bench/availability.py: a third of such a search).
gc.freeze()
