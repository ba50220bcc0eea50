"""Marks the latest answer of each structure, organisation and year (questionnaire.services.latest)."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import ExtractYear


def mark_existing_answers(apps, schema_editor):
    AnnexResponse = apps.get_model("questionnaire", "AnnexResponse")
    AnnexResponse.objects.update(submitted_year=ExtractYear("submitted_on"))
    counted = AnnexResponse.objects.filter(withdrawn_at__isnull=True)
    newer = counted.filter(
        organisation_id=OuterRef("organisation_id"),
        submitted_year=OuterRef("submitted_year"),
        structure_key=OuterRef("structure_key"),
    ).filter(
        Q(submitted_at__gt=OuterRef("submitted_at")) | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk"))
    )
    counted.filter(~Exists(newer)).update(is_latest=True)


class Migration(migrations.Migration):
    dependencies = [("questionnaire", "0003_french_admin")]

    operations = [
        migrations.AddField(
            model_name="annexresponse",
            name="submitted_year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="année d'envoi"),
        ),
        migrations.AddField(
            model_name="annexresponse",
            name="is_latest",
            field=models.BooleanField(db_default=False, verbose_name="retenue pour les statistiques de l'année"),
        ),
        migrations.RunPython(mark_existing_answers, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="annexresponse",
            name="submitted_year",
            field=models.PositiveSmallIntegerField(verbose_name="année d'envoi"),
        ),
        migrations.AddConstraint(
            model_name="annexresponse",
            constraint=models.UniqueConstraint(
                condition=Q(is_latest=True),
                fields=("organisation", "submitted_year", "structure_key"),
                name="annex_one_latest_per_structure_year",
            ),
        ),
        migrations.AddConstraint(
            model_name="annexresponse",
            constraint=models.CheckConstraint(
                condition=Q(is_latest=False) | Q(withdrawn_at__isnull=True), name="annex_latest_not_withdrawn"
            ),
        ),
    ]
