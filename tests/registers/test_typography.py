"""French typography of what registers/ gives people to read: its labels (registers/enums.py: the sources shown
beside a published index, the headcount brackets, the checks of the staff list) and the badges of a response's
page (registers/selectors.py: mismatch_badges). A no-break space goes before « : », « ; », « ? », « ! », inside
« », between a number and « % » or « € », and a narrow one between thousands, as the pages of the other
applications (tests/test_staff_typography.py, whose crawl does not reach these texts: they need a published index and
a company register's answer). The reasons of a refused Egapro file are import messages (« ligne N : colonne :
raison »), which keep the spaces the commands print, like those of the other imports: they are not checked here."""

import re

import pytest
from django.db import models

from registers import enums
from registers.selectors import PublishedFigure, mismatch_badges
from tests.utils import text_typography_faults

# Thousands separated by an ordinary space (« 1 000 »): a line may break inside the number.
BREAKABLE_THOUSANDS = re.compile(r"\d[ \t]\d{3}(?!\d)")


def faults(text: str) -> list[str]:
    return [*text_typography_faults(text, units=True), *BREAKABLE_THOUSANDS.findall(text)]


def labels_of(module) -> list[tuple[str, str]]:
    """(name, text) of each label a module defines: its strings, the texts in its dicts (a tuple's last item, as
    HEADCOUNT_BRACKETS' labels) and its choices' labels."""
    found = []
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(value, str):
            found.append((name, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                text = item[-1] if isinstance(item, tuple) else item
                if isinstance(text, str):
                    found.append((f"{name}[{key!r}]", text))
        elif isinstance(value, type) and issubclass(value, models.Choices):
            found.extend((f"{name}.{member.name}", str(member.label)) for member in value)
    return found


def test_the_labels_of_the_registers_keep_their_signs_on_their_line():
    labels = labels_of(enums)

    assert {name for name, _text in labels} >= {
        "EGAPRO_SOURCE_LABEL",
        "HEADCOUNT_BRACKETS['42']",
        "IndexCheck.VERIFIED",
    }
    found = {name: fault for name, text in labels if (fault := faults(text))}
    assert found == {}


def test_the_badges_of_a_response_keep_their_signs_on_their_line():
    published = PublishedFigure(
        year=2024,
        siren="552100554",
        index=75,
        not_computable=False,
        source=enums.EGAPRO_SOURCE_LABEL,
        source_date=None,
    )
    cases = [
        {"declared_index": 75, "declared_not_computable": False, "published": published},
        {"declared_index": 88, "declared_not_computable": False, "published": published},
        {"declared_index": None, "declared_not_computable": True, "published": published},
    ]
    register = {"headcount_bracket": "12", "administrative_status": enums.CLOSED}  # 20 to 49, closed

    texts = [
        badge.text for case in cases for badge in mismatch_badges(**case, declared_headcount=1_200, register=register)
    ]

    assert "1\u202f200 salariés déclarés, tranche 20–49" in texts
    assert [text for text in texts if faults(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        "Index Egapro publié (fichier « index-egalite-fh », ministère du Travail)",
        "1 000–1 999",
        "1200 salariés déclarés, tranche 10 000 et plus",
        "Index vérifié : 88",
    ],
)
def test_the_check_finds_each_fault(text):
    assert faults(text)
