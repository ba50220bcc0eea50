import secrets

from django.db import models
from django.db.models import F, Q

from procurement.models import Lot, Market, Organisation
from procurement.models.fields import OrganisationQuerySet, acting_user
from questionnaire.enums import (
    QUESTIONNAIRE_VERSION,
    Commitment,
    EqualityIndexScheme,
    EqualityIndexStatus,
    OfficerGender,
    ReminderChannel,
    ResponseSource,
)
from questionnaire.structures import company_label

POLICY_TEXT_MAX_LENGTH = 1000
# A commitment's detail, in the questionnaire and in the import.
COMMITMENT_DETAIL_MAX_LENGTH = 1000


def new_resume_token() -> str:
    # 192 bits: whoever holds the link can read and finish the draft.
    return secrets.token_urlsafe(24)


class QuestionnaireSettings(models.Model):
    """What each buyer may adapt in its annex."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="questionnaire_settings")
    introduction = models.TextField(
        "texte d'introduction",
        blank=True,
        help_text="Laisser vide pour reprendre le texte par défaut. Le caractère facultatif du questionnaire est "
        "toujours rappelé en tête du formulaire.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "réglages de l'annexe égalité"
        verbose_name_plural = "réglages de l'annexe égalité"

    def __str__(self) -> str:
        return f"Annexe égalité {self.organisation.name_of}"


class DraftQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(submitted_at__isnull=True)

    def abandoned_before(self, moment):
        return self.pending().filter(updated_at__lt=moment)


class Draft(models.Model):
    """Answers being typed, saved at every step so that nothing is lost (closed tab, expired session)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="annex_drafts")
    market = models.ForeignKey(Market, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resume_token = models.CharField(max_length=64, unique=True, default=new_resume_token, editable=False)
    # Per step, the values as typed (strings), so that even invalid input comes back as it was.
    data = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=40, blank=True)
    form_version = models.CharField(max_length=20, default=QUESTIONNAIRE_VERSION)
    contact_email = models.EmailField("adresse électronique", blank=True)
    entered_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # What the company register said of the SIRET typed on the first step (registers.http.CompanyFacts.as_dict,
    # with `checked_at`): recorded with the response when its SIRET is the same.
    register_facts = models.JSONField(default=dict, blank=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = "brouillon d'annexe égalité"
        verbose_name_plural = "brouillons d'annexe égalité"

    def __str__(self) -> str:
        return f"Brouillon {self.pk} ({self.organisation})"


def answered_after(submitted_at, pk) -> Q:
    """The answers that come after the one sent at `submitted_at` with id `pk` (values, or OuterRef of a subquery):
    sent later, or at the same instant with a higher id. The order of a structure's answers, whose last one counts
    (questionnaire/services/latest.py)."""
    return Q(submitted_at__gt=submitted_at) | Q(submitted_at=submitted_at, pk__gt=pk)


class AnnexResponseQuerySet(OrganisationQuerySet):
    def submitted(self):
        """Submitted and not withdrawn: what the statistics count."""
        return self.filter(withdrawn_at__isnull=True)

    def in_period(self, start, end):
        """Submitted on a Europe/Paris date within [start, end], both ends included."""
        return self.filter(submitted_on__gte=start, submitted_on__lte=end)


def _headcount(label: str):
    return models.PositiveIntegerField(label, default=0)


def _percentage(label: str):
    return models.DecimalField(label, max_digits=5, decimal_places=2, null=True, blank=True)


def _officer(label: str):
    return models.CharField(label, max_length=12, choices=OfficerGender.choices, blank=True)


class AnnexResponse(models.Model):
    """One submitted annexe égalité (fiche de renseignements) of a candidate structure."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="annex_responses")
    market = models.ForeignKey(Market, on_delete=models.PROTECT, null=True, blank=True, related_name="annex_responses")
    lot = models.ForeignKey(Lot, on_delete=models.SET_NULL, null=True, blank=True, related_name="annex_responses")
    # One response per draft, enforced by the database: a double click, a second tab or a replayed request
    # cannot store a second response.
    draft = models.OneToOneField(Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="response")
    receipt_number = models.CharField("numéro d'accusé de réception", max_length=32, unique=True)
    form_version = models.CharField("version du questionnaire", max_length=20, default=QUESTIONNAIRE_VERSION)
    source = models.CharField("origine", max_length=12, choices=ResponseSource.choices, default=ResponseSource.ONLINE)
    entered_by = acting_user("saisie par")
    submitted_at = models.DateTimeField("envoyée le")
    # Last change of any answer (an import may rewrite one), so that the dashboard can say its figures are stale;
    # empty for the responses stored before the field existed.
    updated_at = models.DateTimeField("modifiée le", auto_now=True, null=True)
    # The Europe/Paris date of `submitted_at`: periods compare it (docs/formats.md, import_annexes).
    submitted_on = models.DateField("date d'envoi", db_index=True)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    # The calendar year of `submitted_on`, and whether this row is the latest not-withdrawn answer of its
    # structure to this organisation in that year (questionnaire.services.latest keeps it on every write): the
    # yearly statistics read the marked rows with a plain scan.
    submitted_year = models.PositiveSmallIntegerField("année d'envoi")
    is_latest = models.BooleanField("retenue pour les statistiques de l'année", db_default=False)

    structure_name = models.CharField("nom de la structure", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True, db_index=True)
    # `siren:<SIREN>` or `nom:<normalised name>` (questionnaire.structures): one structure, one key.
    structure_key = models.CharField(max_length=220, db_index=True)
    contact_email = models.EmailField("adresse électronique de contact", blank=True)
    # Set when someone followed the signed link sent to `contact_email`: only then are the answers emailed there
    # (anyone may type any address; the first email to it quotes nothing that was typed).
    contact_email_confirmed_at = models.DateTimeField("adresse électronique confirmée le", null=True, blank=True)

    cadres_f = _headcount("cadres, femmes")
    cadres_h = _headcount("cadres, hommes")
    cadres_nb = _headcount("cadres, non binaires")
    cadres_nsp = _headcount("cadres, ne se prononce pas")
    non_cadres_f = _headcount("non cadres, femmes")
    non_cadres_h = _headcount("non cadres, hommes")
    non_cadres_nb = _headcount("non cadres, non binaires")
    non_cadres_nsp = _headcount("non cadres, ne se prononce pas")
    staff_total = models.GeneratedField(
        expression=F("cadres_f")
        + F("cadres_h")
        + F("cadres_nb")
        + F("cadres_nsp")
        + F("non_cadres_f")
        + F("non_cadres_h")
        + F("non_cadres_nb")
        + F("non_cadres_nsp"),
        output_field=models.PositiveIntegerField("effectif total"),
        db_persist=True,
    )

    has_board = models.BooleanField("conseil d'administration", null=True, blank=True)
    board_women_pct = _percentage("part de femmes dans le CA (%)")
    president = _officer("président·e")
    secretary = _officer("secrétaire")
    treasurer = _officer("trésorier·e")
    volunteers_women_pct = _percentage("part des femmes parmi les bénévoles (%)")

    policy_text = models.TextField("politique interne", max_length=POLICY_TEXT_MAX_LENGTH, blank=True)
    equality_index_status = models.CharField(
        "index de l'égalité professionnelle", max_length=16, choices=EqualityIndexStatus.choices, blank=True
    )
    equality_index_score = models.PositiveSmallIntegerField("note de l'index (/100)", null=True, blank=True)
    equality_index_scheme = models.CharField(
        "barème de l'index",
        max_length=20,
        choices=EqualityIndexScheme.choices,
        default=EqualityIndexScheme.INDEX_EGAPRO,
    )
    equality_index_year = models.PositiveSmallIntegerField("année de l'index", null=True, blank=True)

    commitment_agreements = models.BooleanField(Commitment.AGREEMENTS.label, default=False)
    commitment_agreements_detail = models.TextField(blank=True)
    commitment_action_plan = models.BooleanField(Commitment.ACTION_PLAN.label, default=False)
    commitment_action_plan_detail = models.TextField(blank=True)
    commitment_training = models.BooleanField(Commitment.TRAINING.label, default=False)
    commitment_training_detail = models.TextField(blank=True)
    commitment_harassment_unit = models.BooleanField(Commitment.HARASSMENT_UNIT.label, default=False)
    commitment_harassment_unit_detail = models.TextField(blank=True)
    commitment_label = models.BooleanField(Commitment.LABEL.label, default=False)
    commitment_label_detail = models.TextField(blank=True)
    commitment_partnerships = models.BooleanField(Commitment.PARTNERSHIPS.label, default=False)
    commitment_partnerships_detail = models.TextField(blank=True)
    commitment_events = models.BooleanField(Commitment.EVENTS.label, default=False)
    commitment_events_detail = models.TextField(blank=True)
    commitment_other = models.BooleanField(Commitment.OTHER.label, default=False)
    commitment_other_detail = models.TextField(blank=True)

    # The company register (API Recherche d'entreprises) on the day the candidate typed the SIRET: blank when it
    # was not consulted (source off or down, no SIRET). Compared on the staff pages with what was declared.
    register_name = models.CharField("nom au répertoire des entreprises", max_length=255, blank=True)
    register_headcount_bracket = models.CharField("tranche d'effectif salarié au répertoire", max_length=2, blank=True)
    register_naf = models.CharField("code NAF au répertoire", max_length=10, blank=True)
    register_status = models.CharField("état administratif au répertoire", max_length=1, blank=True)
    register_checked_at = models.DateTimeField("répertoire consulté le", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnnexResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "réponse à l'annexe égalité"
        verbose_name_plural = "réponses à l'annexe égalité"
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "submitted_on"], name="annex_org_submitted_on")]
        constraints = [
            # Re-importing the same row (same structure, same instant) updates it instead of adding one.
            models.UniqueConstraint(
                fields=["organisation", "structure_key", "submitted_at"], name="annex_one_per_structure_instant"
            ),
            # Two "latest" answers of one structure, organisation and year cannot exist.
            models.UniqueConstraint(
                fields=["organisation", "submitted_year", "structure_key"],
                condition=Q(is_latest=True),
                name="annex_one_latest_per_structure_year",
            ),
            models.CheckConstraint(
                condition=Q(is_latest=False) | Q(withdrawn_at__isnull=True), name="annex_latest_not_withdrawn"
            ),
            models.CheckConstraint(
                condition=Q(board_women_pct__isnull=True) | Q(board_women_pct__gte=0, board_women_pct__lte=100),
                name="annex_board_women_pct_range",
            ),
            models.CheckConstraint(
                condition=Q(volunteers_women_pct__isnull=True)
                | Q(volunteers_women_pct__gte=0, volunteers_women_pct__lte=100),
                name="annex_volunteers_women_pct_range",
            ),
            models.CheckConstraint(
                condition=(Q(equality_index_status=EqualityIndexStatus.SCORE) & Q(equality_index_score__lte=100))
                | (~Q(equality_index_status=EqualityIndexStatus.SCORE) & Q(equality_index_score__isnull=True)),
                name="annex_equality_index_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure_name} ({self.receipt_number})"

    def commitments(self) -> list[tuple[Commitment, bool, str]]:
        return [
            (commitment, getattr(self, f"commitment_{commitment}"), getattr(self, f"commitment_{commitment}_detail"))
            for commitment in Commitment
        ]


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never reuses what the candidate typed: only the original name field keeps it.
    return f"annexes/{instance.organisation_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    """A file joined to the annex (policy, agreement, label...), checked from its content."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    draft = models.ForeignKey(Draft, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments")
    response = models.ForeignKey(
        AnnexResponse, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path)
    original_name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """One reminder sent to a titulaire that had not answered the annex: by whom, when, how, for which market.
    A company (by SIREN) is reminded at most once in 30 days by the same buyer (questionnaire.titulaires)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reminders")
    siren = models.CharField("SIREN", max_length=9)
    # Blank when no market nor answer named the company (DECP 2.0 gives none): it is then named by its SIREN.
    company_name = models.CharField("entreprise", max_length=300, blank=True)
    market = models.ForeignKey(
        Market, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders", verbose_name="marché"
    )
    channel = models.CharField("canal", max_length=8, choices=ReminderChannel.choices)
    email = models.EmailField("adresse électronique", blank=True)
    sent_at = models.DateTimeField("relancée le")
    sent_by = acting_user("par")
    # Set by the e-mail task: when the message left, or why it could not.
    email_sent_at = models.DateTimeField("courriel envoyé le", null=True, blank=True)
    email_error = models.CharField("échec de l'envoi", max_length=200, blank=True)

    class Meta:
        verbose_name = "relance d'un titulaire"
        verbose_name_plural = "relances des titulaires"
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "siren", "sent_at"], name="reminder_org_siren_sent")]
        constraints = [
            models.CheckConstraint(condition=Q(siren__regex=r"^[0-9]{9}$"), name="reminder_siren_nine_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.company_label} ({self.sent_at:%d/%m/%Y})"

    @property
    def company_label(self) -> str:
        """The company's name in a plain text, « SIREN 123 456 789 » without a known name."""
        return company_label(self.company_name, self.siren)


class ReminderOptOut(models.Model):
    """A company that refused further reminders by e-mail from one buyer (the signed link of a reminder)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reminder_opt_outs")
    siren = models.CharField("SIREN", max_length=9)
    email = models.EmailField("adresse électronique", blank=True)
    refused_at = models.DateTimeField("refusées le", auto_now_add=True)

    class Meta:
        verbose_name = "refus des relances"
        verbose_name_plural = "refus des relances"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "siren"], name="reminder_opt_out_one_per_company"),
        ]

    def __str__(self) -> str:
        return f"{self.siren} ({self.refused_at:%d/%m/%Y})"
