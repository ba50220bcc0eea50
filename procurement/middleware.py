from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from procurement.accounts.services import security as account_security
from procurement.models import Membership
from procurement.selectors import active_memberships_of

SESSION_KEY = "current_organisation_id"


class CurrentOrganisationMiddleware:
    """Sets `request.membership` and `request.organisation` from the user's choice in session.

    A user may belong to several organisations; every staff page reads only the
    current one, so another organisation's objects are out of reach (404).

    The organisation in use is kept in the session. When its membership has been deactivated since, the open
    session is refused at once: it moves to another organisation of the user with a message, or, without any,
    it ends and the login page says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.organisation = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = active_memberships_of(user=request.user)
            request.memberships = memberships
            chosen_id = request.session.get(SESSION_KEY)
            membership = next((m for m in memberships if m.organisation_id == chosen_id), None)
            if membership is None and chosen_id is not None and _was_deactivated(request.user, chosen_id):
                if not memberships:
                    logout(request)
                    messages.error(request, DEACTIVATED_MESSAGE)
                    return redirect("login")
                messages.warning(request, DEACTIVATED_MESSAGE + " Vous voici dans une autre de vos organisations.")
            if membership is None and memberships:
                membership = memberships[0]
            if membership is not None:
                request.membership = membership
                request.organisation = membership.organisation
                if chosen_id != membership.organisation_id:
                    request.session[SESSION_KEY] = membership.organisation_id
        return self.get_response(request)


DEACTIVATED_MESSAGE = "Votre accès à cette organisation a été désactivé par un·e administrateur·rice."


def _was_deactivated(user, organisation_id) -> bool:
    return Membership.objects.filter(user=user, organisation_id=organisation_id, is_active=False).exists()


class SecondFactorMiddleware:
    """Sends a signed-in user to the second-factor step before any staff page.

    - a user with a confirmed device whose session is not yet verified types a code;
    - an administrator without a device enrols first (they must).
    Public pages (the candidates' annex), static files, logout and the second-factor pages themselves pass.
    """

    EXEMPT_PREFIXES = ("/static/", "/media/", "/annexe/")
    EXEMPT_URL_NAMES = ("logout", "second_factor_verify", "second_factor_setup")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect_to = self._redirect_for(request)
        if redirect_to is not None:
            return redirect_to
        return self.get_response(request)

    def _redirect_for(self, request):
        if not request.user.is_authenticated or request.path.startswith(self.EXEMPT_PREFIXES):
            return None
        if request.path in {reverse(name) for name in self.EXEMPT_URL_NAMES}:
            return None
        next_query = "?" + urlencode({"next": request.get_full_path()})
        if account_security.confirmed_device(user=request.user) is not None:
            if not request.user.is_verified():
                return redirect(reverse("second_factor_verify") + next_query)
            return None
        if account_security.is_required(user=request.user, memberships=request.memberships):
            return redirect(reverse("second_factor_setup") + next_query)
        return None
