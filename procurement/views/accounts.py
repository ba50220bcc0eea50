from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import TemplateView

from procurement.forms import PasswordResetForm, SetPasswordForm, ThrottledAuthenticationForm
from procurement.middleware import SESSION_KEY
from procurement.services.organisations import can_switch_to


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    extra_email_context = {"platform_name": settings.PLATFORM_NAME}
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class HomeView(LoginRequiredMixin, TemplateView):
    """Staff land on their markets; people without membership get an explanation."""

    template_name = "home_without_organisation.html"

    def get(self, request, *args, **kwargs):
        if request.membership is not None:
            return redirect("procurement:market_list")
        return super().get(request, *args, **kwargs)


class SwitchOrganisationView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            organisation_id = int(request.POST.get("organisation", ""))
        except ValueError:
            organisation_id = 0
        if can_switch_to(user=request.user, organisation_id=organisation_id):
            request.session[SESSION_KEY] = organisation_id
            messages.success(request, "Organisation changée.")
        else:
            messages.error(request, "Vous n'êtes pas rattaché·e à cette organisation.")
        # Another organisation's object would answer 404: go back to a list, not to that object.
        return HttpResponseRedirect(reverse_lazy("home"))
