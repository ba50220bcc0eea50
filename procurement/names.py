"""An organisation's name inside a French sentence: the one home of its article and of the contractions.

« la Ville de Denain » (subject), « de la Ville de Denain », « à la Ville de Denain »; « du Département du Nord »,
« au Département du Nord »; « de l'Agglomération de Valenciennes », « à l'Agglomération de Valenciennes »;
« des Hôpitaux de … », « aux Hôpitaux de … »; « de Valenciennes Métropole » (« d'Amiens Métropole »),
« à Valenciennes Métropole ». Templates use the filters of `procurement/templatetags/names.py`; code calls
these functions or the `Organisation` properties built on them.
"""

import re

from procurement.enums import Article

_VOWEL = re.compile(r"^[aeiouyàâäéèêëîïôöùûüœæ]", re.IGNORECASE)

# First words (lower case, without accents kept) that tell the article of a name, when obvious. Anything else is
# named without an article (« Valenciennes Métropole », « Grand Paris Sud »), which the buyer may correct.
_GUESSES: tuple[tuple[str, str], ...] = (
    ("ville ", Article.LA),
    ("commune ", Article.LA),
    ("communauté ", Article.LA),
    ("métropole ", Article.LA),
    ("région ", Article.LA),
    ("collectivité ", Article.LA),
    ("préfecture ", Article.LA),
    ("direction ", Article.LA),
    ("caisse ", Article.LA),
    ("mairie ", Article.LA),
    ("agglomération ", Article.ELIDED),
    ("université ", Article.ELIDED),
    ("établissement ", Article.ELIDED),
    ("office ", Article.ELIDED),
    ("eurométropole ", Article.ELIDED),
    ("département ", Article.LE),
    ("conseil ", Article.LE),
    ("centre ", Article.LE),
    ("syndicat ", Article.LE),
    ("groupement ", Article.LE),
    ("ministère ", Article.LE),
    ("service ", Article.LE),
    ("hôpitaux ", Article.LES),
    ("hospices ", Article.LES),
)


def guess_article(name: str) -> str:
    """The article a name obviously takes (« Ville de … » → la), else none: a guess the buyer can correct."""
    lowered = name.strip().lower() + " "
    for start, article in _GUESSES:
        if lowered.startswith(start):
            return article
    return Article.NONE


def subject(*, name: str, article: str) -> str:
    """« la Ville de Denain », « l'Agglomération de Valenciennes », « Valenciennes Métropole »."""
    if article == Article.ELIDED:
        return f"l'{name}"
    if article in (Article.LA, Article.LE, Article.LES):
        return f"{article} {name}"
    return name


def of(*, name: str, article: str) -> str:
    """« de la Ville… », « du Département… », « de l'Agglomération… », « des Hôpitaux… », « de Valenciennes
    Métropole », « d'Amiens Métropole »."""
    if article == Article.LE:
        return f"du {name}"
    if article == Article.LES:
        return f"des {name}"
    if article in (Article.LA, Article.ELIDED):
        return f"de {subject(name=name, article=article)}"
    return f"d'{name}" if _VOWEL.match(name) else f"de {name}"


def to(*, name: str, article: str) -> str:
    """« à la Ville… », « au Département… », « à l'Agglomération… », « aux Hôpitaux… », « à Valenciennes
    Métropole »."""
    if article == Article.LE:
        return f"au {name}"
    if article == Article.LES:
        return f"aux {name}"
    return f"à {subject(name=name, article=article)}"
