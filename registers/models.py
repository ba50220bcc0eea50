"""The published Egapro indexes, loaded from the open-data file (`import_egapro`), and the loads themselves."""

from django.db import models

from procurement.models.fields import acting_user


class EgaproLoad(models.Model):
    """One load of the published file: the source and date shown next to every published figure. Only the latest
    load's rows exist (a load replaces the previous one in one transaction)."""

    loaded_at = models.DateTimeField("chargé le", auto_now_add=True)
    source = models.CharField("source", max_length=500)
    rows = models.PositiveIntegerField("lignes", default=0)
    ues_members = models.PositiveIntegerField("entreprises membres d'une UES", default=0)
    first_year = models.PositiveSmallIntegerField("première année", null=True, blank=True)
    last_year = models.PositiveSmallIntegerField("dernière année", null=True, blank=True)
    loaded_by = acting_user("chargé par", related_name=None)

    class Meta:
        verbose_name = "chargement des index publiés"
        verbose_name_plural = "chargements des index publiés"
        ordering = ["-loaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.loaded_at:%Y-%m-%d})"


class PublishedIndex(models.Model):
    """One row of the file: the index a company (or a UES, under its declaring company's SIREN) published for a
    year. `index` is None when it was not computable (`index_not_computable`) or not given; `notes` maps each
    sub-note (registers.enums.NOTES) to its points, "NC" (not computable) or None (does not apply to that size)."""

    year = models.PositiveSmallIntegerField("année des indicateurs")
    siren = models.CharField("SIREN", max_length=9)
    company_name = models.CharField("raison sociale", max_length=255, blank=True)
    structure = models.CharField("structure", max_length=100, blank=True)
    headcount_bracket = models.CharField("tranche d'effectifs", max_length=50, blank=True)
    ues_name = models.CharField("nom de l'UES", max_length=255, blank=True)
    region = models.CharField("région", max_length=100, blank=True)
    department = models.CharField("département", max_length=100, blank=True)
    country = models.CharField("pays", max_length=100, blank=True)
    naf = models.CharField("code NAF", max_length=255, blank=True)
    index = models.PositiveSmallIntegerField("note de l'index", null=True, blank=True)
    index_not_computable = models.BooleanField("index non calculable", default=False)
    notes = models.JSONField("sous-notes", default=dict, blank=True)

    class Meta:
        verbose_name = "index publié"
        verbose_name_plural = "index publiés"
        constraints = [models.UniqueConstraint(fields=["year", "siren"], name="published_index_one_per_year")]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.siren}, {self.year})"


class UesMember(models.Model):
    """A company listed in `Entreprises UES (SIREN)` of a UES's row: it has no row of its own, and the API only
    knows the declaring company, so this is its one link to the UES's index (`ues_siren`, same year). The index is
    copied from that row, so that one subquery finds a company's index whether it filed alone or within a UES."""

    year = models.PositiveSmallIntegerField("année des indicateurs")
    siren = models.CharField("SIREN", max_length=9)
    name = models.CharField("nom", max_length=255, blank=True)
    ues_siren = models.CharField("SIREN de l'entreprise déclarant l'UES", max_length=9)
    index = models.PositiveSmallIntegerField("note de l'index de l'UES", null=True, blank=True)
    index_not_computable = models.BooleanField("index non calculable", default=False)

    class Meta:
        verbose_name = "entreprise membre d'une UES"
        verbose_name_plural = "entreprises membres d'une UES"
        constraints = [models.UniqueConstraint(fields=["year", "siren"], name="ues_member_one_per_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.siren}, UES {self.ues_siren}, {self.year})"
