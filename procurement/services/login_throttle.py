from django.conf import settings
from django.core.cache import cache


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
