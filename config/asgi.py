import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django_application = get_asgi_application()

from config.fastpath import wrap  # noqa: E402 - after Django is set up

# Thread pages answered from a kept copy while the story's thread version is unchanged.
application = wrap(django_application, enabled=getattr(settings, "PARLEY_PAGE_FAST_PATH", True))
