"""The one home of the HTTP calls to the public registers: the API Egapro and the API Recherche d'entreprises.

Every call goes to the source's configured base URL (settings `EGAPRO_API_BASE_URL`, `COMPANY_REGISTER_BASE_URL`;
empty: the source is off), gives up after `REGISTERS_TIMEOUT_SECONDS` in all (connection, answer and body
together), never follows a redirect, and checks the answer's shape: a redirection, an unexpected status or body
is `SourceChanged` ("the source changed"), never read as an answer. Answers (and "none found") are cached
`REGISTERS_CACHE_SECONDS` in Django's cache. A circuit breaker spares the pages a source that is down: after
`REGISTERS_BREAKER_FAILURES` failures in a row (timeout, refused connection, 5xx), calls fail at once for
`REGISTERS_BREAKER_SECONDS`; a 429 leaves the source alone for its `Retry-After`. The company register allows
7 requests a second per address: beyond `COMPANY_REGISTER_MAX_PER_SECOND` in one second, calls fail at once.
"""

import datetime
import http.client
import json
import logging
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.text import capfirst

from registers import enums
from registers.enums import HEADCOUNT_BRACKETS

logger = logging.getLogger(__name__)

# A register's answer is a few kilobytes: a larger body is not the answer we know.
MAX_BODY_BYTES = 1024 * 1024
USER_AGENT = "egalite-commande-publique (plateforme des acheteurs publics)"


@dataclass(frozen=True)
class Source:
    key: str
    label: str  # French, in a sentence: « l'API Egapro ne répond pas »
    base_url_setting: str
    max_per_second_setting: str = ""

    @property
    def base_url(self) -> str:
        return (getattr(settings, self.base_url_setting, "") or "").rstrip("/")

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)


EGAPRO = Source("egapro", "l'API Egapro", "EGAPRO_API_BASE_URL")
COMPANY_REGISTER = Source(
    "company_register", "le répertoire des entreprises", "COMPANY_REGISTER_BASE_URL", "COMPANY_REGISTER_MAX_PER_SECOND"
)


class SourceError(Exception):
    """The source gave no usable answer; `notice` says so in French, for the page."""

    def __init__(self, source: Source, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source.key}: {reason}")

    @property
    def notice(self) -> str:
        return f"{capfirst(self.source.label)} n'a pas pu être consulté·e ({self.reason})."


class SourceOff(SourceError):
    @property
    def notice(self) -> str:
        return f"La consultation de {self.source.label} n'est pas activée sur cette plateforme."


class SourceDown(SourceError):
    @property
    def notice(self) -> str:
        return (
            f"{capfirst(self.source.label)} ne répond pas pour le moment ({self.reason})\u00a0: rien n'a été vérifié, "
            "réessayez plus tard."
        )


class SourceChanged(SourceError):
    @property
    def notice(self) -> str:
        return (
            f"{capfirst(self.source.label)} a changé la forme de ses réponses ({self.reason})\u00a0: rien n'en a été "
            "lu. L'équipe de la plateforme est prévenue."
        )


# --- Circuit breaker and rate limit (Django's cache: shared by every process when it is Redis) ---------------------


def _breaker_key(source: Source) -> str:
    return f"registers:breaker:{source.key}"


def _failures_key(source: Source) -> str:
    return f"registers:failures:{source.key}"


def _open_breaker(source: Source, seconds: float) -> None:
    seconds = max(1, int(seconds))
    cache.set(_breaker_key(source), time.time() + seconds, timeout=seconds)


def _check_breaker(source: Source) -> None:
    until = cache.get(_breaker_key(source))
    if until is not None and until > time.time():
        raise SourceDown(source, "source indisponible, nouvel essai dans quelques minutes")


def _record_failure(source: Source) -> None:
    key = _failures_key(source)
    cache.add(key, 0, timeout=settings.REGISTERS_BREAKER_SECONDS * 10)
    try:
        failures = cache.incr(key)
    except ValueError:
        failures = 1
    if failures >= settings.REGISTERS_BREAKER_FAILURES:
        _open_breaker(source, settings.REGISTERS_BREAKER_SECONDS)
        cache.delete(key)


def _record_success(source: Source) -> None:
    cache.delete(_failures_key(source))


def _take_rate_token(source: Source) -> None:
    if not source.max_per_second_setting:
        return
    limit = getattr(settings, source.max_per_second_setting)
    key = f"registers:rate:{source.key}:{int(time.time())}"
    cache.add(key, 0, timeout=2)
    try:
        used = cache.incr(key)
    except ValueError:
        used = 1
    if used > limit:
        raise SourceDown(source, "trop de demandes en une seconde")


def retry_after_seconds(value: str | None) -> int:
    """A Retry-After header (seconds, or an HTTP date) -> seconds to wait, within [1, the configured maximum]."""
    maximum = settings.REGISTERS_RETRY_AFTER_MAX_SECONDS
    default = settings.REGISTERS_BREAKER_SECONDS
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return max(1, min(int(value), maximum))
    try:
        moment = datetime.datetime.strptime(value, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=datetime.UTC)
    except ValueError:
        return default
    return max(1, min(int((moment - timezone.now()).total_seconds()), maximum))


# --- The request ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def fetch(url: str, *, timeout: float, max_bytes: int = MAX_BODY_BYTES) -> Answer:
    """GET `url`, redirects not followed, `timeout` seconds in all; raises OSError (socket.timeout included)."""
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + timeout

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("délai dépassé")
        return left

    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    elif parts.scheme == "http":
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    else:
        raise ValueError(f"Adresse non prise en charge : {url}")
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        connection.request("GET", target, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
        sock = connection.sock
        sock.settimeout(remaining())
        response = connection.getresponse()
        body = bytearray()
        while True:
            sock.settimeout(remaining())
            chunk = response.read1(64 * 1024) if hasattr(response, "read1") else response.read(64 * 1024)
            if not chunk:
                break
            body.extend(chunk)
            if len(body) > max_bytes:
                raise http.client.HTTPException("réponse trop longue")
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, bytes(body))
    finally:
        connection.close()


def get_json(source: Source, path: str) -> object | None:
    """The JSON body of GET base_url + path: None for a 404 (nothing found); raises SourceOff, SourceDown or
    SourceChanged. Cached, behind the breaker and the rate limit."""
    if not source.enabled:
        raise SourceOff(source, "désactivée")
    cache_key = f"registers:answer:{source.key}:{path}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached["body"]
    _check_breaker(source)
    _take_rate_token(source)
    try:
        answer = fetch(source.base_url + path, timeout=settings.REGISTERS_TIMEOUT_SECONDS)
    except (OSError, http.client.HTTPException) as error:
        _record_failure(source)
        timed_out = isinstance(error, TimeoutError | socket.timeout)
        reason = "délai de réponse dépassé" if timed_out else "connexion impossible"
        logger.warning("Registre %s injoignable : %s", source.key, error)
        raise SourceDown(source, reason) from error
    if answer.status == 429:
        _open_breaker(source, retry_after_seconds(answer.headers.get("retry-after")))
        raise SourceDown(source, "limite de demandes atteinte")
    if answer.status >= 500:
        _record_failure(source)
        raise SourceDown(source, f"erreur {answer.status} de la source")
    _record_success(source)
    if answer.status == 404:
        cache.set(cache_key, {"body": None}, timeout=settings.REGISTERS_CACHE_SECONDS)
        return None
    if 300 <= answer.status < 400:
        location = answer.headers.get("location", "")
        logger.error("Registre %s : redirection %s vers %s", source.key, answer.status, location)
        raise SourceChanged(source, f"redirection {answer.status} vers une nouvelle adresse")
    if answer.status != 200:
        logger.error("Registre %s : statut inattendu %s", source.key, answer.status)
        raise SourceChanged(source, f"statut {answer.status} inattendu")
    try:
        body = json.loads(answer.body)
    except (ValueError, RecursionError) as error:  # RecursionError: arrays nested deeper than Python's reader goes
        raise SourceChanged(source, "réponse qui n'est pas du JSON") from error
    cache.set(cache_key, {"body": body}, timeout=settings.REGISTERS_CACHE_SECONDS)
    return body


# --- API Egapro ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiDeclaration:
    """What the API says of one company's declaration for one year: only `déclaration.index` is trusted (the API
    omits some sub-notes and may show drafts not yet submitted)."""

    siren: str
    year: int
    index: int | None  # None: not computable


def egapro_declaration(*, siren: str, year: int) -> ApiDeclaration | None:
    """The declaration of `siren` for `year` (the year of the indicators), None when there is none (404)."""
    body = get_json(EGAPRO, f"/api/public/declaration/{urllib.parse.quote(siren)}/{int(year)}")
    if body is None:
        return None
    declaration = body.get("déclaration") if isinstance(body, dict) else None
    if not isinstance(declaration, dict) or "index" not in declaration:
        logger.error("API Egapro : réponse sans « déclaration.index » pour %s/%s", siren, year)
        raise SourceChanged(EGAPRO, "réponse sans «\u00a0déclaration.index\u00a0»")
    index = declaration["index"]
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= 100):
        raise SourceChanged(EGAPRO, "note d'index hors de 0 à 100")
    return ApiDeclaration(siren=siren, year=int(year), index=index)


# --- API Recherche d'entreprises -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyFacts:
    """What the company register says of the company of a SIRET."""

    siret: str
    siren: str
    name: str
    headcount_bracket: str  # INSEE code (registers.enums.HEADCOUNT_BRACKETS), "" when unknown
    naf: str
    administrative_status: str  # "A" active, "C" closed

    def as_dict(self) -> dict:
        return {
            "siret": self.siret,
            "siren": self.siren,
            "name": self.name,
            "headcount_bracket": self.headcount_bracket,
            "naf": self.naf,
            "administrative_status": self.administrative_status,
        }


def _text(value: object, *, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SourceChanged(COMPANY_REGISTER, f"champ «\u00a0{field}\u00a0» inattendu")
    return value.strip()


def company_by_siret(*, siret: str) -> CompanyFacts | None:
    """The company of `siret` (14 digits) in the register, None when the register does not know it."""
    body = get_json(COMPANY_REGISTER, f"/search?{urllib.parse.urlencode({'q': siret, 'page': 1, 'per_page': 5})}")
    if body is None:
        return None
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list) or not all(isinstance(result, dict) for result in results):
        raise SourceChanged(COMPANY_REGISTER, "réponse sans liste «\u00a0results\u00a0»")
    siren = siret[:9]
    for result in results:
        if result.get("siren") != siren:
            continue
        bracket = _text(result.get("tranche_effectif_salarie"), field="tranche_effectif_salarie")
        return CompanyFacts(
            siret=siret,
            siren=siren,
            name=_text(result.get("nom_raison_sociale"), field="nom_raison_sociale")
            or _text(result.get("nom_complet"), field="nom_complet"),
            headcount_bracket=bracket if bracket in HEADCOUNT_BRACKETS else "",
            naf=_text(result.get("activite_principale"), field="activite_principale"),
            administrative_status=_text(result.get("etat_administratif"), field="etat_administratif"),
        )
    return None


SOURCE_LABELS = {EGAPRO.key: enums.EGAPRO_API_SOURCE_LABEL, COMPANY_REGISTER.key: enums.COMPANY_REGISTER_SOURCE_LABEL}
