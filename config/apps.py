from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """Holds what sits above the business apps: the `seed_demo` command, the deployment checks."""

    name = "config"
    label = "platform"
    verbose_name = "Plateforme"

    def ready(self):
        from config import checks  # noqa: F401 (registers the checks)
