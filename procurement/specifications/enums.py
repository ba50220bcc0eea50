from django.db import models


class SpecificationTextKind(models.TextChoices):
    ENCART = "encart", "Encart égalité"
    BASE_VIE = "base_vie", "Article base vie (installations sanitaires)"


class StampingSource(models.TextChoices):
    WEB = "web", "Page du marché"
    COMMAND = "command", "Service technique de la plateforme"
    API = "api", "API"
