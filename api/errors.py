"""Every error of the API in one shape: `application/problem+json` (RFC 9457), with a French `detail`, and for
invalid data the list `errors` of `{ligne, champ, raison}` (docs/api.md, « Erreurs »).

DRF's exceptions go through `exception_handler` (settings REST_FRAMEWORK); Django's own 404 and 500 under /api/
through `page_not_found` and `server_error` (config/urls.py); elsewhere those stay the site's French pages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from procurement.tabular import ImportRejected, RowError

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"

TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Ressource introuvable",
    405: "Méthode non autorisée",
    406: "Format de réponse non disponible",
    409: "Conflit",
    413: "Contenu trop volumineux",
    415: "Type de contenu non pris en charge",
    429: "Trop de requêtes",
    500: "Erreur interne",
    503: "Service indisponible",
}
DETAILS = {
    400: "La requête est mal formée : vérifiez son corps et ses en-têtes (docs/api.md).",
    413: "Le contenu envoyé dépasse la taille permise (20 Mo par fichier) : allégez-le ou envoyez-le en deux fois.",
    503: "Le service est momentanément surchargé : réessayez dans quelques secondes.",
    404: "Cette adresse ne correspond à aucune ressource de votre organisation : vérifiez l'identifiant.",
    500: "Une erreur inattendue s'est produite : réessayez ; si elle se répète, prévenez l'administrateur de la "
    "plateforme.",
}
# DRF's own wording of a bare 404 (English, or French once translated): replaced by the sentence above.
GENERIC_NOT_FOUND = {"", "Not found.", "Pas trouvé.", "No HTTP resource was found."}
INVALID = "Les données envoyées ne sont pas valides : corrigez chaque erreur de la liste `errors`, puis renvoyez-les."


class Invalid(exceptions.APIException):
    """Invalid data: `errors` lists `{ligne, champ, raison}` (ligne: the line of a file or the position in a list,
    counted from 1 as imports count; null for a single object)."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, errors: list[dict], detail: str = INVALID):
        super().__init__(detail=detail)
        self.errors = errors

    @classmethod
    def from_import(cls, rejected: ImportRejected, *, detail: str) -> "Invalid":
        return cls([_row_error(item) for item in rejected.items], detail=detail)


def refused(refusal: DjangoValidationError) -> Invalid:
    """A service's refusal (Django's ValidationError, by field or not) as the API's 400."""
    by_field = refusal.message_dict if hasattr(refusal, "error_dict") else {"__all__": refusal.messages}
    return Invalid(
        [
            error(line=None, field=None if name == "__all__" else name, reason=message)
            for name, messages in by_field.items()
            for message in messages
        ]
    )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT


def error(*, line: int | None, field: str | None, reason: str) -> dict:
    return {"ligne": line, "champ": field, "raison": reason}


def _row_error(item) -> dict:
    if isinstance(item, RowError):
        return error(line=item.line, field=item.column, reason=item.reason)
    return error(line=None, field=None, reason=str(item))


def problem(*, status_code: int, detail: str, instance: str, errors: list[dict] | None = None) -> dict:
    data = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Erreur"),
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        data["errors"] = errors
    return data


def _flatten(detail, *, field: str | None = None, line: int | None = None) -> list[dict]:
    """DRF's nested validation errors as a flat list; a list of objects gives each one's position as `ligne`."""
    if isinstance(detail, dict) and field is not None and detail and all(isinstance(key, int) for key in detail):
        # A list's errors by index (DRF): each item's fields, named as a file's columns, at its position.
        found = []
        for index, inner in sorted(detail.items()):
            found.extend(_flatten(inner, field=None, line=index + 1))
        return found
    if isinstance(detail, dict):
        found = []
        for name, inner in detail.items():
            inner_field = None if name == "non_field_errors" else (f"{field}.{name}" if field else name)
            found.extend(_flatten(inner, field=inner_field, line=line))
        return found
    if isinstance(detail, list):
        if detail and all(isinstance(item, dict) for item in detail) and field is not None:
            found = []
            for position, item in enumerate(detail, start=1):
                found.extend(_flatten(item, field=None, line=position) if item else [])
            return found
        found = []
        for item in detail:
            found.extend(_flatten(item, field=field, line=line))
        return found
    return [error(line=line, field=field, reason=str(detail))]


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected exception: Django's 500 (server_error below)
    request = context["request"]
    errors = None
    if isinstance(exc, Invalid):
        detail, errors = str(exc.detail), exc.errors
    elif isinstance(exc, exceptions.ValidationError):
        detail, errors = INVALID, _flatten(exc.detail)
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = str(response.data["detail"])
    else:
        detail = INVALID
    if response.status_code == 404 and detail in GENERIC_NOT_FOUND:
        detail = DETAILS[404]
    body = problem(status_code=response.status_code, detail=detail, instance=request.path, errors=errors)
    return Response(body, status=response.status_code, headers=_kept_headers(response), content_type=PROBLEM_JSON)


def _kept_headers(response) -> dict:
    return {name: response[name] for name in ("WWW-Authenticate", "Retry-After", "Allow") if response.has_header(name)}


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(request, *, status_code: int):
    body = problem(
        status_code=status_code,
        detail=DETAILS.get(status_code, "La requête n'a pas abouti : voyez le statut HTTP et docs/api.md."),
        instance=request.path,
    )
    return JsonResponse(body, status=status_code, content_type=PROBLEM_JSON, json_dumps_params={"ensure_ascii": False})


def page_not_found(request, exception):
    if is_api(request):
        return problem_response(request, status_code=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return problem_response(request, status_code=500)
    return defaults.server_error(request)
