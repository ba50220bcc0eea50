"""The platform's local time (settings.TIME_ZONE, Europe/Paris): a time typed without an offset, the date of a
submission and the year of a receipt number are read in it."""

import zoneinfo

from django.conf import settings

PARIS = zoneinfo.ZoneInfo(settings.TIME_ZONE)
