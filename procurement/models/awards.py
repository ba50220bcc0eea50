"""The DECP side of markets: where each market's award data came from, the companies that hold it, each import
of a DECP file, and the history of what the DECP changed (procurement/awards, docs/formats.md)."""

from django.db import models
from django.db.models import Q

from procurement.awards.enums import TITULAIRE_ROLES, FieldSource, HolderRole, MarketHistoryKind
from procurement.models.fields import OrganisationQuerySet, acting_user
from procurement.models.markets import Market
from procurement.models.organisations import Organisation


class DecpImport(models.Model):
    """One import of a DECP file into one organisation: its counts and its located report
    (« marché <id> : <champ> : raison », one line per deviation or record set aside). A refused file stores
    nothing, not even this record."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="decp_imports")
    file_name = models.CharField("fichier", max_length=255)
    imported_by = acting_user("importé par")
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    # "2.0" (JSON or XML 2.0.x) or "1.x" (JSON up to 2023).
    schema_version = models.CharField("version du format", max_length=8)
    file_format = models.CharField("format", max_length=8)  # "json" or "xml"
    records_read = models.PositiveIntegerField("contrats lus", default=0)
    records_other_buyers = models.PositiveIntegerField("contrats d'autres acheteurs", default=0)
    records_set_aside = models.PositiveIntegerField("contrats écartés", default=0)
    duplicates_merged = models.PositiveIntegerField("doublons fusionnés", default=0)
    markets_created = models.PositiveIntegerField("marchés créés", default=0)
    markets_updated = models.PositiveIntegerField("marchés mis à jour", default=0)
    markets_unchanged = models.PositiveIntegerField("marchés inchangés", default=0)
    deviations = models.PositiveIntegerField("écarts signalés", default=0)
    # The located report, at most procurement.awards.services.REPORT_LIMIT lines; report_left_off counts the rest.
    report = models.JSONField("rapport", default=list, blank=True)
    report_left_off = models.PositiveIntegerField("lignes du rapport non conservées", default=0)

    class Meta:
        verbose_name = "import de données essentielles"
        verbose_name_plural = "imports de données essentielles"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%d/%m/%Y})"


class MarketAward(models.Model):
    """The DECP record of one market as last imported (values after its modifications), and which of the
    market's fields it filled. The same contract published twice (same buyer, id, notification date, initial
    titulaires and amount: `merge_key`) is one record; two contracts under one id are two records, two markets."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="market_awards")
    market = models.OneToOneField(Market, on_delete=models.CASCADE, related_name="award")
    merge_key = models.CharField(max_length=64, editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    decp_id = models.CharField("identifiant DECP", max_length=100, blank=True)
    schema_version = models.CharField("version du format", max_length=8)
    buyer_siret = models.CharField("SIRET de l'acheteur", max_length=20, blank=True)
    buyer_name = models.CharField("nom de l'acheteur", max_length=300, blank=True)
    nature = models.CharField("nature", max_length=60, blank=True)
    title = models.TextField("objet", blank=True)
    cpv_code = models.CharField("code CPV", max_length=20, blank=True)
    procedure_label = models.CharField("procédure (libellé DECP)", max_length=120, blank=True)
    notified_on = models.DateField("date de notification", null=True, blank=True)
    data_published_on = models.DateField("date de publication des données", null=True, blank=True)
    initial_amount = models.DecimalField("montant initial (euros HT)", max_digits=16, decimal_places=2, null=True)
    amount = models.DecimalField("montant (euros HT)", max_digits=16, decimal_places=2, null=True, blank=True)
    initial_duration_months = models.PositiveIntegerField("durée initiale (mois)", null=True, blank=True)
    duration_months = models.PositiveIntegerField("durée (mois)", null=True, blank=True)
    execution_place_code = models.CharField("code du lieu d'exécution", max_length=20, blank=True)
    execution_place_type = models.CharField("type de code du lieu d'exécution", max_length=40, blank=True)
    execution_place_name = models.CharField("lieu d'exécution", max_length=300, blank=True)
    # A list of procurement.awards.enums.SocialConsideration values; None = unknown (format 1.x).
    social_considerations = models.JSONField("considérations sociales", null=True, blank=True)
    groupement_type = models.CharField("type de groupement", max_length=30, blank=True)
    # The modifications as applied, in order: [{"notified_on", "amount", "duration_months", "titulaires"}].
    modifications = models.JSONField("modifications", default=list, blank=True)
    # Names of the market's fields whose value the DECP filled (the others were entered by staff).
    filled_fields = models.JSONField("champs remplis par les DECP", default=list, blank=True)
    first_import = models.ForeignKey(
        DecpImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="premier import"
    )
    last_import = models.ForeignKey(
        DecpImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="dernier import"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "données essentielles d'un marché"
        verbose_name_plural = "données essentielles des marchés"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "merge_key"], name="market_award_merge_key_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "decp_id"])]

    def __str__(self) -> str:
        return f"DECP {self.decp_id or '(sans identifiant)'}"

    def source_of(self, field_name: str) -> str:
        """FieldSource of one of the market's fields."""
        return FieldSource.DECP if field_name in self.filled_fields else FieldSource.STAFF


class MarketHolderQuerySet(OrganisationQuerySet):
    organisation_lookup = "market__organisation"

    def titulaires(self):
        return self.filter(role__in=TITULAIRE_ROLES)

    def subcontractors(self):
        return self.filter(role=HolderRole.SUBCONTRACTOR)

    def current(self):
        return self.filter(is_current=True)


class MarketHolder(models.Model):
    """A company holding a market: titulaire, member of a groupement, or declared subcontractor. `is_initial`:
    named when the market was notified; `is_current`: named after the latest modification (a company replaced
    by a modification stays, not current). Companies without a SIRET (foreign VAT number…) have no SIREN."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="holders")
    role = models.CharField("rôle", max_length=20, choices=HolderRole.choices)
    identifier_type = models.CharField("type d'identifiant", max_length=10, default="SIRET")
    identifier = models.CharField("identifiant", max_length=40)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True, db_index=True)
    name = models.CharField("dénomination", max_length=300, blank=True)
    is_initial = models.BooleanField("titulaire à la notification", default=True)
    is_current = models.BooleanField("titulaire actuel", default=True)
    # Declared subcontractors: the amount and date of their acte de sous-traitance.
    subcontract_amount = models.DecimalField(
        "montant sous-traité (euros HT)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    subcontract_notified_on = models.DateField("date de notification de la sous-traitance", null=True, blank=True)
    source = models.CharField("origine", max_length=8, choices=FieldSource.choices, default=FieldSource.DECP)

    objects = MarketHolderQuerySet.as_manager()

    class Meta:
        verbose_name = "titulaire d'un marché"
        verbose_name_plural = "titulaires des marchés"
        ordering = ["market", "role", "name", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["market", "role", "identifier"], name="market_holder_unique_per_role"),
            models.CheckConstraint(
                condition=Q(siren="") | Q(siren__regex=r"^[0-9]{9}$"), name="market_holder_siren_nine_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.identifier} ({self.get_role_display()})"


class MarketHistoryEntry(models.Model):
    """What an import of DECP did to a market: created it, completed its empty fields, or changed it (a later
    modification, a corrected record). `changes` lists {"field", "label", "old", "new"} as displayed text."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="history")
    decp_import = models.ForeignKey(
        DecpImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="history_entries"
    )
    kind = models.CharField("événement", max_length=24, choices=MarketHistoryKind.choices)
    recorded_at = models.DateTimeField("le", auto_now_add=True)
    changes = models.JSONField("changements", default=list, blank=True)

    class Meta:
        verbose_name = "historique d'un marché"
        verbose_name_plural = "historiques des marchés"
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.recorded_at:%d/%m/%Y})"
