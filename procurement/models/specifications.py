import uuid

from django.db import models

from procurement.models.fields import OrganisationQuerySet, acting_user
from procurement.models.markets import Market
from procurement.models.organisations import Organisation
from procurement.specifications.enums import SpecificationTextKind, StampingSource


class SpecificationTextQuerySet(OrganisationQuerySet):
    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def validated(self):
        return self.filter(validated_at__isnull=False)


class SpecificationText(models.Model):
    """One version of a buyer's encart or base-vie article; editing adds a version, none is ever changed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="specification_texts")
    kind = models.CharField("texte", max_length=16, choices=SpecificationTextKind.choices)
    version = models.PositiveIntegerField("version")
    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte")
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    created_by = acting_user("enregistrée par")
    # Reviewed before use: an encart version is stamped only once someone allowed to edit it has validated it.
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    validated_by = acting_user("validée par")

    objects = SpecificationTextQuerySet.as_manager()

    class Meta:
        verbose_name = "texte du cahier des charges"
        verbose_name_plural = "textes du cahier des charges"
        ordering = ["organisation", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "version"], name="specification_text_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — version {self.version}"

    @property
    def is_validated(self) -> bool:
        return self.validated_at is not None


def source_upload_to(instance: "StampedSpecification", filename: str) -> str:
    return f"cahiers-des-charges/{instance.market.organisation_id}/{instance.market_id}/source-{uuid.uuid4().hex}.docx"


def stamped_upload_to(instance: "StampedSpecification", filename: str) -> str:
    # Never the user's file name in a path: it is kept apart, for the download only.
    return f"cahiers-des-charges/{instance.market.organisation_id}/{instance.market_id}/{uuid.uuid4().hex}.docx"


class StampedSpecificationQuerySet(OrganisationQuerySet):
    organisation_lookup = "market__organisation"

    def with_encart(self):
        return self.filter(encart_text__isnull=False)


class StampedSpecification(models.Model):
    """A cahier des charges produced with the encart: the proof counted by the coverage indicator."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="stamped_specifications")
    encart_text = models.ForeignKey(
        SpecificationText, on_delete=models.PROTECT, related_name="+", verbose_name="version de l'encart"
    )
    base_vie_text = models.ForeignKey(
        SpecificationText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="version de l'article base vie",
    )
    source_name = models.CharField("fichier déposé", max_length=255)
    source_sha256 = models.CharField("empreinte SHA-256 du fichier déposé", max_length=64)
    output = models.FileField("cahier des charges complété", upload_to=stamped_upload_to, max_length=255)
    output_sha256 = models.CharField("empreinte SHA-256 du fichier produit", max_length=64)
    output_size = models.PositiveIntegerField("taille du fichier produit (octets)")
    encart_at_placeholder = models.BooleanField("encart placé au repère [[ENCART_EGALITE]]", default=False)
    base_vie_heading = models.CharField("titre de l'article base vie", max_length=300, blank=True)
    # Without a marker: the heading whose section the encart ends, and the one the base-vie article goes in ("" at
    # a marker, after the encart, or without headings); their places among the body's elements, as the buyer
    # chose them on the preview (null: the platform's choice).
    encart_section = models.CharField("section suivie de l'encart", max_length=300, blank=True)
    base_vie_section = models.CharField("section de l'article base vie", max_length=300, blank=True)
    encart_after = models.PositiveIntegerField("titre choisi pour l'encart", null=True, blank=True)
    base_vie_in = models.PositiveIntegerField("titre choisi pour l'article base vie", null=True, blank=True)
    # The file as uploaded, kept so that the buyer may move the texts from the preview without uploading it again.
    source_file = models.FileField("fichier déposé (copie)", upload_to=source_upload_to, max_length=255, blank=True)
    source = models.CharField("origine", max_length=16, choices=StampingSource.choices, default=StampingSource.WEB)
    created_at = models.DateTimeField("produit le", auto_now_add=True)
    created_by = acting_user("produit par")

    objects = StampedSpecificationQuerySet.as_manager()
    # Set by the stamping service on the record it returns, not stored: what the page and the command say once
    # (e.g. that the original's electronic signature no longer holds).
    warnings: tuple[str, ...] = ()

    class Meta:
        verbose_name = "cahier des charges complété"
        verbose_name_plural = "cahiers des charges complétés"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["market", "created_at"])]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.market.reference})"

    @property
    def download_name(self) -> str:
        stem = self.source_name.rsplit(".", 1)[0] or "cahier-des-charges"
        return f"{stem}-encart-egalite.docx"
