from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
