from django.db import models

from procurement.models.organisations import Organisation


class LegalDetails(models.Model):
    """What the law needs to name the buyer to candidates (RGPD art. 13): the controller and its DPO.

    Blank fields fall back on the organisation's name, and on "non renseigné" (procurement.legal.selectors).
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="legal_details", verbose_name="organisation"
    )
    controller_name = models.CharField(
        "responsable du traitement",
        max_length=200,
        blank=True,
        help_text="Nom de l'organisation tel qu'il doit figurer dans les mentions ; vide : le nom de l'organisation.",
    )
    controller_address = models.TextField(
        "adresse postale du responsable du traitement",
        blank=True,
        help_text="Par exemple : 1 place de la Mairie, 59220 Denain.",
    )
    dpo_contact = models.TextField(
        "contact du ou de la délégué·e à la protection des données",
        blank=True,
        help_text="Adresse électronique ou postale à laquelle les candidats exercent leurs droits.",
    )
    updated_at = models.DateTimeField("modifiées le", auto_now=True)

    class Meta:
        verbose_name = "informations légales"
        verbose_name_plural = "informations légales"

    def __str__(self) -> str:
        return f"Informations légales — {self.organisation}"
