"""Statistics jobs and their results: settings per buyer, computation jobs, snapshots ("figé" once published)."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from analytics.enums import ACTIVE_STATUSES, JobStatus
from analytics.indicators.base import IndicatorSet
from analytics.serialisation import from_snapshot
from procurement.models import Organisation
from procurement.models.fields import OrganisationQuerySet, acting_user


def scope_key_of(organisation_ids) -> str:
    """The organisations a figure covers, as "3" or "3,5,12" (sorted): one buyer, or several for a platform admin."""
    return ",".join(str(pk) for pk in sorted(set(organisation_ids)))


class AnalyticsSettings(models.Model):
    """Per-buyer statistics settings: statistical secrecy (analytics.secrecy)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="analytics_settings")
    secrecy_enabled = models.BooleanField(
        "appliquer le secret statistique",
        default=True,
        help_text="Une part calculée sur trop peu de structures s'affiche «\u00a0secret statistique\u00a0».",
    )
    secrecy_threshold = models.PositiveSmallIntegerField(
        "seuil du secret statistique",
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text="Nombre minimal de structures (ou de personnes) pour publier une part\u00a0: entre 2 et 50.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "réglages des statistiques"
        verbose_name_plural = "réglages des statistiques"

    def __str__(self) -> str:
        return f"Statistiques — {self.organisation}"

    @property
    def effective_threshold(self) -> int | None:
        """What analytics.secrecy takes: the threshold, or None when secrecy is off."""
        return self.secrecy_threshold if self.secrecy_enabled else None


class IndicatorJobQuerySet(OrganisationQuerySet):
    def queued(self):
        return self.filter(status=JobStatus.QUEUED)

    def running(self):
        return self.filter(status=JobStatus.RUNNING)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def failed(self):
        return self.filter(status=JobStatus.FAILED)

    def for_period(self, *, scope_key: str, start: datetime.date, end: datetime.date):
        return self.filter(scope_key=scope_key, start=start, end=end)

    def running_without_heartbeat_since(self, moment: datetime.datetime):
        return self.running().filter(Q(heartbeat_at__lt=moment) | Q(heartbeat_at__isnull=True, started_at__lt=moment))

    def queued_before(self, moment: datetime.datetime):
        return self.queued().filter(queued_at__lt=moment)


class IndicatorJob(models.Model):
    """One computation of every indicator for a period: what pages read to show progress, success or failure."""

    # The buyer whose dashboard asked for it (pages of another buyer answer 404).
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="indicator_jobs")
    # The organisations computed together: the buyer itself, or several for a platform admin.
    organisations = models.ManyToManyField(Organisation, related_name="+", verbose_name="organisations calculées")
    scope_key = models.CharField("périmètre", max_length=500)
    start = models.DateField("début de période")
    end = models.DateField("fin de période")
    requested_by = acting_user("demandé par", help_text="Vide pour le recalcul automatique de la nuit.")
    status = models.CharField("état", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0, validators=[MaxValueValidator(100)])
    error = models.TextField("raison de l'échec", blank=True)
    celery_task_id = models.CharField("identifiant de tâche", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    # Last time it was (re)queued: the sweeper measures the wait from here.
    queued_at = models.DateTimeField("mis en file le")
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    snapshot = models.ForeignKey(
        "IndicatorSnapshot", on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )

    objects = IndicatorJobQuerySet.as_manager()

    class Meta:
        verbose_name = "calcul des indicateurs"
        verbose_name_plural = "calculs des indicateurs"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "queued_at"], name="analytics_job_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="analytics_job_period_order"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="analytics_job_progress_max"),
        ]

    def __str__(self) -> str:
        return f"Calcul du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class IndicatorSnapshotQuerySet(OrganisationQuerySet):
    def for_period(self, *, scope_key: str, start: datetime.date, end: datetime.date):
        return self.filter(scope_key=scope_key, start=start, end=end)

    def frozen(self):
        return self.filter(frozen_at__isnull=False)

    def not_frozen(self):
        return self.filter(frozen_at__isnull=True)


class IndicatorSnapshot(models.Model):
    """The exact values of one computation (analytics.serialisation.to_snapshot), so pages load at once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="indicator_snapshots")
    scope_key = models.CharField("périmètre", max_length=500)
    start = models.DateField("début de période")
    end = models.DateField("fin de période")
    computed_at = models.DateTimeField("calculé le")
    # Fingerprint of the inputs when computed (analytics.selectors.data_version): differs once data changed.
    data_version = models.CharField("version des données", max_length=64)
    values = models.JSONField("valeurs exactes")
    frozen_at = models.DateTimeField("figé le", null=True, blank=True)
    frozen_by = acting_user("figé par")

    objects = IndicatorSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "résultat de calcul"
        verbose_name_plural = "résultats de calcul"
        ordering = ["-computed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "scope_key", "start", "end"], name="analytics_snapshot_idx")]
        constraints = [
            # A published ("figé") period has one frozen snapshot, never overwritten.
            models.UniqueConstraint(
                fields=["organisation", "scope_key", "start", "end"],
                condition=Q(frozen_at__isnull=False),
                name="analytics_one_frozen_snapshot_per_period",
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="analytics_snapshot_period_order"),
        ]

    def __str__(self) -> str:
        return f"Indicateurs du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def organisation_ids(self) -> list[int]:
        return [int(pk) for pk in self.scope_key.split(",") if pk]

    def indicator_set(self) -> IndicatorSet:
        return from_snapshot(self.values)


class OpenDataPublicationQuerySet(OrganisationQuerySet):
    def published(self):
        return self.filter(unpublished_at__isnull=True)


class OpenDataPublication(models.Model):
    """A calendar year's frozen figures published as open data (analytics.open_data), or withdrawn since.

    Rows are never deleted: a withdrawal sets `unpublished_at`/`unpublished_by`, and publishing the year again adds a
    new row. The secrecy threshold is the one in force when publishing, so the published file never changes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="open_data_publications")
    snapshot = models.ForeignKey(
        IndicatorSnapshot, on_delete=models.PROTECT, related_name="publications", verbose_name="chiffres figés"
    )
    year = models.PositiveSmallIntegerField("année")
    secrecy_threshold = models.PositiveSmallIntegerField("seuil du secret statistique appliqué")
    published_at = models.DateTimeField("publié le")
    published_by = acting_user("publié par")
    unpublished_at = models.DateTimeField("retiré le", null=True, blank=True)
    unpublished_by = acting_user("retiré par")

    objects = OpenDataPublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "publication en données ouvertes"
        verbose_name_plural = "publications en données ouvertes"
        ordering = ["-year", "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=Q(unpublished_at__isnull=True),
                name="analytics_one_open_data_publication_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"Données ouvertes {self.year} — {self.organisation}"

    @property
    def is_published(self) -> bool:
        return self.unpublished_at is None
