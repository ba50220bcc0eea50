"""Reading a DECP file as a stream of records, in bounded memory, whatever its size.

Three shapes are read (docs/formats.md, « Données essentielles (DECP) »):
- JSON 2.0.x: {"marches": {"marche": [...], "contrat-concession": [...]}}, or the flat {"marches": [...]} that
  many publishers and consolidated files use;
- XML 2.0.x: <marches><marche>…</marche>…</marches>;
- JSON 1.x (contracts notified up to 2023): {"marches": [...]}, contracts and concessions mixed, told by "_type".

A file is refused (DecpRefused, a French reason) only when it cannot be read as DECP: not UTF-8, invalid or
truncated JSON or XML, no `marches` root, a DTD or an entity declaration (never resolved, never fetched). The
refusal may come after records were already yielded (a file truncated at its end): the caller imports inside one
transaction and stores nothing then.

The standard library's json has no streaming parser: JSON is read by chunks, and each element of the `marches`
arrays is decoded alone with JSONDecoder.raw_decode, so memory holds one record and one chunk, never the file.
"""

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from lxml import etree

from procurement.french import file_size

CHUNK_BYTES = 1 << 17
# One record (one contract with its modifications) above this size is not DECP: the file is refused.
MAX_RECORD_CHARS = 8 * 1024 * 1024
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder(parse_float=Decimal)

MARKET = "marche"
CONCESSION = "contrat-concession"


class DecpRefused(Exception):
    """The file cannot be read as DECP; the message is the French reason shown to the user."""


@dataclass(frozen=True)
class RawRecord:
    """One contract as the file gives it: `kind` MARKET or CONCESSION (as far as the file says), `data` a dict
    in the JSON shape (XML records are converted), `position` its rank in the file from 1, `element` the XML
    element kept for validation against the XSD (None for JSON)."""

    kind: str
    data: dict
    position: int
    file_format: str
    element: object = None


def sniff_format(head: bytes) -> str:
    """ "json" or "xml" from the first bytes of the file."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "xml"
    if text.startswith((b"{", b"[")):
        return "json"
    raise DecpRefused(
        "Le fichier n'est ni du JSON ni du XML : déposez le fichier des données essentielles tel que publié "
        "(format JSON ou XML)."
    )


def read_records(stream: BinaryIO) -> Iterator[RawRecord]:
    """Every contract of the file, in file order. Raises DecpRefused when the file is not readable as DECP."""
    head = stream.read(4096)
    file_format = sniff_format(head)
    reader = _JsonReader if file_format == "json" else _XmlReader
    yield from reader(head, stream).records()


# --- JSON -----------------------------------------------------------------------------------------------------


class _JsonReader:
    def __init__(self, head: bytes, stream: BinaryIO):
        self.stream = stream
        self.pending = head
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.consumed = 0  # characters dropped from the buffer's start
        self.count = 0

    # Low level: a window on the text, refilled on demand.
    def fill(self, at_least: int = CHUNK_BYTES) -> bool:
        if self.eof:
            return False
        data = self.pending + self.stream.read(max(at_least, CHUNK_BYTES))
        self.pending = b""
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise DecpRefused(
                "Le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8, puis déposez-le à nouveau."
            ) from None
        if not data:
            self.eof = True
        if self.pos:
            self.consumed += self.pos
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        self.buffer += text
        return True

    def skip_whitespace(self) -> None:
        while True:
            self.pos = _WHITESPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer) or not self.fill():
                return

    def peek(self) -> str:
        self.skip_whitespace()
        return self.buffer[self.pos] if self.pos < len(self.buffer) else ""

    def take(self, expected: str) -> None:
        if self.peek() != expected:
            self.invalid()
        self.pos += 1

    def value(self):
        """The next JSON value, decoded alone."""
        self.skip_whitespace()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError:
                if self.eof:
                    self.invalid()
                if len(self.buffer) - self.pos > MAX_RECORD_CHARS:
                    raise DecpRefused(
                        f"Le contrat n° {self.count + 1} du fichier dépasse {file_size(MAX_RECORD_CHARS)} "
                        "ou le JSON est mal formé à cet endroit : vérifiez le fichier, rien n'a été enregistré."
                    ) from None
                self.fill(at_least=len(self.buffer) - self.pos)
                continue
            except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
                self.invalid()
            except RecursionError:  # arrays or objects nested deeper than Python's reader goes (a 100 kB file)
                raise DecpRefused(
                    f"Le contrat n° {self.count + 1} du fichier imbrique trop de tableaux ou d'objets JSON pour être "
                    "lu : vérifiez le fichier, rien n'a été enregistré."
                ) from None
            # A number at the very end of the window may continue in the next chunk.
            if end == len(self.buffer) and not self.eof and not isinstance(value, dict | list | str):
                self.fill()
                continue
            self.pos = end
            return value

    def invalid(self):
        where = f"après le contrat n° {self.count}" if self.count else "avant le premier contrat"
        raise DecpRefused(
            f"Le fichier JSON est incomplet ou mal formé ({where}, caractère {self.consumed + self.pos + 1}) : "
            "vérifiez qu'il a été téléchargé en entier, puis déposez-le à nouveau. Rien n'a été enregistré."
        )

    # Structure: {"marches": [...]} or {"marches": {"marche": [...], "contrat-concession": [...]}}.
    def records(self) -> Iterator[RawRecord]:
        if self.peek() != "{":
            raise _no_root()
        found = False
        for key in self.object_keys():
            if key == "marches":
                found = True
                yield from self.marches()
            else:
                self.value()
        self.skip_whitespace()
        if self.pos < len(self.buffer):
            self.invalid()
        if not found:
            raise _no_root()

    def members(self, opening: str, closing: str) -> Iterator[None]:
        """Steps through the object or array starting here: one turn per member, which the caller reads during
        its turn; the separating commas and the closing bracket are read here."""
        self.take(opening)
        if self.peek() == closing:
            self.pos += 1
            return
        while True:
            yield
            following = self.peek()
            self.pos += 1
            if following == closing:
                return
            if following != ",":
                self.invalid()

    def object_keys(self) -> Iterator[str]:
        """The keys of the object starting here; the caller reads each value before asking for the next key."""
        for _ in self.members("{", "}"):
            if self.peek() != '"':
                self.invalid()
            key = self.value()
            self.take(":")
            yield key

    def marches(self) -> Iterator[RawRecord]:
        start = self.peek()
        if start == "[":
            yield from self.array(kind=None)
        elif start == "{":
            for key in self.object_keys():
                if key in (MARKET, CONCESSION) and self.peek() == "[":
                    yield from self.array(kind=key)
                elif key in (MARKET, CONCESSION) and self.peek() == "{":
                    # A single contract written as an object, as some XML-to-JSON converters do.
                    yield self.record(self.value(), kind=key)
                else:
                    self.value()
        else:
            raise _no_root()

    def array(self, *, kind: str | None) -> Iterator[RawRecord]:
        for _ in self.members("[", "]"):
            yield self.record(self.value(), kind=kind)

    def record(self, value, *, kind: str | None) -> RawRecord:
        self.count += 1
        if not isinstance(value, dict):
            value = {"__not_an_object__": value}
        if kind is None:
            kind = CONCESSION if _is_concession(value) else MARKET
        return RawRecord(kind=kind, data=value, position=self.count, file_format="json")


def _is_concession(data: dict) -> bool:
    marker = str(data.get("_type") or "").lower()
    return "concession" in marker or "autoriteConcedante" in data and "acheteur" not in data


def _no_root() -> DecpRefused:
    return DecpRefused(
        "Ce fichier n'est pas un fichier de données essentielles : il n'a pas de liste « marches » à sa racine. "
        "Déposez le fichier JSON ou XML publié au format réglementaire."
    )


# --- XML ------------------------------------------------------------------------------------------------------

# Elements whose children are always a list, whatever their number.
_XML_LISTS = {
    "titulaires",
    "modifications",
    "actesSousTraitance",
    "modificationsActesSousTraitance",
    "concessionnaires",
    "donneesExecution",
}
_FORBIDDEN_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class _ChainedStream:
    """The bytes already read, then the rest of the stream (lxml reads a file-like object)."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.stream.read(size if size and size > 0 else CHUNK_BYTES)


class _XmlReader:
    def __init__(self, head: bytes, stream: BinaryIO):
        self.head = head
        self.stream = stream

    def records(self) -> Iterator[RawRecord]:
        # A DTD comes before the root element: the first bytes tell. Entities are never resolved and nothing is
        # fetched from the network in any case (resolve_entities=False, no_network=True, load_dtd=False).
        if _FORBIDDEN_DECLARATIONS.search(self.head):
            raise DecpRefused(
                "Le fichier XML déclare une DTD ou des entités (<!DOCTYPE>, <!ENTITY>), ce que les données "
                "essentielles n'utilisent jamais : il est refusé par sécurité. Rien n'a été enregistré."
            )
        events = etree.iterparse(
            _ChainedStream(self.head, self.stream),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        depth = 0
        count = 0
        try:
            for event, element in events:
                if event == "start":
                    depth += 1
                    if depth == 1 and _local(element.tag) != "marches":
                        raise _no_root()
                    continue
                depth -= 1
                if depth != 1:
                    continue
                tag = _local(element.tag)
                if tag in (MARKET, CONCESSION):
                    count += 1
                    yield RawRecord(
                        kind=tag, data=_element_to_dict(element), position=count, file_format="xml", element=element
                    )
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as error:
            where = f"ligne {error.lineno}" if error.lineno else "début du fichier"
            if "entity" in str(error).lower() or "doctype" in str(error).lower():
                raise DecpRefused(
                    "Le fichier XML déclare ou utilise des entités, ce que les données essentielles n'utilisent "
                    "jamais : il est refusé par sécurité. Rien n'a été enregistré."
                ) from None
            raise DecpRefused(
                f"Le fichier XML est incomplet ou mal formé ({where}) : vérifiez qu'il a été téléchargé en entier, "
                "puis déposez-le à nouveau. Rien n'a été enregistré."
            ) from None


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _element_to_dict(element) -> dict | str:
    children = [child for child in element if isinstance(child.tag, str)]
    if not children:
        return (element.text or "").strip()
    result: dict = {}
    for child in children:
        tag = _local(child.tag)
        value = _element_to_dict(child)
        if tag in result:
            if not isinstance(result[tag], list):
                result[tag] = [result[tag]]
            result[tag].append(value)
        else:
            result[tag] = value
    name = _local(element.tag)
    if name in _XML_LISTS:
        # <titulaires><titulaire>…</titulaire>…</titulaires> -> [{"titulaire": …}, …], the JSON 2.0 shape.
        return [{_local(child.tag): _element_to_dict(child)} for child in children]  # type: ignore[return-value]
    return result
