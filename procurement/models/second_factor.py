from django_otp.plugins.otp_totp.models import TOTPDevice


class SecondFactorDevice(TOTPDevice):
    """django-otp's authenticator-app device under a French name, for the Django admin (procurement/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = "application d'authentification"
        verbose_name_plural = "applications d'authentification"
