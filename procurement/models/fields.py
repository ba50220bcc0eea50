"""Model fields that several applications declare the same way."""

from django.conf import settings
from django.db import models


def acting_user(verbose_name: str | None = None, **options) -> models.ForeignKey:
    """The person who did something (imported, validated, sent…). The record outlives their account (the reference
    becomes empty), and the user model gets no reverse accessor. `options` override these defaults."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        **{
            "on_delete": models.SET_NULL,
            "null": True,
            "blank": True,
            "related_name": "+",
            "verbose_name": verbose_name,
            **options,
        },
    )
