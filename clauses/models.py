"""Insertion clauses: the clause of a market, the participants, their missions and monthly hours.

Personal data (RGPD): a participant is known by a pseudonymous `reference` chosen by the facilitator, stable
across imports. Name and contact are optional and shown to facilitators only. The RQTH criterion is health
data: it is stored only as an encrypted token (`clauses.crypto`). `purge_clause_participants` anonymises the
participants whose last mission ended more than the organisation's retention period ago.
"""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from clauses.crypto import decrypt_flag
from clauses.enums import ContractType, EligibilityCriterion, EmployerKind, JobDominance, Sex
from procurement.models import Lot, Market, Organisation
from procurement.models.fields import OrganisationQuerySet, acting_user
from procurement.search import fold
from procurement.validators import validate_siret

DEFAULT_RETENTION_MONTHS = 24
DEFAULT_DOMINANCE_THRESHOLD = Decimal(60)


class ClauseSettings(models.Model):
    """The clause settings of one buyer."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="clause_settings")
    retention_months = models.PositiveSmallIntegerField(
        "durée de conservation (mois)",
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Les données d'un·e participant·e sont anonymisées ce nombre de mois après la fin de sa "
        "dernière mission.",
    )
    dominance_threshold = models.DecimalField(
        "seuil de prédominance (%)",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_DOMINANCE_THRESHOLD,
        validators=[MinValueValidator(Decimal("50.01")), MaxValueValidator(Decimal(100))],
        help_text="Un métier est à prédominance féminine quand la part de femmes atteint ce seuil, à "
        "prédominance masculine quand la part d'hommes l'atteint.",
    )

    class Meta:
        verbose_name = "paramètres des clauses d'insertion"
        verbose_name_plural = "paramètres des clauses d'insertion"
        constraints = [
            models.CheckConstraint(
                condition=Q(dominance_threshold__gt=50) & Q(dominance_threshold__lte=100),
                name="clause_settings_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Paramètres des clauses — {self.organisation}"

    def dominance_of(self, women_share: Decimal | None) -> str:
        if women_share is None:
            return JobDominance.UNKNOWN
        if women_share >= self.dominance_threshold:
            return JobDominance.FEMALE
        if 100 - women_share >= self.dominance_threshold:
            return JobDominance.MALE
        return JobDominance.MIXED


def normalise_label(label: str) -> str:
    """Case, accents and spacing do not make two jobs different (procurement/search.py's `fold`)."""
    return " ".join(fold(label).split())


class JobReference(models.Model):
    """A job of the organisation's list, with the share of women who hold it (e.g. from INSEE or DARES)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="clause_jobs")
    label = models.CharField("métier", max_length=200)
    normalised_label = models.CharField(max_length=200, editable=False)
    women_share = models.DecimalField(
        "part de femmes (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = "métier de référence"
        verbose_name_plural = "métiers de référence"
        # The French order: « Électricien·ne » among the E, not after « Peintre » (accents sort as their letter).
        ordering = ["normalised_label", "label"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "normalised_label"], name="job_reference_unique_label"),
            models.CheckConstraint(
                condition=Q(women_share__gte=0) & Q(women_share__lte=100), name="job_reference_share_range"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.normalised_label = normalise_label(self.label)
        super().save(*args, **kwargs)


class InsertionClauseQuerySet(models.QuerySet):
    def for_organisations(self, organisation_ids):
        return self.filter(market__organisation__in=organisation_ids)

    def overlapping(self, start: datetime.date, end: datetime.date):
        """Clauses whose execution period shares at least one day with [start, end]."""
        return self.filter(start__lte=end, end__gte=start)


class InsertionClause(models.Model):
    """The insertion clause of a market or of one of its lots: hours to be done during a period."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="insertion_clauses")
    lot = models.ForeignKey(
        Lot, on_delete=models.CASCADE, null=True, blank=True, related_name="insertion_clauses", verbose_name="lot"
    )
    hours_planned = models.DecimalField(
        "heures d'insertion prévues", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    start = models.DateField("début d'exécution de la clause")
    end = models.DateField("fin d'exécution de la clause")
    holder_name = models.CharField("entreprise titulaire", max_length=200, blank=True)
    holder_siret = models.CharField(
        "SIRET de l'entreprise titulaire", max_length=14, blank=True, validators=[validate_siret]
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = InsertionClauseQuerySet.as_manager()

    class Meta:
        verbose_name = "clause d'insertion"
        verbose_name_plural = "clauses d'insertion"
        ordering = ["market__reference", "lot__number"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="clause_end_after_start"),
            models.CheckConstraint(condition=Q(hours_planned__gte=0), name="clause_hours_non_negative"),
            models.UniqueConstraint(
                fields=["market"], condition=Q(lot__isnull=True), name="clause_one_per_market_without_lot"
            ),
            models.UniqueConstraint(
                fields=["market", "lot"], condition=Q(lot__isnull=False), name="clause_one_per_lot"
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.market.reference} lot {self.lot.number}" if self.lot_id else self.market.reference
        return f"Clause d'insertion — {where}"


class ParticipantQuerySet(OrganisationQuerySet):
    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)


class Participant(models.Model):
    """A person who works under an insertion clause, known by a pseudonymous reference."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clause_participants")
    reference = models.CharField(
        "référence", max_length=60, help_text="Identifiant pseudonyme, le même d'un relevé d'heures à l'autre."
    )
    sex = models.CharField("sexe", max_length=3, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(
        "année de naissance", null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    postcode = models.CharField("code postal", max_length=5, blank=True)
    qpv_resident = models.BooleanField("réside dans un quartier prioritaire (QPV)", default=False)
    criteria = models.JSONField("critères d'éligibilité", default=list, blank=True)
    rqth_token = models.TextField("RQTH (chiffrée)", blank=True, editable=False)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100, blank=True)
    contact = models.CharField("contact (téléphone ou adresse électronique)", max_length=200, blank=True)
    created_at = models.DateTimeField("créé·e le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié·e le", auto_now=True)
    anonymised_at = models.DateTimeField("anonymisé·e le", null=True, blank=True, editable=False)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = "participant·e"
        verbose_name_plural = "participant·es"
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="participant_reference_unique"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def has_rqth(self) -> bool | None:
        return decrypt_flag(self.rqth_token)

    @property
    def criteria_labels(self) -> list[str]:
        labels = dict(EligibilityCriterion.choices)
        return [labels[value] for value in self.criteria if value in labels]


class Employer(models.Model):
    """The structure that employs participants: a company, an SIAE, a GEIQ, an ETTI, an agency."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="clause_employers")
    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret])
    name = models.CharField("raison sociale", max_length=200, blank=True)
    kind = models.CharField("type d'employeur", max_length=16, choices=EmployerKind.choices, blank=True)

    class Meta:
        verbose_name = "employeur"
        verbose_name_plural = "employeurs"
        ordering = ["name", "siret"]
        constraints = [models.UniqueConstraint(fields=["organisation", "siret"], name="employer_siret_unique")]

    def __str__(self) -> str:
        return self.name or f"SIRET {self.siret}"


class Mission(models.Model):
    """A participant's work contract on a market with one employer (one per participant, market, employer)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="missions")
    market = models.ForeignKey(Market, on_delete=models.PROTECT, related_name="clause_missions")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="missions")
    contract_type = models.CharField("type de contrat", max_length=16, choices=ContractType.choices)
    job_label = models.CharField("métier", max_length=200)
    job_dominance = models.CharField(
        "prédominance du métier", max_length=8, choices=JobDominance.choices, default=JobDominance.UNKNOWN
    )
    start = models.DateField("début", null=True, blank=True)
    end = models.DateField("fin", null=True, blank=True, help_text="Laisser vide si la mission est en cours.")
    # Last change (a re-import may change the job or its dominance), so that the dashboard can say its figures are
    # stale; empty for the missions stored before the field existed.
    updated_at = models.DateTimeField("modifiée le", auto_now=True, null=True)

    class Meta:
        verbose_name = "mission"
        verbose_name_plural = "missions"
        ordering = ["-start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "market", "employer"], name="mission_unique_key"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="mission_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_label} — {self.market.reference}"


class HoursRecord(models.Model):
    """Hours worked on a mission in one month (the month is stored as its first day)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="hours")
    month = models.DateField("mois")
    hours = models.DecimalField("heures", max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = "heures du mois"
        verbose_name_plural = "heures par mois"
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "month"], name="hours_one_record_per_mission_month"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="hours_positive"),
            models.CheckConstraint(condition=Q(month__day=1), name="hours_month_first_day"),
        ]
        indexes = [models.Index(fields=["month"], name="clauses_hours_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} : {self.hours} h"


class ParticipantAccess(models.Model):
    """Who opened which participant's page, and when (kept as long as the participant)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="accesses")
    user = acting_user("consulté par", blank=False)
    opened_at = models.DateTimeField("consulté le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "consultation d'un·e participant·e"
        verbose_name_plural = "consultations des participant·es"
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} — {self.participant} — {self.opened_at:%d/%m/%Y %H:%M}"
