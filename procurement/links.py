"""The candidates' links to the annexe égalité and their QR codes: the only module that builds them; and the
absolute links that e-mails carry (`absolute_url`).

A market's link carries its unguessable token; the organisation's generic link serves calls made outside the
platform. Both are absolute: on the request's host when there is a request (the page the staff is looking at),
else on `PLATFORM_BASE_URL` (commands, demo data, documents made outside a request).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.urls import reverse

if TYPE_CHECKING:  # the stamping benchmark imports this module without configuring Django
    from django.http import HttpRequest

    from procurement.models import Market, Organisation

QR_ERROR_CORRECTION = "m"  # about 15 % of the code may be damaged (a printed page, a folded sheet)


def market_candidate_url(market: Market, *, request: HttpRequest | None = None, base_url: str | None = None) -> str:
    """The market's link to the annex: candidates answer for this market."""
    path = reverse("questionnaire:market_entry", kwargs={"token": market.candidate_token})
    return _absolute(path, request=request, base_url=base_url)


def organisation_candidate_url(
    organisation: Organisation, *, request: HttpRequest | None = None, base_url: str | None = None
) -> str:
    """The organisation's generic link to the annex, without a market (the candidate names the call)."""
    path = reverse("questionnaire:organisation_entry", kwargs={"slug": organisation.slug})
    return _absolute(path, request=request, base_url=base_url)


def absolute_url(path: str, *, request: HttpRequest | None = None, base_url: str | None = None) -> str:
    """`path` on the request's host, else on `PLATFORM_BASE_URL`: the links sent by e-mail (invitations,
    confirmation of a new address) as the candidates' links."""
    return _absolute(path, request=request, base_url=base_url)


def _absolute(path: str, *, request: HttpRequest | None, base_url: str | None) -> str:
    if request is not None and base_url is None:
        return request.build_absolute_uri(path)
    return (base_url or settings.PLATFORM_BASE_URL).rstrip("/") + path


def qr_png(url: str) -> bytes:
    """A PNG QR code of `url`, for documents (cahiers des charges, fiches de renseignements)."""
    buffer = io.BytesIO()
    segno.make(url, error=QR_ERROR_CORRECTION).save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def qr_svg(url: str, *, title: str) -> bytes:
    """A standalone SVG file (with its XML namespace) of `url`, so that <img> and downloads both work."""
    buffer = io.BytesIO()
    segno.make(url, error=QR_ERROR_CORRECTION).save(buffer, kind="svg", scale=4, title=title)
    return buffer.getvalue()


def qr_svg_inline(url: str, *, title: str) -> str:
    """An <svg> element of `url` to write inside a page (the second factor's enrolment)."""
    return segno.make(url, error=QR_ERROR_CORRECTION).svg_inline(scale=5, title=title)
