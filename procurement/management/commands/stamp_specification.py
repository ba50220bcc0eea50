from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from procurement.links import market_candidate_url
from procurement.management.utils import add_organisation_argument, existing_file, organisation_for_command
from procurement.models import Market
from procurement.specifications import selectors
from procurement.specifications.docx.safety import UnsafeDocument
from procurement.specifications.enums import StampingSource
from procurement.specifications.services import TextNotValidated, stamp_specification


class Command(BaseCommand):
    help = (
        "Insère l'encart égalité en vigueur (et, pour un marché de travaux avec base vie, l'article sur les "
        "installations sanitaires) dans un cahier des charges .docx. Même traitement que la page du marché."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", metavar="IN.docx", help="Cahier des charges à compléter.")
        parser.add_argument("output", metavar="OUT.docx", help="Fichier à écrire (remplacé s'il existe).")
        parser.add_argument("--market", required=True, metavar="REFERENCE", help="Référence du marché.")
        parser.add_argument(
            "--base-url",
            metavar="URL",
            help="Adresse du site pour le lien de la fiche de renseignements (défaut : PLATFORM_BASE_URL).",
        )
        add_organisation_argument(parser)

    def handle(self, *args, input, output, market, base_url, organisation, **options):
        organisation = organisation_for_command(organisation)
        source = existing_file(input)
        target = Path(output)
        if target.resolve() == source.resolve():
            raise CommandError("Le fichier produit doit être différent du fichier d'origine.")
        if not target.parent.is_dir():
            raise CommandError(f"Dossier introuvable pour le fichier produit : {target.parent}")
        found = Market.objects.filter(organisation=organisation, reference=market).select_related("organisation")
        market_object = found.first()
        if market_object is None:
            raise CommandError(f"Aucun marché de « {organisation.slug} » n'a la référence « {market} ».")
        try:
            record = stamp_specification(
                market=market_object,
                content=source.read_bytes(),
                filename=source.name,
                annex_url=market_candidate_url(market_object, base_url=base_url),
                user=None,
                source=StampingSource.COMMAND,
            )
        except UnsafeDocument as refusal:
            raise CommandError(f"Fichier refusé : {refusal.message}") from None
        except TextNotValidated as refusal:
            page = (base_url or settings.PLATFORM_BASE_URL).rstrip("/") + reverse("specifications:index")
            raise CommandError(f"{refusal.message} Page de l'encart : {page}") from None
        # Written last, through a temporary name: a failure never leaves a half-written document.
        temporary = target.with_name(f".{target.name}.en-cours")
        with record.output.open("rb") as stamped:
            temporary.write_bytes(stamped.read())
        temporary.replace(target)
        placement = selectors.placement_sentence(record=record)
        article = f", article « {record.base_vie_heading} »" if record.base_vie_heading else ""
        for warning in record.warnings:
            self.stderr.write(self.style.WARNING(f"Attention : {warning}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{target} écrit : encart version {record.encart_text.version} {placement}{article} "
                f"(SHA-256 {record.output_sha256})."
            )
        )
