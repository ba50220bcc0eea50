"""Account security: throttling of failed logins and of password resets; the second factor (TOTP): any member may
enrol, admins must.

django-otp stores the devices and checks the codes (with its own throttling after failed attempts);
these functions hold our rules around it."""

import base64

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from procurement.models import Membership, User
from procurement.permissions import NEED_SECOND_FACTOR


class LoginThrottle:
    """Counts failed logins per email and per IP address in the cache."""

    def __init__(self, *, email: str, ip: str):
        self.keys = [f"login-failures:email:{email}", f"login-failures:ip:{ip}"]

    def is_locked(self) -> bool:
        email_failures, ip_failures = (cache.get(key, 0) for key in self.keys)
        # An IP is shared by a whole office: allow it more tries than one account.
        return email_failures >= settings.LOGIN_MAX_FAILURES or ip_failures >= settings.LOGIN_MAX_FAILURES * 4

    def record_failure(self) -> None:
        for key in self.keys:
            cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
            cache.incr(key)

    def reset(self) -> None:
        cache.delete(self.keys[0])


class PasswordResetThrottle:
    """Counts password-reset requests per email and per IP address in the cache, within a fixed window.

    Every request counts, whether the address has an account or not, so that being refused says nothing about
    the address; beyond the limit nothing is sent, and the page answers as usual.
    """

    def __init__(self, *, email: str, ip: str):
        self.keys = [f"password-reset:email:{email.strip().lower()}", f"password-reset:ip:{ip}"]
        self.limits = [settings.PASSWORD_RESET_MAX_PER_EMAIL, settings.PASSWORD_RESET_MAX_PER_IP]

    def allow(self) -> bool:
        """Counts this request; False when the email or the IP address went beyond its limit."""
        allowed = True
        for key, limit in zip(self.keys, self.limits, strict=True):
            cache.add(key, 0, timeout=settings.PASSWORD_RESET_WINDOW_SECONDS)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=settings.PASSWORD_RESET_WINDOW_SECONDS)
                count = 1
            allowed = allowed and count <= limit
        return allowed


DEVICE_NAME = "Application d'authentification"


def confirmed_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_required(*, user: User, memberships: list[Membership] | None = None) -> bool:
    """Administrators of an organisation and platform administrators must use a second factor.

    `memberships`: the user's active memberships when already loaded (the middleware has them), to save a query.
    """
    if not settings.SECOND_FACTOR_REQUIRED_FOR_ADMINS:
        return False
    if user.is_superuser:
        return True
    if memberships is not None:
        return any(membership.role in NEED_SECOND_FACTOR for membership in memberships)
    return Membership.objects.active().filter(user=user, role__in=NEED_SECOND_FACTOR).exists()


@transaction.atomic
def pending_device(*, user: User) -> TOTPDevice:
    """The device being enrolled: kept across page loads so that the QR code scanned stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_enrolment(*, device: TOTPDevice, token: str) -> bool:
    """Confirms the device when the code typed matches; replaces any earlier device of the user."""
    if device.confirmed or not device.verify_token(_digits(token)):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def verify(*, device: TOTPDevice, token: str) -> bool:
    return device.verify_token(_digits(token))


def is_throttled(*, device: TOTPDevice) -> bool:
    allowed, _ = device.verify_is_allowed()
    return not allowed


@transaction.atomic
def disable(*, user: User) -> bool:
    """Removes the second factor, unless the user must keep one."""
    if is_required(user=user):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True


def manual_key(device: TOTPDevice) -> str:
    """The secret in base 32, grouped by four, for applications where the QR code cannot be scanned."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _digits(token: str) -> str:
    # People type "123 456" as their app shows it.
    return "".join(token.split())
