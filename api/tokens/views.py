"""The organisation's API tokens, for its administrators: list, create (the secret shown once), revoke, call log."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView

from api import selectors, services
from api.tokens.forms import DEFAULT_VALIDITY_DAYS, TokenForm
from procurement.access import OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.permissions import MANAGE_API_TOKENS

TOKENS_CRUMB = ("Jetons d'API", "api_tokens:list")
CALLS_PER_PAGE = 50


class TokensAdminMixin(BreadcrumbMixin, OrganisationMemberMixin):
    allowed_roles = MANAGE_API_TOKENS
    breadcrumb_links = (("Membres", "members"), TOKENS_CRUMB)


class TokenListView(TokensAdminMixin, ListView):
    template_name = "api/tokens/list.html"
    context_object_name = "tokens"
    breadcrumb_links = (("Membres", "members"),)
    breadcrumb_current = "Jetons d'API"

    def get_queryset(self):
        return selectors.tokens_of(organisation=self.organisation)


class TokenCreateView(TokensAdminMixin, FormView):
    template_name = "api/tokens/create.html"
    form_class = TokenForm
    breadcrumb_current = "Créer un jeton"

    def get_initial(self):
        return {"expires_on": timezone.localdate() + datetime.timedelta(days=DEFAULT_VALIDITY_DAYS)}

    def form_valid(self, form):
        # Valid until the end of the chosen day, Paris time.
        expires_at = timezone.make_aware(
            datetime.datetime.combine(form.cleaned_data["expires_on"] + datetime.timedelta(days=1), datetime.time())
        )
        created = services.create_token(
            organisation=self.organisation,
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            expires_at=expires_at,
            created_by=self.request.user,
        )
        # Shown on this answer only (never stored in clear, never redirected to, never cached: NoStoreMixin).
        return self.render_to_response(self.get_context_data(created=created.token, secret=created.secret))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TokenRevokeView(TokensAdminMixin, TemplateView):
    """A confirmation page, then the revocation."""

    template_name = "api/tokens/revoke.html"
    breadcrumb_current = "Révoquer"

    def load_scoped_objects(self) -> None:
        self.token = selectors.token_of(organisation=self.organisation, pk=self.kwargs["pk"])
        if self.token is None:
            raise Http404("Ce jeton n'existe pas.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=self.token, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.token.is_revoked:
            messages.info(request, f"Le jeton «\u00a0{self.token.name}\u00a0» était déjà révoqué.")
        else:
            services.revoke_token(token=self.token, revoked_by=request.user)
            messages.success(
                request,
                f"Le jeton «\u00a0{self.token.name}\u00a0» est révoqué\u00a0: ses prochains appels sont refusés.",
            )
        return redirect("api_tokens:list")


class CallLogView(TokensAdminMixin, ListView):
    template_name = "api/tokens/calls.html"
    context_object_name = "calls"
    paginate_by = CALLS_PER_PAGE
    breadcrumb_current = "Journal des appels"

    def get_queryset(self):
        return selectors.calls_of(organisation=self.organisation)
