import secrets

from django.db import models
from django.db.models import Q

from procurement.cpv import closest_label, validate_cpv
from procurement.enums import MarketType, Procedure
from procurement.models.fields import OrganisationQuerySet, acting_user
from procurement.models.organisations import Organisation
from procurement.search import matching


def new_candidate_token() -> str:
    # 192 bits: the link is public, so it must not be guessable.
    return secrets.token_urlsafe(24)


class MarketQuerySet(OrganisationQuerySet):
    def with_clause(self):
        return self.filter(insertion_hours_planned__isnull=False)

    def without_clause(self):
        return self.filter(insertion_hours_planned__isnull=True)

    def taking_answers(self, now):
        """Markets whose annex link takes answers at `now`: the rule of procurement.selectors.market_is_open, in
        SQL (no deadline, before it, or reopened after it)."""
        return self.filter(
            Q(bid_deadline__isnull=True)
            | Q(bid_deadline__gt=now)
            | Q(annex_reopened_at__isnull=False, annex_reopened_at__gte=models.F("bid_deadline"))
        )

    def published_in_year(self, year: int):
        return self.filter(published_on__year=year)

    def notified_between(self, start, end):
        """Markets notified from start to end, both included (the titulaires' period)."""
        return self.filter(notified_on__gte=start, notified_on__lte=end)

    def search(self, text: str):
        # Accents and case ignored, each word in the reference or the title (procurement/search.py).
        return matching(self, fields=["reference", "title"], text=text)


class Market(models.Model):
    """A marché public of one buyer."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="markets")
    reference = models.CharField("référence", max_length=60)
    title = models.CharField("objet", max_length=300)
    # Blank only for a market created from DECP without a usable CPV code (the staff form requires it).
    market_type = models.CharField("type de marché", max_length=16, choices=MarketType.choices, blank=True)
    published_on = models.DateField("date de publication")
    execution_start = models.DateField("début d'exécution", null=True, blank=True)
    execution_end = models.DateField("fin d'exécution", null=True, blank=True)
    has_base_vie = models.BooleanField("base vie", default=False)
    insertion_hours_planned = models.DecimalField(
        "heures d'insertion prévues",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Laisser vide si le marché n'a pas de clause d'insertion.",
    )
    # How buyers describe a market; all optional (markets created before have none).
    bid_deadline = models.DateTimeField(
        "date limite de remise des offres",
        null=True,
        blank=True,
        help_text="Après cette date, le lien de l'annexe égalité ne prend plus de réponse.",
    )
    procedure = models.CharField("procédure", max_length=24, choices=Procedure.choices, blank=True)
    estimated_amount = models.DecimalField(
        "montant estimé (euros HT)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    cpv_code = models.CharField(
        "code CPV principal",
        max_length=10,
        blank=True,
        validators=[validate_cpv],
        help_text="8 chiffres, un tiret et le chiffre de contrôle, par exemple 45000000-7.",
    )
    # The award (filled by staff or from the DECP, see MarketAward.filled_fields): it places the market in a year
    # of the titulaires' statistics.
    notified_on = models.DateField("date de notification", null=True, blank=True)
    awarded_amount = models.DecimalField(
        "montant notifié (euros HT)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    duration_months = models.PositiveIntegerField("durée (mois)", null=True, blank=True)
    execution_place = models.CharField("lieu d'exécution", max_length=300, blank=True)
    # A list of procurement.awards.enums.SocialConsideration values; None = unknown.
    social_considerations = models.JSONField("considérations sociales", null=True, blank=True)
    # Staff may reopen the annex link after the deadline: it then stays open until a later deadline is set
    # (procurement.selectors.market_is_open).
    annex_reopened_at = models.DateTimeField("lien de l'annexe rouvert le", null=True, blank=True, editable=False)
    annex_reopened_by = acting_user("lien de l'annexe rouvert par", editable=False)
    candidate_token = models.CharField(max_length=64, unique=True, default=new_candidate_token, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = MarketQuerySet.as_manager()

    class Meta:
        verbose_name = "marché"
        verbose_name_plural = "marchés"
        ordering = ["-published_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="market_reference_unique_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(execution_end__isnull=True)
                | Q(execution_start__isnull=True)
                | Q(execution_end__gte=models.F("execution_start")),
                name="market_execution_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(insertion_hours_planned__isnull=True) | Q(insertion_hours_planned__gte=0),
                name="market_insertion_hours_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(estimated_amount__isnull=True) | Q(estimated_amount__gte=0),
                name="market_estimated_amount_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(awarded_amount__isnull=True) | Q(awarded_amount__gte=0),
                name="market_awarded_amount_non_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "published_on"]),
            models.Index(fields=["organisation", "notified_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def has_clause(self) -> bool:
        return self.insertion_hours_planned is not None

    @property
    def cpv_reference(self) -> tuple[str, str] | None:
        """The known CPV code closest to this market's and its French label (procurement.cpv)."""
        return closest_label(self.cpv_code) if self.cpv_code else None

    @property
    def is_works_with_base_vie(self) -> bool:
        return self.market_type == MarketType.TRAVAUX and self.has_base_vie


class Lot(models.Model):
    """A part of a market awarded separately."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    # The lot's own deadline, shown to staff; the market's deadline governs the annex link.
    bid_deadline = models.DateTimeField("date limite de remise des offres du lot", null=True, blank=True)

    class Meta:
        verbose_name = "lot"
        verbose_name_plural = "lots"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["market", "number"], name="lot_number_unique_per_market")]

    def __str__(self) -> str:
        return f"Lot {self.number} — {self.title}"
