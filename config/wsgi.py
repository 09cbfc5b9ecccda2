import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
# What start-up loaded (Django, the apps, their modules: about 200 000 objects) lives as long as the process: kept
# out of the garbage collector's full passes, which otherwise walk it all and stall a request for 100–150 ms now and
# then (seen in `make bench` as a p95 of 140 ms on a 15 ms page). Python's documentation recommends it for servers.
gc.freeze()
