"""Ordinary documents once refused are stamped with every other part unchanged; Strict Open XML gets its own
message; what is really dangerous next to them (a remote template, an OLE object as a chart's data) stays refused."""

import pytest

from procurement.specifications.docx.safety import UnsafeDocument
from procurement.specifications.docx.stamping import stamp_docx
from tests.procurement.specifications import cctp
from tests.procurement.specifications.helpers import (
    ANNEX_QR_PNG,
    CONTENT_TYPES,
    MAIN,
    MAIN_RELS,
    entries,
    full_text,
    texts,
)

ORDINARY = {
    "modele-local.docx": cctp.local_template,
    "normal-dotm.docx": cctp.bare_normal_template,
    "graphique.docx": cctp.native_chart,
}


def stamp(content: bytes, name: str = "cahier.docx"):
    return stamp_docx(content, filename=name, texts=texts(base_vie=True), qr_code_png=ANNEX_QR_PNG)


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_an_ordinary_document_is_stamped_with_every_other_part_unchanged(name):
    source = ORDINARY[name]()
    before, after = entries(source), entries(stamp(source, name).content)

    assert ENCART_TITLE in full_text(stamp(source, name).content)
    for part_name, data in before.items():
        if part_name not in {MAIN, MAIN_RELS, CONTENT_TYPES, "word/numbering.xml"}:
            assert after[part_name] == data, part_name
    assert set(after) - set(before) == {"word/media/egalite-qr.png"}


ENCART_TITLE = texts(base_vie=True).encart_title


def test_the_local_template_relationship_is_kept_as_it_was():
    source = cctp.local_template()
    after = entries(stamp(source).content)

    assert after["word/_rels/settings.xml.rels"] == entries(source)["word/_rels/settings.xml.rels"]
    assert b"attachedTemplate" in after["word/settings.xml"]


def test_the_chart_and_its_workbook_are_kept():
    source = cctp.native_chart()
    after = entries(stamp(source).content)

    assert after["word/embeddings/Microsoft_Excel_Worksheet.xlsx"].startswith(b"PK")
    assert b"rIdChart1" in after[MAIN]


@pytest.mark.parametrize(
    ("build", "code"),
    [(cctp.network_template, "external_relationship"), (cctp.chart_with_ole_workbook, "ole_object")],
)
def test_a_template_on_a_network_share_and_an_ole_object_stay_refused(build, code):
    with pytest.raises(UnsafeDocument) as refusal:
        stamp(build())

    assert refusal.value.code == code


def test_strict_open_xml_gets_its_own_message():
    with pytest.raises(UnsafeDocument) as refusal:
        stamp(cctp.strict_open_xml())

    assert refusal.value.code == "strict_ooxml"
    assert "Strict Open XML" in refusal.value.message
    assert "Enregistrer sous" in refusal.value.message
    assert "word/document.xml" not in refusal.value.message


@pytest.mark.parametrize(
    "target",
    ["file:///C:/Users/agent/Images/plan.png", "file://localhost/Users/agent/plan.png", "plan%20de%20masse.png"],
)
def test_a_picture_linked_to_a_file_of_the_authors_disk_is_kept_as_it_is(target):
    source = cctp.linked_picture(target)
    after = entries(stamp(source).content)

    assert ENCART_TITLE in full_text(stamp(source).content)
    assert f'Target="{target}"'.encode() in after[MAIN_RELS]


@pytest.mark.parametrize(
    "target",
    [
        "file://serveur.example/images/plan.png",
        "\\\\serveur.example\\partage\\plan.png",
        "https://traceur.example/p.png",
    ],
)
def test_a_picture_linked_to_another_machine_is_refused_with_what_to_do(target):
    with pytest.raises(UnsafeDocument) as refusal:
        stamp(cctp.linked_picture(target))

    assert refusal.value.code == "external_relationship"
    assert "Insertion > Images" in refusal.value.message
    assert "modèle attaché" not in refusal.value.message
