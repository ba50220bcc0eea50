"""What every endpoint shares: the token, the capability per method, the organisation's objects first (404), the
rate limit, the call log, and JSON for every answer that is not a file."""

from django.http import Http404
from rest_framework import exceptions, generics
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api import services
from api.access import HasCapability, count_call
from api.authentication import BearerTokenAuthentication
from api.errors import Invalid, error
from api.models import ApiToken
from api.serializers import FileUploadSerializer
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
    # The query parameters the operation reads (a QuerySerializer); any other is refused (400).
    query_serializer = None

    @property
    def allowed_methods(self) -> list[str]:
        return [*self.capabilities, *(["HEAD"] if "GET" in self.capabilities else [])]

    def initial(self, request, *args, **kwargs):
        # An operation the address does not have: 405 (with Allow), before anything else.
        if request.method not in self.allowed_methods:
            raise exceptions.MethodNotAllowed(
                request.method,
                detail=f"La méthode {request.method} n'est pas permise à cette adresse : "
                f"{', '.join(self.allowed_methods)}.",
            )
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)

    def known_query_parameters(self) -> set[str]:
        names = set(self.query_serializer().fields) if self.query_serializer is not None else set()
        if self.pagination_class is not None:
            paginator = self.pagination_class()
            names |= {paginator.cursor_query_param, paginator.page_size_query_param}
        return names

    def check_query_parameters(self, request) -> None:
        known = self.known_query_parameters()
        problems = [
            error(line=None, field=name, reason="paramètre inconnu de cette opération")
            for name in sorted(set(request.query_params) - known)
        ] + [
            error(line=None, field=name, reason="paramètre donné plusieurs fois : donnez-le une seule fois")
            for name in sorted(known)
            if len(request.query_params.getlist(name)) > 1
        ]
        if problems:
            raise Invalid(problems)

    @property
    def organisation(self):
        return self.request.user.organisation

    @property
    def token(self) -> ApiToken:
        return self.request.auth

    def query(self) -> dict:
        """The query parameters, checked by the operation's query_serializer (400 for a wrong one)."""
        serializer = self.query_serializer(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def paginated(self, queryset, *, serializer_class, present=None) -> Response:
        """One page of the list (cursor, links `next` and `previous`), each item as `present` makes it."""
        page = self.paginate_queryset(queryset)
        items = page if present is None else [present(item) for item in page]
        return self.get_paginated_response(serializer_class(items, many=True).data)

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


# An address of one object of the token's organisation, named by `pk`: `find` looks for it in that organisation only,
# so another organisation's object answers 404 with `not_found`, as one that does not exist. (A comment, not a
# docstring: drf-spectacular would print an inherited docstring as the description of every operation below.)
class ScopedObjectView(ApiView):
    not_found: str

    def find(self, *, pk: int):
        """The object of `self.organisation` with this primary key, or None."""
        raise NotImplementedError

    def load_scoped_objects(self) -> None:
        self.object = self.find(pk=self.kwargs["pk"])
        if self.object is None:
            raise Http404(self.not_found)


class FileUploadMixin:
    """An operation that receives one file, as multipart/form-data in a `file` field."""

    parser_classes = [MultiPartParser]
    serializer_class = FileUploadSerializer

    def uploaded_file(self):
        serializer = FileUploadSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["file"]
