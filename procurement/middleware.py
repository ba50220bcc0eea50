from procurement.selectors import active_memberships_of

SESSION_KEY = "current_organisation_id"


class CurrentOrganisationMiddleware:
    """Sets `request.membership` and `request.organisation` from the user's choice in session.

    A user may belong to several organisations; every staff page reads only the
    current one, so another organisation's objects are out of reach (404).
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
            if membership is None and memberships:
                membership = memberships[0]
            if membership is not None:
                request.membership = membership
                request.organisation = membership.organisation
        return self.get_response(request)
