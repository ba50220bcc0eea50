"""A reminded company without a known name keeps a blank name (pages name it by its SIREN); the reminders recorded
before kept « SIREN 123456789 » in its place, which becomes blank too."""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat


def blank_the_siren_placeholders(apps, schema_editor):
    Reminder = apps.get_model("questionnaire", "Reminder")
    Reminder.objects.filter(company_name=Concat(Value("SIREN "), "siren")).update(company_name="")


class Migration(migrations.Migration):
    dependencies = [
        ("questionnaire", "0007_annexresponse_updated_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reminder",
            name="company_name",
            field=models.CharField(blank=True, max_length=300, verbose_name="entreprise"),
        ),
        # Backwards: the blank names stay blank, which the pages read the same.
        migrations.RunPython(blank_the_siren_placeholders, migrations.RunPython.noop),
    ]
