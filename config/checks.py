"""System checks of the deployment (`manage.py check --deploy`), beside Django's own."""

from django.conf import settings
from django.core import checks

# Caches whose counters live in one process (or nowhere): login throttling and the annex rate limits would
# then count per gunicorn worker, each allowing its own quota, without a word.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Error(
            "Le cache n'est pas partagé entre les processus : la limitation des tentatives de connexion et les "
            "limites de débit de l'annexe compteraient par processus.",
            hint="Définissez REDIS_URL (par exemple redis://127.0.0.1:6379/0) : Redis sert alors de cache commun.",
            id="config.E001",
        )
    ]


# What the public legal pages need from the operator (config/legal.py): without them, they read "non renseigné".
LEGAL_SETTINGS = (
    "PLATFORM_OPERATOR_NAME",
    "PLATFORM_OPERATOR_ADDRESS",
    "PLATFORM_CONTACT_EMAIL",
    "PLATFORM_HOST_NAME",
)


@checks.register(deploy=True)
def platform_legal_details(app_configs, **kwargs) -> list[checks.CheckMessage]:
    missing = [name for name in LEGAL_SETTINGS if not getattr(settings, name)]
    if not missing:
        return []
    return [
        checks.Warning(
            "Les mentions légales, la notice « Données personnelles » et la déclaration d'accessibilité ne nomment "
            f"pas l'exploitant ou l'hébergeur de la plateforme ({', '.join(missing)}).",
            hint="Définissez ces variables d'environnement (README, Configuration).",
            id="config.W001",
        )
    ]
