from config import env as environment

from .base import *  # noqa: F403

DEBUG = True if environment.DEBUG is None else environment.DEBUG
SECRET_KEY = environment.SECRET_KEY or "dev-only-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = environment.ALLOWED_HOSTS or ["127.0.0.1", "localhost"]
# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The demo accounts sign in with a password only; the second factor stays available (production imposes it
# on administrators).
SECOND_FACTOR_REQUIRED_FOR_ADMINS = False
