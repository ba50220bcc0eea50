"""The OpenAPI document (drf-spectacular): the bearer token as security scheme, on every operation the
problem+json answers it may give (docs/api.md, « Erreurs »), and on a GET the query parameters it reads."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from api.errors import PROBLEM_JSON, TITLES
from api.serializers import ProblemSerializer

RETRY_AFTER = {
    "Retry-After": {
        "description": "Secondes à attendre avant le prochain appel.",
        "schema": {"type": "integer", "minimum": 1},
        "required": True,
    }
}


class ApiAutoSchema(AutoSchema):
    def get_override_parameters(self):
        # Documented from the serializer that checks them (ApiView.query_serializer), so that the two cannot differ.
        query_serializer = getattr(self.view, "query_serializer", None)
        if self.method == "GET" and query_serializer is not None:
            return [query_serializer]
        return []

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "429"]
        if "{" in self.path:
            codes.append("404")
        if self.method == "POST" and self.path.endswith("/specification/"):
            codes.append("409")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            response = self._get_response_for_code(ProblemSerializer, code, media_types=[PROBLEM_JSON])
            response["description"] = TITLES[int(code)]
            if code == "429":
                response["headers"] = RETRY_AFTER
            responses[code] = response
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Un jeton de l'organisation, créé par un·e administrateur·rice (Administration › Jetons d'API), "
                "envoyé dans l'en-tête « Authorization: Bearer <jeton> »."
            ),
        }
