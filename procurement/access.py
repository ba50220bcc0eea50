"""Who may open a staff page: a member of the current organisation with an allowed role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from procurement.permissions import ANY_MEMBER, EDIT_MARKETS


class OrganisationMemberMixin(LoginRequiredMixin):
    """Requires a membership in the current organisation; `allowed_roles` narrows it."""

    allowed_roles: frozenset[str] = ANY_MEMBER

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.membership is None:
            raise PermissionDenied("Votre compte n'est rattaché à aucune organisation.")
        self.organisation = request.organisation
        # Another organisation's object answers 404 whatever the role: its existence is not revealed.
        self.load_scoped_objects()
        if request.membership.role not in self.allowed_roles:
            raise PermissionDenied("Votre rôle ne donne pas accès à cette page.")
        return super().dispatch(request, *args, **kwargs)

    def load_scoped_objects(self) -> None:
        """Loads the URL's objects within the current organisation, before anything else (404 first)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit_markets"] = self.request.membership.role in EDIT_MARKETS
        return context
