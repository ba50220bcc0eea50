from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """Holds what sits above the business apps: the `seed_demo` command."""

    name = "config"
    label = "platform"
    verbose_name = "Plateforme"
