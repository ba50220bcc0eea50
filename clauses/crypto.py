"""Encryption of a participant's one health datum: the RQTH (reconnaissance de la qualité de travailleur handicapé).

The flag never sits in clear in the database: it is a Fernet token (AES-128-CBC and HMAC-SHA256, with a random
IV, so "yes" and "no" give different tokens each time and the column reveals nothing). The key is derived from
SECRET_KEY with HKDF and a purpose label. Consequence, on purpose: rotating SECRET_KEY makes the stored flags
unreadable (they then read as "unknown"), it never reveals them; facilitators re-enter them.
"""

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"clauses.participant.rqth.v1"
_YES, _NO = b"rqth:oui", b"rqth:non"


@cache
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_flag(value: bool | None) -> str:
    """A token for yes or no; the empty string for "not said"."""
    if value is None:
        return ""
    return _fernet(settings.SECRET_KEY).encrypt(_YES if value else _NO).decode()


def decrypt_flag(token: str) -> bool | None:
    """True, False, or None when not said or unreadable (a SECRET_KEY rotation, a tampered value)."""
    if not token:
        return None
    try:
        clear = _fernet(settings.SECRET_KEY).decrypt(token.encode())
    except InvalidToken:
        return None
    return {_YES: True, _NO: False}.get(clear)
