"""The deadline rush, for locust (started by benchmarks/load/run.py, which sets the LOAD_* variables).

- `Company`: opens a market's annex link and walks every step with pauses (reading, typing), attaching a small PDF,
  then submits; each company runs once. They arrive spread over LOAD_MINUTES.
- `BurstCompany`: the same walk, but LOAD_BURST of them wait on their summary page and all submit within the same
  minute, halfway through the rush (the last clicks before the deadline).
- `StaffExport`: a buyer signed in, downloading every 20 seconds the raw export of the responses (CSV or XLSX)
  or the statistics workbook of the year.

The forms are read from the pages themselves (field names, wizard management fields, CSRF token), so the walk
follows the product instead of duplicating its field list. The clients talk to gunicorn as the reverse proxy of
production does: over plain HTTP on loopback, saying X-Forwarded-Proto: https and each company's own address in
X-Forwarded-For; secure cookies therefore travel over that loopback HTTP, as they travel over TLS to a browser.
"""

import itertools
import json
import os
import random
import re
import sys
import threading
import time
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy

import gevent
from locust import HttpUser, between, constant, events, task

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from procurement.validators import with_luhn_key  # noqa: E402 (the project's root, put on the path just above)

FIXTURES = json.loads(open(os.environ["LOAD_FIXTURES"]).read())  # noqa: SIM115
COMPANIES = int(os.environ.get("LOAD_COMPANIES", "200"))
BURST = int(os.environ.get("LOAD_BURST", "50"))
MINUTES = float(os.environ.get("LOAD_MINUTES", "6"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HONEYPOTS = re.compile(r"site_internet|website|site_web|homepage|honeypot|url$", re.IGNORECASE)
# Companies arrive spread over the rush, the last ones with a minute left to finish before the run ends.
ARRIVALS_SECONDS = max(MINUTES * 60 - 60, 1)
# The burst comes halfway through, on top of the companies still walking: its submissions land within a minute;
# its companies fill in their annex during the first third of the rush.
BURST_AT_SECONDS = MINUTES * 60 / 2
BURST_FILLING_SECONDS = max(BURST_AT_SECONDS - 120, 1)
STARTED = time.monotonic()
_counter = itertools.count(1)
_sent = {"sent": 0}
_lock = threading.Lock()


class _Form(HTMLParser):
    """The first POST form of a page: its action and fields (inputs, selects with options, textareas)."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self._in_form, self._select, self._done = None, [], False, None, False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and not self._done and (attributes.get("method") or "").lower() == "post":
            self._in_form, self.action = True, attributes.get("action") or ""
        elif self._in_form and tag in ("input", "textarea"):
            self.fields.append({"tag": tag, **attributes})
        elif self._in_form and tag == "select":
            self._select = {"tag": "select", "options": [], **attributes}
            self.fields.append(self._select)
        elif self._in_form and tag == "option" and self._select is not None:
            self._select["options"].append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True
        elif tag == "select":
            self._select = None


def _siret(number: int) -> str:
    return with_luhn_key(f"{400000000 + number:09d}0000"[:13])


def _value(field: dict, number: int):
    name = field.get("name") or ""
    kind = (field.get("type") or "text").lower()
    if kind in ("hidden", "submit", "button") or HONEYPOTS.search(name):
        return field.get("value")
    if kind == "file":
        return None
    if field["tag"] == "select":
        options = [option for option in field["options"] if option]
        return options[0] if options else ""
    if kind in ("radio", "checkbox"):
        return field.get("value")
    lowered = name.lower()
    if "siret" in lowered:
        return _siret(number)
    if "email" in lowered:
        return f"contact{number}@entreprise.example"
    if "pct" in lowered or "share" in lowered:
        return str(random.randint(10, 60))  # noqa: S311
    if re.search(r"(cadres|non_cadres)_(f|h)$", lowered):
        return str(random.randint(0, 40))  # noqa: S311
    if re.search(r"_(nb|nsp)$", lowered):
        return "0"
    if "score" in lowered or "index" in lowered:
        return str(random.randint(70, 99))  # noqa: S311
    if "year" in lowered or "annee" in lowered:
        return "2026"
    if field["tag"] == "textarea" or "detail" in lowered or "text" in lowered:
        return "Accord d'entreprise signé en 2025 ; référente égalité nommée."
    if "name" in lowered or "nom" in lowered:
        return f"Entreprise de charge {number}"
    return field.get("value") or "1"


class _BehindTheProxy(DefaultCookiePolicy):
    """Secure cookies go back to the server although the loopback hop is plain HTTP (see the module's docstring):
    they are kept without their Secure flag (requests copies the cookies into a jar of its own for each request, so
    a policy on sending would not be consulted)."""

    def set_ok(self, cookie, request):
        cookie.secure = False
        return super().set_ok(cookie, request)


class _Walker(HttpUser):
    abstract = True
    submit_at: float | None = None

    def on_start(self):
        self.number = next(_counter)
        self.client.cookies.set_policy(_BehindTheProxy())
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.client.headers["X-Forwarded-For"] = f"10.{self.number // 250}.{self.number % 250}.7"

    def walk(self):
        token = random.choice(FIXTURES["tokens"])  # noqa: S311
        response = self.client.get(f"/annexe/{token}/", name="annexe : lien du marché")
        # The entry page's button opens a draft, then each page is a step until the receipt.
        for _ in range(12):
            form = _Form()
            form.feed(response.text)
            if not form.fields:
                break
            step = _step_of(response.url)
            data, files = self._answers(form)
            if step != "entree":
                self.wait()  # reading and typing
            if step == "recapitulatif" and self.submit_at is not None:
                gevent.sleep(max(self.submit_at - (time.monotonic() - STARTED), 0))
            response = self.client.post(
                form.action or response.url,
                data=data,
                files=files or None,
                # Django's CSRF check wants the page the form came from, as the browser saw it (over HTTPS).
                headers={"Referer": response.url.replace("http://", "https://", 1)},
                name=f"annexe : envoi {step}",
            )
            if not response.ok:
                break
            if step == "recapitulatif":
                with _lock:
                    _sent["sent"] += 1
            if "accuse-de-reception" in response.url:
                pdf = re.search(r'href="([^"]+\.pdf)"', response.text)
                if pdf:
                    self.wait()  # reading the confirmation page before downloading its receipt
                    self.client.get(pdf.group(1), name="annexe : accusé de réception PDF")
                break

    def _answers(self, form: "_Form") -> tuple[dict, dict]:
        data, files, radios = {}, {}, set()
        for field in form.fields:
            name = field.get("name")
            kind = (field.get("type") or "").lower()
            if not name or kind == "checkbox":
                continue
            if kind == "file":
                files[name] = ("politique-egalite.pdf", PDF, "application/pdf")
                continue
            if kind == "radio":
                if name in radios:
                    continue
                radios.add(name)
            value = _value(field, self.number)
            if value is not None:
                data[name] = value
        return data, files


def _answer_once(user: _Walker) -> None:
    """Each company answers once, then stays idle (locust would replace a stopped user by a new one)."""
    if getattr(user, "answered", False):
        gevent.sleep(3600)
        return
    user.answered = True
    user.walk()


def _step_of(url: str) -> str:
    match = re.search(r"/annexe/reprendre/[^/]+/([a-z-]+)/$", url)
    return match.group(1) if match else "entree"


class Company(_Walker):
    weight = COMPANIES
    wait_time = between(2, 8)

    def on_start(self):
        super().on_start()
        gevent.sleep(random.uniform(0, ARRIVALS_SECONDS))  # noqa: S311

    @task
    def answer(self):
        _answer_once(self)


class BurstCompany(_Walker):
    weight = BURST
    wait_time = between(2, 8)

    def on_start(self):
        super().on_start()
        self.submit_at = BURST_AT_SECONDS + random.uniform(0, 60)  # noqa: S311
        gevent.sleep(random.uniform(0, BURST_FILLING_SECONDS))  # noqa: S311

    @task
    def answer(self):
        _answer_once(self)


class StaffExport(HttpUser):
    fixed_count = 1
    wait_time = constant(20)

    def on_start(self):
        self.client.cookies.set_policy(_BehindTheProxy())
        self.client.headers["X-Forwarded-Proto"] = "https"
        page = self.client.get("/connexion/", name="personnel : connexion")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/connexion/",
            data={
                "csrfmiddlewaretoken": token,
                "username": FIXTURES["staff_email"],
                "password": FIXTURES["staff_password"],
            },
            headers={"Referer": self.host.replace("http://", "https://", 1) + "/connexion/"},
            name="personnel : connexion",
        )

    @task
    def export_xlsx(self):
        self.client.get("/annexe-egalite/export.xlsx", name="personnel : export XLSX des réponses")

    @task
    def export_csv(self):
        self.client.get("/annexe-egalite/export.csv", name="personnel : export CSV des réponses")

    @task
    def statistics(self):
        self.client.get(FIXTURES["statistics_workbook"], name="personnel : classeur des statistiques")


@events.test_stop.add_listener
def _write_sent(**_kwargs):
    path = os.environ.get("LOAD_SENT_FILE")
    if path:
        with open(path, "w") as output:
            json.dump(_sent, output)
