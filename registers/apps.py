from django.apps import AppConfig


class RegistersConfig(AppConfig):
    """Public registers: the published Egapro indexes and the company register (docs/architecture.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "registers"
    verbose_name = "Registres publics"

    def ready(self):
        # The nightly task is named in Celery beat's schedule (config/celery.py): registered whatever imports first.
        from registers import tasks  # noqa: F401
