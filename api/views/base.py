"""What every endpoint shares: the token, the capability per method, the organisation's objects first (404), the
rate limit, the call log, and JSON for every answer that is not a file."""

from rest_framework import exceptions, generics
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer

from api import services
from api.access import HasCapability, count_call
from api.authentication import BearerTokenAuthentication
from api.models import ApiToken
from procurement.http import client_ip


class JsonOnly(BaseContentNegotiation):
    """Answers are JSON whatever the Accept header (files are plain Django responses), so that an error on a file
    endpoint is still a problem+json."""

    def select_parser(self, request, parsers):
        content_type = request.content_type.split(";")[0].strip()
        return next((parser for parser in parsers if parser.media_type == content_type), None)

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiView(generics.GenericAPIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasCapability]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnly
    throttle_classes: list = []
    # HTTP method → capability of procurement.permissions (a frozenset of roles).
    capabilities: dict[str, frozenset[str]] = {}

    @property
    def organisation(self):
        return self.request.user.organisation

    @property
    def token(self) -> ApiToken:
        return self.request.auth

    def capability_for(self, method: str) -> frozenset[str]:
        return self.capabilities.get("GET" if method == "HEAD" else method, frozenset())

    def check_permissions(self, request):
        if isinstance(request.auth, ApiToken):
            count_call(token_pk=request.auth.pk)
            self.load_scoped_objects()
        super().check_permissions(request)

    def permission_denied(self, request, message=None, code=None):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated(
                "Authentification requise : envoyez l'en-tête « Authorization: Bearer <jeton> » avec un jeton de "
                "votre organisation."
            )
        super().permission_denied(request, message=message, code=code)

    def load_scoped_objects(self) -> None:
        """Loads the URL's objects within the token's organisation (Http404 for any other)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            services.record_call(
                token=token,
                method=request.method,
                path=request.get_full_path(),
                status=response.status_code,
                ip=client_ip(request),
            )
        return response
