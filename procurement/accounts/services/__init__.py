"""Account services: security (login and password-reset throttles, second factor) in `security`, an organisation's
members and invitations in `members`, each person's own account in `profile`.

The security functions are also reachable here (`account_services.confirmed_device`), as before the split."""

from procurement.accounts.services.security import (
    DEVICE_NAME,
    LoginThrottle,
    PasswordResetThrottle,
    confirm_enrolment,
    confirmed_device,
    disable,
    is_required,
    is_throttled,
    manual_key,
    pending_device,
    verify,
)

__all__ = [
    "DEVICE_NAME",
    "LoginThrottle",
    "PasswordResetThrottle",
    "confirm_enrolment",
    "confirmed_device",
    "disable",
    "is_required",
    "is_throttled",
    "manual_key",
    "pending_device",
    "verify",
]
