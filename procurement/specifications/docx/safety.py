"""Refuses hostile or unusable .docx files, with a French sentence that says what to do.

`open_docx()` reads the whole package in memory under limits and returns it parsed; nothing is written
anywhere, so a refused file leaves nothing behind. What is refused, and why:

- a name not ending in `.docx` (a `.docm` is named for its macros);
- anything that is not a zip archive (a legacy `.doc` or a password-protected document is an OLE file);
- zip bombs: more than 1,000 entries, more than 50 MB once decompressed, or a compression ratio above
  100:1 (for the whole archive, and for any entry of 1 MB or more: smaller entries cannot hurt);
- more than `MAX_XML_NODES` (2,000,000) tags and attributes in all the XML parts together, counted as the bytes
  "<" and "=" before anything is parsed: lxml takes 130 to 250 bytes for each, so that a 200 kB file of two
  million empty paragraphs, within every limit above, would take half a gigabyte and more. Below it, one stamping
  peaks under 500 MB whatever the file's shape (`benchmarks/specifications/bench_memory.py`);
- duplicate entry names (two readers could see two different documents) and encrypted entries;
- macros: the macro-enabled main content type, a `vbaProject.bin`, or any VBA content type;
- any DOCTYPE in any XML part (so no entity, internal or external, is ever declared), parsed with
  `resolve_entities=False, no_network=True` as a second line of defence;
- external relationships, except hyperlinks: a hyperlink is only followed when a reader clicks it, whereas
  an external template, image, frame or sub-document is fetched when the file is opened
  (template injection, tracking, NTLM leaks). Two exceptions, kept as they are, inert: an attached template
  and a linked picture ("Insérer et lier") on the author's own disk (`C:\\Users\\…\\Normal.dotm`,
  `file:///C:/…`, `file://localhost/Users/…`, a bare `Normal.dotm` or `image.png`): they name no other machine,
  Word looks for them on the reader's disk and carries on without them. A template or a picture at an address
  or on a network share (`http://…`, `\\\\server\\share`, `file://server/…`) stays refused, with advice
  for its kind (the picture to store in the document, the mail-merge source to detach...);
- `altChunk` (another document imported as is), OLE objects and embedded packages (`word/embeddings/`),
  and ActiveX controls. One embedded package is accepted: the workbook of a native chart (a `.xlsx` part, of
  the spreadsheet content type, that a chart part `word/charts/chartN.xml` points to): it holds the chart's
  data, opened only when someone edits the chart, never run;
- the ISO "Strict" flavour of OOXML, whose namespaces our stamping does not handle (its own message);
- zip entries whose names are absolute (`/x`, `C:\\x`), hold a backslash or climb out with `..`: an archive
  tool that extracts the stamped copy would write outside its folder (zip slip);
- relationship targets that are absolute addresses (`http://...`, `\\\\server\\share`) even without
  `TargetMode="External"`: Word fetches them all the same;
- fields that run or fetch something when Word updates them, in any part (body, headers, footers, notes,
  comments), as simple fields (`w:fldSimple/@w:instr`) or complex ones (`w:instrText`, however split across
  runs): `DDE` and `DDEAUTO` (they launch a program), `INCLUDEPICTURE`, `INCLUDETEXT` and `IMPORT` towards an
  address (a URL or a network share) or towards an address computed by another field.

A signed document (`_xmlsignatures/` parts, a digital-signature relationship) is accepted with a warning:
stamping changes it, so its signature no longer holds.

Memory: the decompressed bytes of the entries that are not XML are let go once their CRC is checked, before any
part is parsed, those of the XML parts when `open_docx()` returns: the package keeps their trees, and the stamped
copy takes the compressed bytes of unchanged entries from the upload (`DocxPackage.raw`). (Letting each part go
right after its parse would save 4 to 6 % more for a large document, but made opening about 10 % slower.)
"""

import lzma
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO

from lxml import etree

from procurement import spreadsheets
from procurement.specifications.docx import ooxml

MAX_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
RATIO_CHECK_FROM_BYTES = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Tags and attributes of all XML parts together, counted as the bytes "<" and "=" before anything is parsed. Once
# parsed and stamped, each costs 130 to 250 bytes (an lxml node; a Python object more for each block of the body):
# this caps one stamping at about 500 MB whatever the file's shape. The largest real cahier des charges we know,
# 12.6 MB of document.xml (tests/corpus/docx/public/poi-bug65649.docx), counts 1,215,000 and takes 214 MB; a
# generated one of 500 pages, 455,000 (figures and how they were measured: docs/performances.md).
MAX_XML_NODES = 2_000_000
# A copy the platform stamped holds its source's tags and attributes plus those of the encart and the base vie
# article (a few thousand for the longest encart): reading it back allows for them, so that a source accepted just
# below the limit still gets its preview.
STAMPED_EXTRA_XML_NODES = 100_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

MACRO_CONTENT_TYPES = {
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    "application/vnd.ms-office.vbaproject",
    "application/vnd.ms-office.vbaprojectsignature",
    "application/vnd.ms-word.vbadata+xml",
}
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
STRICT_MARK = b"http://purl.oclc.org/ooxml/"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
LOCAL_DRIVE = re.compile(r"^[A-Za-z](?::|\|)[\\/]")
REL_TYPE_LABELS = {
    "attachedTemplate": "modèle de document",
    "image": "image",
    "frame": "cadre",
    "subDocument": "sous-document",
    "oleObject": "objet OLE",
    "aFChunk": "bloc importé (altChunk)",
    "package": "fichier incorporé",
    "externalLinkPath": "liaison",
    "mailMergeSource": "source de publipostage",
    "mailMergeHeaderSource": "source de publipostage",
    "dataSource": "source de données",
}
# Relationship types kept when their target is a file on the author's own disk (inert: nothing is fetched).
LOCAL_FILE_TYPES = {"attachedTemplate", "image"}
# What to do about an external resource, by relationship type ("" for the others).
EXTERNAL_ADVICE = {
    "image": "L'image est liée au lieu d'être enregistrée dans le document\u00a0: supprimez-la et insérez-la à "
    "nouveau depuis votre ordinateur (Insertion > Images, bouton «\u00a0Insérer\u00a0» et non «\u00a0Lier au "
    "fichier\u00a0»), enregistrez le document puis déposez-le à nouveau.",
    "mailMergeSource": "Ce document est relié à une source de publipostage\u00a0: dans Word, onglet "
    "Publipostage > Démarrer la fusion et le publipostage > «\u00a0Document Word normal\u00a0», enregistrez-le "
    "puis déposez-le à nouveau.",
    "": "Supprimez ce lien du document (par exemple le modèle attaché, dans Fichier > Options > Compléments > "
    "Modèles) puis déposez-le à nouveau.",
}
EXTERNAL_ADVICE["mailMergeHeaderSource"] = EXTERNAL_ADVICE["dataSource"] = EXTERNAL_ADVICE["mailMergeSource"]
SAVE_AS_DOCX = "Ouvrez-le dans Word ou LibreOffice et enregistrez-le au format «\u00a0Document Word (.docx)\u00a0»."
# A relationship target or a field argument that names another machine: a URL (any scheme), or a network share.
REMOTE_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://|//|\\\\)", re.IGNORECASE)
# Absolute targets: the above, a `scheme:` without slashes (`file:`, `mhtml:`), a Windows drive (`C:`).
ABSOLUTE_TARGET = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|//|\\)", re.IGNORECASE)
DDE_FIELDS = {"DDE", "DDEAUTO"}
INCLUDE_FIELDS = {"INCLUDEPICTURE", "INCLUDETEXT", "IMPORT"}
FIELD_KEYWORD = re.compile(r"\s*([A-Za-z]+)")
FIELD_TOKEN = re.compile(r'"[^"]*"|\S+')
SIGNATURE_REL_TYPES = {"origin", "signature", "certificate"}
SIGNATURE_WARNING = (
    "Ce document porte une signature électronique\u00a0: l'insertion de l'encart la rend caduque (Word signalera la "
    "signature comme non valide dans le document complété). Faites signer à nouveau le document complété si une "
    "signature est nécessaire."
)


class UnsafeDocument(Exception):
    """A file refused before anything was written; `message` is for the user, `code` for tests and logs."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class DocxPackage:
    """A checked .docx: its entries in order, their bytes, the parsed XML parts that stamping needs."""

    infos: list[zipfile.ZipInfo]
    content_types: etree._Element
    main_part: str
    document: etree._Element
    document_standalone: bool | None
    document_rels: etree._Element | None
    styles: etree._Element | None
    styles_part: str = ""  # "" when the document has no styles part
    numbering: etree._Element | None = None
    numbering_part: str = ""  # "" when the document has no numbering part
    docpr_ids: frozenset[int] = frozenset()  # the drawing ids in use (a new picture takes a free one)
    names: set[str] = field(default_factory=set)
    raw: bytes = b""  # the archive as received, so that unchanged entries are copied without recompressing
    warnings: list[str] = field(default_factory=list)  # French sentences: accepted, but the user should know


def open_docx(content: bytes, *, filename: str, stamped: bool = False) -> DocxPackage:
    """`stamped`: the file is a copy this platform stamped, read back (its XML may pass the limit by what the
    stamping inserted)."""
    _check_name(filename)
    if content.startswith(OLE_MAGIC):
        raise UnsafeDocument(
            "ole_file",
            "Ce fichier est un document Word ancien (.doc) ou protégé par un mot de passe. "
            f"Retirez la protection s'il y en a une. {SAVE_AS_DOCX}",
        )
    if not content.startswith(ZIP_MAGIC):
        raise UnsafeDocument(
            "not_a_zip",
            "Ce fichier n'est pas un document Word (.docx) lisible\u00a0: son contenu n'est pas reconnu. "
            f"{SAVE_AS_DOCX}",
        )
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError):
        # NotImplementedError: an entry that asks for a zip version Python does not read ("zip file version 16.0").
        raise UnsafeDocument(
            "damaged_zip",
            f"Ce fichier n'est pas un document Word (.docx) lisible\u00a0: l'archive est endommagée. {SAVE_AS_DOCX}",
        ) from None
    with archive:
        _check_archive(infos)
        data = _read_entries(archive, infos)
    package = _check_parts(infos, data, max_nodes=MAX_XML_NODES + (STAMPED_EXTRA_XML_NODES if stamped else 0))
    package.raw = content
    return package


def _check_name(filename: str) -> None:
    name = (filename or "").strip().lower()
    if name.endswith((".docm", ".dotm")):
        raise UnsafeDocument(
            "macro_extension",
            "Ce fichier est un document Word avec macros (.docm), refusé pour votre sécurité. "
            "Enregistrez-le au format «\u00a0Document Word (.docx)\u00a0», sans macros.",
        )
    if not name.endswith(".docx"):
        raise UnsafeDocument(
            "wrong_extension",
            "Seuls les documents Word au format .docx sont acceptés. "
            "Enregistrez votre cahier des charges au format «\u00a0Document Word (.docx)\u00a0» puis déposez-le à "
            "nouveau.",
        )


def overcompressed(
    infos: list[zipfile.ZipInfo], *, max_ratio: int = MAX_RATIO, check_from_bytes: int = RATIO_CHECK_FROM_BYTES
) -> bool:
    """True when one part, or the whole archive, of at least `check_from_bytes` once decompressed is compressed more
    than `max_ratio` times (a "zip bomb"); read from the zip directory, before anything is decompressed. The
    workbook imports (`procurement.tabular`) apply it with their own limits."""
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    big_part = any(
        info.file_size >= check_from_bytes and info.file_size > max_ratio * max(info.compress_size, 1)
        for info in infos
    )
    return big_part or (total >= check_from_bytes and total > max_ratio * max(compressed, 1))


def _check_archive(infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        _check_entry_name(info.filename)
    if len(infos) > MAX_ENTRIES:
        raise UnsafeDocument(
            "too_many_entries",
            f"Ce fichier contient plus de {MAX_ENTRIES} éléments\u00a0: ce n'est pas un cahier des charges ordinaire, "
            f"il est refusé pour protéger la plateforme. {SAVE_AS_DOCX}",
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnsafeDocument(
            "too_large",
            "Ce fichier dépasse 50\u00a0Mo une fois décompressé\u00a0: il est refusé pour protéger la plateforme. "
            "Allégez le document (images compressées, annexes à part) et déposez-le à nouveau.",
        )
    if overcompressed(infos):
        raise UnsafeDocument(
            "compression_ratio",
            "Ce fichier est anormalement compressé (plus de 100 fois)\u00a0: il ressemble à une «\u00a0bombe de "
            f"décompression\u00a0» et est refusé. {SAVE_AS_DOCX}",
        )
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise UnsafeDocument(
            "duplicate_entries",
            f"Ce fichier contient deux éléments portant le même nom\u00a0: il est ambigu et refusé. {SAVE_AS_DOCX}",
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise UnsafeDocument(
            "encrypted", f"Ce fichier est chiffré\u00a0: retirez la protection par mot de passe. {SAVE_AS_DOCX}"
        )


def _check_entry_name(name: str) -> None:
    """Refuses a name that an extracting tool would write outside its folder (zip slip)."""
    absolute = name.startswith("/") or re.match(r"^[A-Za-z]:", name) is not None
    if absolute or "\\" in name or ".." in name.split("/"):
        shown = name if len(name) <= 80 else name[:77] + "..."
        raise UnsafeDocument(
            "unsafe_entry_name",
            f"Ce fichier contient un élément au nom dangereux («\u00a0{shown}\u00a0»)\u00a0: un chemin absolu ou qui "
            "remonte hors de l'archive, ce qu'un document Word ne contient jamais. Il est refusé pour votre sécurité. "
            f"{SAVE_AS_DOCX}",
        )


def _read_entries(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    data = {}
    budget = MAX_UNCOMPRESSED_BYTES
    for info in infos:
        if info.is_dir():
            continue
        try:
            with archive.open(info) as entry:
                # Never trust the declared size alone: read at most what is left of the budget.
                chunk = entry.read(min(info.file_size, budget) + 1)
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError, zlib.error, lzma.LZMAError):
            # Damaged compressed bytes raise their decompressor's own error (zlib, lzma), not zipfile's.
            raise UnsafeDocument(
                "corrupt_entry",
                f"Ce fichier est endommagé (élément «\u00a0{info.filename}\u00a0» illisible). {SAVE_AS_DOCX}",
            ) from None
        if len(chunk) > info.file_size or len(chunk) > budget:
            raise UnsafeDocument(
                "too_large",
                "Ce fichier dépasse 50\u00a0Mo une fois décompressé\u00a0: il est refusé pour protéger la plateforme. "
                "Allégez le document (images compressées, annexes à part) et déposez-le à nouveau.",
            )
        budget -= len(chunk)
        data[info.filename] = chunk
    return data


def _parse_xml(name: str, content: bytes) -> etree._Element:
    # A DOCTYPE can only sit in the prologue; the docinfo check below catches any other encoding or place.
    head = content[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise _doctype_error(name, content)
    try:
        tree = etree.parse(BytesIO(content), ooxml.safe_parser())
    except etree.XMLSyntaxError:
        raise UnsafeDocument(
            "malformed_xml",
            f"Ce fichier est endommagé\u00a0: la partie «\u00a0{name}\u00a0» n'est pas un XML valide. {SAVE_AS_DOCX}",
        ) from None
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _doctype_error(name, content)
    return tree.getroot()


def _doctype_error(name: str, content: bytes) -> UnsafeDocument:
    lowered = content.lower()
    if b"<!entity" in lowered and (b"system" in lowered or b"public" in lowered):
        return UnsafeDocument(
            "external_entity",
            f"Ce fichier déclare une entité XML externe (partie «\u00a0{name}\u00a0»)\u00a0: c'est une technique "
            f"d'attaque, le fichier est refusé. {SAVE_AS_DOCX}",
        )
    if b"<!entity" in lowered:
        return UnsafeDocument(
            "xml_entities",
            f"Ce fichier déclare des entités XML (partie «\u00a0{name}\u00a0») qu'un document Word ne contient "
            f"jamais\u00a0: il est refusé. {SAVE_AS_DOCX}",
        )
    return UnsafeDocument(
        "doctype",
        f"Ce fichier contient une déclaration DOCTYPE (partie «\u00a0{name}\u00a0») qu'un document Word ne contient "
        f"jamais\u00a0: il est refusé. {SAVE_AS_DOCX}",
    )


def _is_xml(name: str, content_type: str) -> bool:
    return name.endswith((".xml", ".rels")) or content_type.endswith("+xml") or content_type.endswith("/xml")


def _check_parts(infos: list[zipfile.ZipInfo], data: dict[str, bytes], *, max_nodes: int) -> DocxPackage:
    names = set(data)
    if "[Content_Types].xml" not in data or "_rels/.rels" not in data:
        raise UnsafeDocument(
            "not_a_document",
            f"Cette archive n'est pas un document Word\u00a0: il lui manque sa structure. {SAVE_AS_DOCX}",
        )
    # Counted before any part is parsed, [Content_Types].xml included; then the parts that only their content type
    # names as XML.
    counted = {name for name in names if _is_xml(name, "")}
    nodes = _check_nodes(data, counted, already=0, limit=max_nodes)
    content_types = _parse_xml("[Content_Types].xml", data["[Content_Types].xml"])
    defaults, overrides = _content_type_maps(content_types)

    def content_type_of(name: str) -> str:
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        return overrides.get("/" + name.lower(), defaults.get(extension, ""))

    xml_names = {name for name in names if _is_xml(name, content_type_of(name))}
    _check_nodes(data, xml_names - counted, already=nodes, limit=max_nodes)
    for name in names - xml_names:
        del data[name]  # read for its CRC; the stamped copy takes its compressed bytes from the upload
    _check_strict(data)
    chart_workbooks = _chart_workbooks(data, names, content_type_of)
    _check_names(names - chart_workbooks)
    for name in names:
        if content_type_of(name).lower() in MACRO_CONTENT_TYPES:
            raise _macro_error(f"partie «\u00a0{name}\u00a0» de type macro")
    parsed: dict[str, etree._Element] = {}
    docpr_ids: set[int] = set()
    for name in sorted(xml_names - {"[Content_Types].xml"}):
        root = _parse_xml(name, data[name])
        parsed[name] = root
        for docpr in root.iter(f"{{{ooxml.WP_NS}}}docPr"):
            identifier = ooxml.decimal_number(docpr.get("id"))
            if identifier is not None:
                docpr_ids.add(identifier)
        if name.endswith(".rels"):
            _check_relationships(name, root, chart_workbooks=chart_workbooks)
    main_part = _main_part(parsed.get("_rels/.rels"), names)
    main_type = content_type_of(main_part).lower()
    if main_type != ooxml.CT_DOCUMENT_MAIN:
        raise UnsafeDocument(
            "not_a_document",
            f"Ce fichier n'est pas un document Word ordinaire (modèle ou autre format Office). {SAVE_AS_DOCX}",
        )
    document = parsed[main_part]
    if document.tag == f"{{{STRICT_W_NS}}}document":
        raise _strict_error()
    if document.tag != ooxml.w("document") or document.find(ooxml.W_BODY) is None:
        raise UnsafeDocument("not_a_document", f"Ce fichier ne contient pas de document Word lisible. {SAVE_AS_DOCX}")
    for part_name, root in parsed.items():
        if part_name.endswith(".rels"):
            continue
        if next(root.iter(ooxml.w("altChunk")), None) is not None:
            raise _altchunk_error()
        if next(root.iter("{urn:schemas-microsoft-com:office:office}OLEObject"), None) is not None:
            raise _ole_error()
        _check_fields(root, where=_where(part_name, main_part=main_part))
    rels_name = ooxml.rels_part_of(main_part)
    parts_of_type: dict[str, str] = {}
    document_rels = parsed.get(rels_name)
    if document_rels is not None:
        for rel in document_rels:
            target = ooxml.resolve_target(main_part, rel.get("Target", ""))
            if rel.get("TargetMode") != "External" and target in parsed:
                parts_of_type.setdefault(rel.get("Type", ""), target)
    styles_part = parts_of_type.get(ooxml.REL_STYLES, "")
    numbering_part = parts_of_type.get(ooxml.REL_NUMBERING, "")
    document_tree = document.getroottree()
    return DocxPackage(
        infos=infos,
        content_types=content_types,
        main_part=main_part,
        document=document,
        document_standalone=document_tree.docinfo.standalone,
        document_rels=document_rels,
        styles=parsed[styles_part] if styles_part else None,
        styles_part=styles_part,
        numbering=parsed[numbering_part] if numbering_part else None,
        numbering_part=numbering_part,
        docpr_ids=frozenset(docpr_ids),
        names=names,
        warnings=[SIGNATURE_WARNING] if _is_signed(names, parsed) else [],
    )


def _check_names(names: set[str]) -> None:
    for name in names:
        lowered = name.lower()
        base = posixpath.basename(lowered)
        if base in {"vbaproject.bin", "vbadata.xml"} or base.startswith("vbaproject"):
            raise _macro_error(f"«\u00a0{name}\u00a0»")
        if "/embeddings/" in f"/{lowered}":
            raise _ole_error()
        if "/activex/" in f"/{lowered}":
            raise UnsafeDocument(
                "activex",
                "Ce fichier contient des contrôles ActiveX, refusés pour votre sécurité. "
                f"Supprimez-les du document. {SAVE_AS_DOCX}",
            )


def _check_nodes(data: dict[str, bytes], xml_names: set[str], *, already: int, limit: int) -> int:
    """Refuses XML parts whose tags and attributes ("<" and "=", counted at C speed) would take more memory than
    one stamping may; returns the count so far."""
    nodes = already + sum(data[name].count(b"<") + data[name].count(b"=") for name in xml_names)
    if nodes > limit:
        raise UnsafeDocument(
            "too_complex",
            "Ce document est trop complexe pour être complété par la plateforme\u00a0: son contenu compte plus de "
            f"{MAX_XML_NODES:,} éléments de mise en forme".replace(",", "\u00a0")
            + ", bien plus qu'un cahier des charges ordinaire. Scindez-le en plusieurs documents (les annexes à "
            "part), ou supprimez ce qui l'alourdit (très longs tableaux, contenu répété), puis déposez-le à nouveau.",
        )
    return nodes


def _content_type_maps(root: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
    defaults, overrides = {}, {}
    for element in root:
        if element.tag == f"{{{ooxml.CT_NS}}}Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        elif element.tag == f"{{{ooxml.CT_NS}}}Override":
            overrides[element.get("PartName", "").lower()] = element.get("ContentType", "")
    return defaults, overrides


def _check_strict(data: dict[str, bytes]) -> None:
    """The ISO "Strict" flavour names its relationship types and namespaces under purl.oclc.org/ooxml."""
    if STRICT_MARK in data["_rels/.rels"] or any(
        STRICT_W_NS.encode() in data[name][:4096] for name in data if name.lower().endswith("document.xml")
    ):
        raise _strict_error()


def _strict_error() -> UnsafeDocument:
    return UnsafeDocument(
        "strict_ooxml",
        "Ce document est enregistré au format «\u00a0Document Open XML strict\u00a0» (Strict Open XML), que la "
        "plateforme ne sait pas compléter. Ouvrez-le dans Word, choisissez Fichier > Enregistrer sous, "
        "type «\u00a0Document Word (*.docx)\u00a0» (et non «\u00a0Document Open XML strict\u00a0»), puis déposez-le à "
        "nouveau.",
    )


def _chart_workbooks(data: dict[str, bytes], names: set[str], content_type_of) -> set[str]:
    """The workbooks of native charts: `.xlsx` parts of the spreadsheet content type that a chart part points to
    by a `package` relationship. They hold the chart's data (Word opens them in Excel when someone edits the chart),
    not an active object: unlike other embedded packages, they are accepted."""
    workbooks = set()
    for name in names:
        source = _source_of_rels(name)
        if source is None or content_type_of(source).lower() != CT_CHART:
            continue
        for rel in _parse_xml(name, data[name]):
            if rel.get("Type", "").rsplit("/", 1)[-1] != "package" or rel.get("TargetMode", "") == "External":
                continue
            target = ooxml.resolve_target(source, rel.get("Target", ""))
            is_workbook = target.lower().endswith(".xlsx") and content_type_of(target).lower() == spreadsheets.XLSX
            if target in names and is_workbook:
                workbooks.add(target)
    return workbooks


def _source_of_rels(name: str) -> str | None:
    """The part a `.rels` part describes (`word/charts/_rels/chart1.xml.rels` → `word/charts/chart1.xml`)."""
    folder, base = posixpath.split(name)
    if posixpath.basename(folder) != "_rels" or not base.endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def _is_on_authors_disk(target: str) -> bool:
    """A file on the author's own disk: a drive path, a `file:` URL without a host (or for `localhost`), or a
    relative name (next to the document)."""
    target = target.strip()
    if LOCAL_DRIVE.match(target):
        return True
    if target.lower().startswith("file:"):
        rest = target[len("file:") :]
        if rest.lower().startswith("//localhost/"):
            rest = "//" + rest[len("//localhost") :]
        return LOCAL_DRIVE.match(rest.lstrip("/")) is not None or _is_local_unix(rest)
    return not ABSOLUTE_TARGET.match(target) and not target.startswith(("/", "\\"))


def _is_local_unix(rest: str) -> bool:
    """`file:///home/…`: three slashes then a path (no host); four or more name a network share."""
    return rest.startswith("///") and not rest.startswith("////")


def _check_relationships(name: str, root: etree._Element, *, chart_workbooks: set[str] = frozenset()) -> None:
    source = _source_of_rels(name)
    for rel in root:
        rel_type = rel.get("Type", "")
        short_type = rel_type.rsplit("/", 1)[-1]
        if short_type == "aFChunk":
            raise _altchunk_error()
        if (
            short_type == "package"
            and source is not None
            and rel.get("TargetMode", "") != "External"
            and ooxml.resolve_target(source, rel.get("Target", "")) in chart_workbooks
        ):
            continue  # a native chart's data
        if short_type in {"oleObject", "package"}:
            raise _ole_error()
        if short_type in {"vbaProject", "wordVbaData"}:
            raise _macro_error(f"relation vers «\u00a0{rel.get('Target', '')}\u00a0»")
        if short_type in {"control", "activeXControlBinary"}:
            raise UnsafeDocument(
                "activex",
                "Ce fichier contient des contrôles ActiveX, refusés pour votre sécurité. "
                f"Supprimez-les du document. {SAVE_AS_DOCX}",
            )
        if rel_type == ooxml.REL_HYPERLINK:
            continue  # followed only when a reader clicks it
        if short_type in LOCAL_FILE_TYPES and _is_on_authors_disk(rel.get("Target", "")):
            continue  # on the author's disk: Word carries on without it, nothing is fetched from elsewhere
        external = rel.get("TargetMode", "").lower() == "external"
        if external or ABSOLUTE_TARGET.match(rel.get("Target", "").strip()):
            label = REL_TYPE_LABELS.get(short_type, short_type or "inconnue")
            raise UnsafeDocument(
                "external_relationship",
                f"Ce fichier charge une ressource externe à son ouverture ({label}\u00a0: "
                f"«\u00a0{rel.get('Target', '')}\u00a0»), "
                f"ce qui est refusé pour votre sécurité. {EXTERNAL_ADVICE.get(short_type, EXTERNAL_ADVICE[''])}",
            )


# --- Fields ------------------------------------------------------------------------------------------------------

_FIELD_TAGS = (ooxml.w("fldSimple"), ooxml.w("fldChar"), ooxml.w("instrText"), ooxml.w("delInstrText"))


@dataclass
class _OpenField:
    """A complex field being read: its instruction so far, and whether a field is nested in the instruction."""

    instruction: list[str] = field(default_factory=list)
    separated: bool = False
    nested: bool = False


def _check_fields(root: etree._Element, *, where: str) -> None:
    """Reads every field instruction of a part in document order: simple fields, and complex fields whose
    `w:instrText` runs (possibly many, possibly nested fields) lie between `begin` and `end` field characters."""
    open_fields: list[_OpenField] = []
    for element in root.iter(*_FIELD_TAGS):
        tag = element.tag
        if tag == _FIELD_TAGS[0]:
            _check_instruction(element.get(ooxml.w("instr"), ""), nested=False, where=where)
        elif tag == _FIELD_TAGS[1]:
            kind = element.get(ooxml.w("fldCharType"), "")
            if kind == "begin":
                if open_fields and not open_fields[-1].separated:
                    open_fields[-1].nested = True
                open_fields.append(_OpenField())
            elif kind == "separate" and open_fields:
                open_fields[-1].separated = True
            elif kind == "end" and open_fields:
                done = open_fields.pop()
                _check_instruction("".join(done.instruction), nested=done.nested, where=where)
        elif open_fields:
            open_fields[-1].instruction.append(element.text or "")
        else:
            _check_instruction(element.text or "", nested=False, where=where)
    for unfinished in open_fields:
        _check_instruction("".join(unfinished.instruction), nested=unfinished.nested, where=where)


def _check_instruction(instruction: str, *, nested: bool, where: str) -> None:
    match = FIELD_KEYWORD.match(instruction)
    keyword = match.group(1).upper() if match else ""
    if keyword in DDE_FIELDS:
        raise UnsafeDocument(
            "dde_field",
            f"Ce fichier contient un champ «\u00a0{keyword}\u00a0» ({where}), qui peut lancer un programme quand Word "
            "met à "
            "jour les champs\u00a0: il est refusé pour votre sécurité. Supprimez ce champ (dans Word, Alt+F9 affiche "
            "les codes de champ), enregistrez le document puis déposez-le à nouveau.",
        )
    if keyword not in INCLUDE_FIELDS:
        return
    arguments = [token.strip('"').strip() for token in FIELD_TOKEN.findall(instruction[match.end() :])]
    remote = next((argument for argument in arguments if REMOTE_ADDRESS.match(argument)), None)
    if remote is None and not nested:
        return
    shown = "une adresse calculée par un autre champ" if remote is None else f"«\u00a0{_shorten(remote)}\u00a0»"
    raise UnsafeDocument(
        "remote_field",
        f"Ce fichier contient un champ «\u00a0{keyword}\u00a0» ({where}) qui va chercher {shown} quand Word met à "
        "jour les "
        "champs, ce qui est refusé pour votre sécurité. Remplacez ce champ par son contenu (sélectionnez-le puis "
        "appuyez sur Ctrl+Maj+F9, ou insérez l'image elle-même), enregistrez le document puis déposez-le à nouveau.",
    )


def _where(part_name: str, *, main_part: str) -> str:
    if part_name == main_part:
        return "dans le corps du document"
    base = posixpath.basename(part_name).lower()
    for prefix, label in (
        ("header", "dans un en-tête"),
        ("footer", "dans un pied de page"),
        ("footnotes", "dans les notes de bas de page"),
        ("endnotes", "dans les notes de fin"),
        ("comments", "dans les commentaires"),
    ):
        if base.startswith(prefix):
            return label
    return f"dans la partie «\u00a0{part_name}\u00a0»"


def _shorten(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_signed(names: set[str], parsed: dict[str, etree._Element]) -> bool:
    if any(name.lower().startswith("_xmlsignatures/") for name in names):
        return True
    for part_name, root in parsed.items():
        if part_name.endswith(".rels"):
            for rel in root:
                rel_type = rel.get("Type", "")
                if "/digital-signature/" in rel_type and rel_type.rsplit("/", 1)[-1] in SIGNATURE_REL_TYPES:
                    return True
    return False


def _main_part(package_rels: etree._Element | None, names: set[str]) -> str:
    if package_rels is not None:
        for rel in package_rels:
            if rel.get("Type") == ooxml.REL_OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
                part = ooxml.resolve_target("", rel.get("Target", ""))
                if part in names:
                    return part
    raise UnsafeDocument(
        "not_a_document", f"Cette archive ne contient pas de document Word (word/document.xml). {SAVE_AS_DOCX}"
    )


def _macro_error(found: str) -> UnsafeDocument:
    return UnsafeDocument(
        "macros",
        f"Ce fichier contient des macros (code VBA\u00a0: {found}), refusées pour votre sécurité. "
        "Enregistrez-le au format «\u00a0Document Word (.docx)\u00a0», sans macros, puis déposez-le à nouveau.",
    )


def _altchunk_error() -> UnsafeDocument:
    return UnsafeDocument(
        "altchunk",
        "Ce fichier incorpore un autre document tel quel (altChunk), ce qui est refusé. "
        "Copiez-collez ce contenu dans le document lui-même, enregistrez-le puis déposez-le à nouveau.",
    )


def _ole_error() -> UnsafeDocument:
    return UnsafeDocument(
        "ole_object",
        "Ce fichier contient un objet incorporé (objet OLE, fichier joint), refusé pour votre sécurité. "
        "Supprimez l'objet ou remplacez-le par une image, puis déposez le document à nouveau.",
    )
