from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        # drf-spectacular finds the bearer token's security scheme by importing its extension.
        from api import schema  # noqa: F401
