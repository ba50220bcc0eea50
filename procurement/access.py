"""Who may open a staff page: a member of the current organisation with an allowed role, or a platform
administrator for the platform's own pages; and that no cache keeps what such a page shows."""

import functools

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers

from procurement.permissions import ANY_MEMBER, EDIT_MARKETS


class NoStoreMixin:
    """For pages and files that show personal or unpublished data: neither the browser nor a proxy keeps a copy
    (`Cache-Control: no-store`, as `never_cache`), so the back button or the next user of a shared computer does not
    find them after logout. A view that sets its own Cache-Control (the QR code of the public annex link) keeps it.

    Every staff page has it (OrganisationMemberMixin); the pages behind a candidate's resume token too (the annex
    wizard, the confirmation and the receipt)."""

    @classmethod
    def as_view(cls, **initkwargs):
        # Around the whole view rather than in dispatch(): the annex wizard's dispatch does not call super().
        view = super().as_view(**initkwargs)

        @functools.wraps(view)
        def no_store(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if not response.has_header("Cache-Control"):
                add_never_cache_headers(response)
            return response

        return no_store


class OrganisationMemberMixin(NoStoreMixin, LoginRequiredMixin):
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


class PlatformAdminMixin(NoStoreMixin, LoginRequiredMixin):
    """The platform's own pages (organisations, public registers): platform administrators only, whatever their
    membership; anyone else signed in gets a 403, anyone signed out the login page."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_superuser:
            raise PermissionDenied("Cette page est réservée aux administrateur·rices de la plateforme.")
        return super().dispatch(request, *args, **kwargs)
