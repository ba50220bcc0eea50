"""Missions entered by hand on a market awaiting its clause now record it, as the hours import does: the markets
where such missions were entered before have their clause recorded here, from the market's planned hours and
execution dates, so that they appear on the clauses' home page. The indicators counted them already."""

from django.db import migrations


def record_clauses(apps, schema_editor):
    InsertionClause = apps.get_model("clauses", "InsertionClause")
    Market = apps.get_model("procurement", "Market")
    awaiting = (
        Market.objects.filter(
            clause_missions__isnull=False,
            insertion_clauses__isnull=True,
            insertion_hours_planned__isnull=False,
            execution_start__isnull=False,
            execution_end__isnull=False,
        )
        .distinct()
        .only("pk", "insertion_hours_planned", "execution_start", "execution_end")
    )
    InsertionClause.objects.bulk_create(
        InsertionClause(
            market_id=market.pk,
            hours_planned=market.insertion_hours_planned,
            start=market.execution_start,
            end=market.execution_end,
        )
        for market in awaiting.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clauses", "0004_mission_updated_at"),
        ("procurement", "0014_logo_help_text_typography"),
    ]

    operations = [migrations.RunPython(record_clauses, migrations.RunPython.noop)]
