"""The API's JSON parser: DRF's, but every body it cannot read is refused with a French reason (400), never a
server error. Python's reader stops on a body nested deeper than its recursion limit with a RecursionError,
which DRF does not catch: a 100 kB body of « [ » was a 500. Duplicate keys in one object are refused too, since
reading only the last one would silently drop what the client sent."""

import codecs
import json

from rest_framework import parsers
from rest_framework.exceptions import ParseError

NOT_JSON = "Le corps de la requête n'est pas un JSON valide (ligne {line}, colonne {column}) : corrigez-le."
NOT_UTF8 = "Le corps de la requête n'est pas encodé en UTF-8 : enregistrez-le en UTF-8."
TOO_DEEP = "Le corps de la requête imbrique trop de tableaux ou d'objets : il ne peut pas être lu."
TOO_MANY_DIGITS = "Un nombre du corps de la requête a trop de chiffres pour être lu."
NOT_A_NUMBER = "« {constant} » n'est pas une valeur JSON : envoyez un nombre ou null."
DUPLICATE_KEY = "La clé « {key} » apparaît deux fois dans un même objet : envoyez-la une seule fois."


class _Refused(ValueError):
    """A reason already written in French."""


def _reject_constant(constant: str):
    raise _Refused(NOT_A_NUMBER.format(constant=constant))


def _unique_keys(pairs: list[tuple]) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(DUPLICATE_KEY.format(key=key[:100]))
            seen.add(key)
    return found


def french_reason(error: Exception) -> str:
    if isinstance(error, _Refused):
        return str(error)
    if isinstance(error, json.JSONDecodeError):
        return NOT_JSON.format(line=error.lineno, column=error.colno)
    if isinstance(error, (UnicodeError, LookupError)):
        return NOT_UTF8
    if isinstance(error, RecursionError):
        return TOO_DEEP
    if "digits" in str(error):  # int() beyond sys.get_int_max_str_digits()
        return TOO_MANY_DIGITS
    return NOT_JSON.format(line=1, column=1)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            return json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=_reject_constant,
                object_pairs_hook=_unique_keys,
            )
        except (ValueError, LookupError, RecursionError) as error:
            raise ParseError(french_reason(error)) from None
