"""Searching text the way people type it: accents, case and extra spaces ignored, on every database.

`fold` is the Python side (« Médiathèque » -> « mediatheque »); `Folded` is the same in SQL: `lower(unaccent(…))`
on PostgreSQL (the `unaccent` extension, created by a migration) and, on SQLite, the `fold` function that
`register_sqlite_fold` adds to each connection. `matching` is what every search box uses: each word typed must be
found in one of the fields (« batiments renovation » finds « Rénovation des bâtiments »).
"""

import unicodedata
from functools import reduce
from operator import and_, or_

from django.db.models import CharField, Func, Q, QuerySet


def fold(text: str | None) -> str | None:
    """Lowercase, without accents (NFKD, combining marks dropped); None stays None (SQL NULL)."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sort_key(text: str) -> tuple[str, str]:
    """Orders French words as a reader expects (« Électricien·ne » before « Peintre »), whatever the locale."""
    return (fold(text) or "", text)


class Folded(Func):
    """The SQL twin of `fold`."""

    output_field = CharField()
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor == "postgresql":
            return super().as_sql(compiler, connection, template="lower(unaccent(%(expressions)s))", **extra_context)
        if connection.vendor == "sqlite":
            return super().as_sql(compiler, connection, template="fold(%(expressions)s)", **extra_context)
        return super().as_sql(compiler, connection, template="lower(%(expressions)s)", **extra_context)


def register_sqlite_fold(sender, connection, **kwargs) -> None:
    """connection_created receiver: gives SQLite the `fold` function (deterministic, so usable in indexes)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("fold", 1, fold, deterministic=True)


def matching(queryset: QuerySet, *, fields: list[str], text: str, extra: Q | None = None) -> QuerySet:
    """The rows where each word of `text` is in one of `fields`, accents and case ignored; `extra` (another
    condition, such as a SIRET prefix) is accepted as an alternative to the words. Blank text filters nothing."""
    words = fold(text).split()
    if not words:
        return queryset
    aliases = {f"_folded_{index}": Folded(field) for index, field in enumerate(fields)}
    condition = reduce(and_, (reduce(or_, (Q(**{f"{alias}__contains": word}) for alias in aliases)) for word in words))
    if extra is not None:
        condition |= extra
    return queryset.alias(**aliases).filter(condition)
