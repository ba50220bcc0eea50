"""The `unaccent` extension of PostgreSQL, for searches that ignore accents (procurement/search.py).

CreateExtension does nothing on another database: SQLite gets its `fold` function at each connection."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("procurement", "0008_decp_awards_and_holders")]

    operations = [UnaccentExtension()]
