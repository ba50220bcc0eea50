"""Mutations that know the uploaded documents' formats, beside the generic ones of `mutate.py`.

OOXML-aware mutations change what a WordprocessingML reader relies on (relationship targets, content types, list
and style references, nested content controls and tracked changes, missing parts, the stamping markers), so that the
mutated documents get past the archive checks and reach the stamping engine. Header-aware mutations change the
fields that say what a PDF, a PNG or a JPEG is, and the compressed bytes of a zip member (its CRC left as it was), so
that the sniffing of annex attachments meets the damaged files a real upload can be.

`document_cases(seed, count=, rng_seed=, kind=)` is deterministic like `mutate.cases`: a case is reproduced by its
(seed file, rng seed, case number). Each case applies one mutation, sometimes two in a row."""

import io
import random
import re
import struct
import zipfile
from collections.abc import Callable, Iterator

from tests.fuzz import mutate
from tests.fuzz.mutate import Case

Members = list[tuple[zipfile.ZipInfo, bytes]]
MemberMutation = Callable[[Members, random.Random], str]

W_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_DECLARATION = b'xmlns:w="' + W_NS + b'"'
# Values that break a reader's assumptions about numbers: Unicode digits that `str.isdigit()` accepts and `int()`
# may not, negatives, huge ones, empty.
ODD_NUMBERS = (b"-1", b"0", b"9", b"10", b"2147483648", b"99999999999999999999", b"", b"x", b"\xc2\xb2", b"\xd9\xa3")
ODD_TARGETS = (
    b"",
    b"/",
    b".",
    b"..",
    b"../../../etc/passwd",
    b"/word/document.xml",
    b"document.xml",
    b"word/missing.xml",
    b"styles.xml",
    b"numbering.xml",
    b"media/../../x.xml",
    b"http://example.org/x.dotm",
    b"\\\\server\\share\\x",
    b"file:///C:/x.png",
    b"C:\\x.png",
    b"%2e%2e/x",
    b"#frag",
    b"mailto:a@b",
)
CONTENT_TYPES = (
    b"",
    b"application/xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    b"application/vnd.openxmlformats-package.relationships+xml",
    b"image/png",
    b"application/octet-stream",
    b"APPLICATION/VND.OPENXMLFORMATS-OFFICEDOCUMENT.WORDPROCESSINGML.DOCUMENT.MAIN+XML; charset=x",
)
MARKERS = (b"[[ENCART_EGALITE]]", b"[[ARTICLE_BASE_VIE]]", b"[[ENCART_", b"[")
WRAPPERS = (
    (b"<w:sdt><w:sdtContent>", b"</w:sdtContent></w:sdt>"),
    (b'<w:sdt><w:sdtPr><w:lock w:val="contentLocked"/></w:sdtPr><w:sdtContent>', b"</w:sdtContent></w:sdt>"),
    (b"<w:sdt><w:sdtPr><w:group/></w:sdtPr><w:sdtContent>", b"</w:sdtContent></w:sdt>"),
    (b'<w:ins w:id="9001" w:author="x">', b"</w:ins>"),
    (b'<w:del w:id="9002" w:author="x">', b"</w:del>"),
    (b"<w:customXml>", b"</w:customXml>"),
)


def _document_part(members: Members) -> int | None:
    """The index of the main document (by name, or the largest part in the WordprocessingML namespace)."""
    for index, (info, _) in enumerate(members):
        if info.filename == "word/document.xml":
            return index
    candidates = [(len(content), index) for index, (_, content) in enumerate(members) if b"<w:body" in content]
    return max(candidates)[1] if candidates else None


def _xml_index(members: Members, rng: random.Random, predicate: Callable[[str, bytes], bool]) -> int | None:
    indexes = [index for index, (info, content) in enumerate(members) if predicate(info.filename, content)]
    return rng.choice(indexes) if indexes else None


def _replace_value(content: bytes, pattern: bytes, values: tuple[bytes, ...], rng: random.Random) -> bytes | None:
    """`content` with one match of `pattern` (whose group 1 is a value) given one of `values`; None without one."""
    matches = list(re.finditer(pattern, content))
    if not matches:
        return None
    match = rng.choice(matches)
    return content[: match.start(1)] + rng.choice(values) + content[match.end(1) :]


def _change_value(
    members: Members,
    rng: random.Random,
    *,
    part: Callable[[str, bytes], bool],
    pattern: bytes,
    values: tuple[bytes, ...] | Callable[[bytes], tuple[bytes, ...]],
    what: str,
) -> str:
    """One value (group 1 of `pattern`) of a part that `part` selects changed to one of `values` (or of the values
    `values` gives for the part's content)."""
    index = _xml_index(members, rng, part)
    if index is None:
        return f"no part for {what}"
    info, content = members[index]
    changed = _replace_value(content, pattern, values(content) if callable(values) else values, rng)
    if changed is None:
        return f"{info.filename}: no {what}"
    members[index] = (info, changed)
    return f"{info.filename}: {what} changed"


def _is_rels(name: str, _: bytes) -> bool:
    return name.endswith(".rels")


def _is_content_types(name: str, _: bytes) -> bool:
    return name == "[Content_Types].xml"


def _is_word_part(name: str, content: bytes) -> bool:
    return name.startswith("word/") and W_NS in content


def change_relationship_target(members: Members, rng: random.Random) -> str:
    targets = ODD_TARGETS if rng.random() < 0.7 else (b'x" TargetMode="External',)
    return _change_value(members, rng, part=_is_rels, pattern=rb'Target="([^"]*)"', values=targets, what="target")


def change_relationship_type(members: Members, rng: random.Random) -> str:
    base = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    kinds = (b"styles", b"numbering", b"officeDocument", b"image", b"hyperlink", b"header", b"x", b"")
    types = tuple(base + kind for kind in kinds)
    return _change_value(members, rng, part=_is_rels, pattern=rb'Type="([^"]*)"', values=types, what="type")


def change_content_type(members: Members, rng: random.Random) -> str:
    pattern = rb'ContentType="([^"]*)"'
    return _change_value(members, rng, part=_is_content_types, pattern=pattern, values=CONTENT_TYPES, what="type")


def change_part_name(members: Members, rng: random.Random) -> str:
    names = (b"/word/document.xml", b"/WORD/DOCUMENT.XML", b"/word/styles.xml", b"", b"/", b"/word/%64ocument.xml")
    pattern = rb'PartName="([^"]*)"'
    return _change_value(members, rng, part=_is_content_types, pattern=pattern, values=names, what="part name")


def change_word_number(members: Members, rng: random.Random) -> str:
    """A list level, list id, outline level, abstract list id, drawing id or table span given an odd value."""
    pattern = rb"<w:(?:ilvl|numId|outlineLvl|abstractNumId|gridSpan|start|lvlRestart) w:val=\"([^\"]*)\""
    if rng.random() < 0.3:
        pattern = rb'(?:w:ilvl|w:abstractNumId|w:numId|\bid)="([^"]*)"'
    return _change_value(members, rng, part=_is_word_part, pattern=pattern, values=ODD_NUMBERS, what="number")


def _style_values(content: bytes) -> tuple[bytes, ...]:
    ids = re.findall(rb'w:styleId="([^"]*)"', content)[:20]
    return (*ids, b"", b"Heading1", b"heading 1", b"Missing", b"TOC1")


def change_style_reference(members: Members, rng: random.Random) -> str:
    """A paragraph's style, a style's id or the style it is based on, renamed (to a heading, another, nothing)."""
    pattern = rb'<w:(?:pStyle|basedOn|rStyle|name|next|link) w:val="([^"]*)"'
    if rng.random() < 0.3:
        pattern = rb'w:styleId="([^"]*)"'
    return _change_value(members, rng, part=_is_word_part, pattern=pattern, values=_style_values, what="style")


def style_cycle(members: Members, rng: random.Random) -> str:
    """Two styles based on each other (a loop a naive resolver never leaves), or a style based on itself."""
    index = _xml_index(members, rng, lambda name, content: b"<w:styles" in content)
    if index is None:
        return "no styles"
    info, content = members[index]
    ids = re.findall(rb'w:styleId="([^"]*)"', content)
    if not ids:
        return "no style id"
    first, second = rng.choice(ids), rng.choice(ids)
    extra = (
        b'<w:style w:type="paragraph" w:styleId="'
        + first
        + b'"><w:name w:val="heading 2"/><w:basedOn w:val="'
        + second
        + b'"/></w:style><w:style w:type="paragraph" w:styleId="'
        + second
        + b'"><w:basedOn w:val="'
        + first
        + b'"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    )
    members[index] = (info, content.replace(b"</w:styles>", extra + b"</w:styles>", 1))
    return f"{info.filename}: styles {first!r} and {second!r} based on each other"


def wrap_blocks(members: Members, rng: random.Random) -> str:
    """One or more paragraphs or tables of the body wrapped in a content control, an insertion, a deletion, nested
    up to a few dozen times."""
    index = _document_part(members)
    if index is None:
        return "no document"
    info, content = members[index]
    starts = [match.start() for match in re.finditer(rb"<w:(?:p|tbl|sdt)[ >]", content)]
    if not starts:
        return "no block"
    start = rng.choice(starts)
    tag = re.match(rb"w:\w+", content[start + 1 :]).group(0)
    end = content.find(b"</" + tag + b">", start)
    if end < 0:
        return "unclosed block"
    end += len(tag) + 3
    if rng.random() < 0.5:  # a run of blocks
        later = content.find(b"</" + tag + b">", end, end + 20000)
        if later > 0:
            end = later + len(tag) + 3
    opening, closing = rng.choice(WRAPPERS)
    depth = rng.choice((1, 1, 2, 5, 40))
    changed = content[:start] + opening * depth + content[start:end] + closing * depth + content[end:]
    members[index] = (info, changed)
    return f"{info.filename}: blocks wrapped {depth} times in {opening[:12]!r}"


def remove_part(members: Members, rng: random.Random) -> str:
    """A part a document usually has (styles, numbering, settings, the document's relationships) removed."""
    wanted = (
        "styles.xml",
        "numbering.xml",
        "document.xml.rels",
        "settings.xml",
        "fontTable.xml",
        "[Content_Types].xml",
    )
    indexes = [index for index, (info, _) in enumerate(members) if info.filename.endswith(wanted)]
    if not indexes:
        return "no usual part"
    index = rng.choice(indexes)
    name = members[index][0].filename
    del members[index]
    return f"{name} removed"


def _insert_in_document(members: Members, rng: random.Random, *, after: bytes, insertion: bytes, counts) -> str:
    """`insertion` put after some matches of the pattern `after` in the main document (how many: one of
    `counts`)."""
    index = _document_part(members)
    if index is None:
        return "no document"
    info, content = members[index]
    places = [match.end() for match in re.finditer(after, content)]
    if not places:
        return f"{info.filename}: no {after!r}"
    for place in sorted(rng.sample(places, min(len(places), rng.choice(counts))), reverse=True):
        content = content[:place] + insertion + content[place:]
    members[index] = (info, content)
    return f"{info.filename}: {insertion[:24]!r} added after {after!r}"


def insert_marker(members: Members, rng: random.Random) -> str:
    """A stamping marker typed in a paragraph (of the body, a heading, a table cell, a text box), once or more."""
    marker = rng.choice(MARKERS)
    return _insert_in_document(members, rng, after=rb"<w:t(?: [^>]*)?>", insertion=marker, counts=(1, 1, 2, 3))


def mark_paragraph_deleted(members: Members, rng: random.Random) -> str:
    """Paragraph marks turned into tracked deletions, section breaks moved into paragraphs, paragraphs made
    headings or list items."""
    insertion = rng.choice(
        (
            b'<w:rPr><w:del w:id="9003" w:author="x"/></w:rPr>',
            b"<w:sectPr/>",
            b'<w:outlineLvl w:val="0"/>',
            b'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>',
        )
    )
    return _insert_in_document(members, rng, after=rb"<w:pPr>", insertion=insertion, counts=(1, 3, 30))


def empty_body(members: Members, rng: random.Random) -> str:
    """The body emptied, left with its section properties, or holding only a table or a text box."""
    index = _document_part(members)
    if index is None:
        return "no document"
    info, content = members[index]
    match = re.search(rb"<w:body>(.*)</w:body>", content, re.DOTALL)
    if match is None:
        return "no body"
    inside = rng.choice(
        (
            b"",
            b"<w:sectPr/>",
            b"<w:p/>",
            b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>[[ENCART_EGALITE]]</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            b"<w:sdt><w:sdtContent></w:sdtContent></w:sdt>",
            b"<w:sdt><w:sdtContent><w:sdt><w:sdtContent><w:p/></w:sdtContent></w:sdt></w:sdtContent></w:sdt>",
            b'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Article 1</w:t></w:r></w:p>',
        )
    )
    members[index] = (info, content[: match.start(1)] + inside + content[match.end(1) :])
    return f"{info.filename}: body replaced by {inside[:30]!r}"


def change_namespace(members: Members, rng: random.Random) -> str:
    """The WordprocessingML namespace of a part changed (Strict, a typo, none)."""
    index = _xml_index(members, rng, lambda _, content: W_DECLARATION in content)
    if index is None:
        return "no namespace"
    info, content = members[index]
    other = rng.choice((b"http://purl.oclc.org/ooxml/wordprocessingml/main", b"urn:x", b""))
    members[index] = (info, content.replace(W_DECLARATION, b'xmlns:w="' + other + b'"', 1))
    return f"{info.filename}: namespace changed to {other!r}"


def ooxml_mutations() -> list[MemberMutation]:
    return [
        change_relationship_target,
        change_relationship_type,
        change_content_type,
        change_part_name,
        change_word_number,
        change_word_number,
        change_style_reference,
        style_cycle,
        wrap_blocks,
        wrap_blocks,
        remove_part,
        insert_marker,
        insert_marker,
        mark_paragraph_deleted,
        empty_body,
        change_namespace,
    ]


# --- Archives: bytes behind the zip directory -------------------------------------------------------------------

LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


def damaged_member(data: bytes, name: str, *, at: int = 0, junk: bytes = b"\xff\xff\xff\xff") -> bytes:
    """`data` with the compressed bytes of member `name` overwritten by `junk` from `at` (its CRC and sizes left as
    they were): the zip directory reads, the member's decompression fails (b"\xff" starts a deflate block of a
    reserved type)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    fields = LOCAL_HEADER.unpack_from(data, info.header_offset)
    start = info.header_offset + LOCAL_HEADER.size + fields[-2] + fields[-1] + at
    return data[:start] + junk + data[start + len(junk) :]


def corrupt_member_data(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Bytes of one member's compressed data changed, its CRC and sizes left: the directory reads, the inflating
    (or the CRC check) fails."""
    members = mutate.zip_members(data)
    if not members:
        return mutate.flip_bytes(data, rng), "archive flip_bytes"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [info for info in archive.infolist() if info.compress_size > 2]
    if not infos:
        return mutate.flip_bytes(data, rng), "archive flip_bytes"
    info = rng.choice(infos)
    fields = LOCAL_HEADER.unpack_from(data, info.header_offset)
    start = info.header_offset + LOCAL_HEADER.size + fields[-2] + fields[-1]
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        mutated[start + rng.randrange(min(info.compress_size, 64))] = rng.randrange(256)
    return bytes(mutated), f"member {info.filename}: compressed bytes changed"


def change_member_method(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One member's compression method (local and central headers) set to another: stored, bzip2, lzma, unknown."""
    members = mutate.zip_members(data)
    if not members:
        return mutate.flip_bytes(data, rng), "archive flip_bytes"
    method = rng.choice((0, 8, 12, 14, 99))
    mutated = bytearray(data)
    positions = [match.start() for match in re.finditer(rb"PK\x01\x02|PK\x03\x04", data)]
    position = rng.choice(positions)
    offset = 10 if data[position + 2 : position + 4] == b"\x01\x02" else 8
    struct.pack_into("<H", mutated, position + offset, method)
    return bytes(mutated), f"zip header at {position}: method {method}"


# --- Images and PDF ---------------------------------------------------------------------------------------------


def mutate_png(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A chunk's length or type changed, or a chunk repeated, behind the signature."""
    if len(data) < 16:
        return mutate.flip_bytes(data, rng), "flip_bytes"
    chunks = []
    position = 8
    while position + 8 <= len(data):
        length = struct.unpack_from(">I", data, position)[0]
        chunks.append((position, length))
        position += 12 + length
    position, length = rng.choice(chunks)
    choice = rng.random()
    mutated = bytearray(data)
    if choice < 0.4:
        lengths = (0, 1, (length + 1) & 0xFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFFF)
        struct.pack_into(">I", mutated, position, rng.choice(lengths))
        return bytes(mutated), f"png chunk at {position}: length changed"
    if choice < 0.7:
        mutated[position + 4 : position + 8] = rng.choice((b"IEND", b"IHDR", b"zzzz", b"\x00\x00\x00\x00"))
        return bytes(mutated), f"png chunk at {position}: type changed"
    chunk = data[position : position + 12 + length]
    return data[:position] + chunk * rng.choice((2, 50)) + data[position:], f"png chunk at {position} repeated"


def mutate_jpeg(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A segment's length changed, or the file cut right after its start of image."""
    markers = [match.start() for match in re.finditer(rb"\xff[\xc0-\xfe]", data[:65536])]
    if not markers or rng.random() < 0.2:
        return data[: rng.choice((2, 3, 4, 20))], "jpeg cut after its start"
    position = rng.choice(markers)
    mutated = bytearray(data)
    if position + 4 <= len(data):
        struct.pack_into(">H", mutated, position + 2, rng.choice((0, 1, 2, 0xFFFF)))
    return bytes(mutated), f"jpeg segment at {position}: length changed"


def mutate_pdf(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """The header moved, preceded by invisible or visible bytes, or broken."""
    prefix = rng.choice((b"\xef\xbb\xbf", b"\n" * 1019, b"\n" * 1020, b" " * 2000, b"<html>", b"\x00", b""))
    header = rng.choice((b"%PDF-", b"%PDF", b"%pdf-", b"%PDF-1.7\x00", b""))
    body = data[5:] if data.startswith(b"%PDF-") else data
    return prefix + header + body, f"pdf header {header!r} after {len(prefix)} bytes"


def header_mutation(seed: bytes) -> Callable[[bytes, random.Random], tuple[bytes, str]] | None:
    if seed.startswith(b"\x89PNG"):
        return mutate_png
    if seed.startswith(b"\xff\xd8\xff"):
        return mutate_jpeg
    if b"%PDF-" in seed[:1024]:
        return mutate_pdf
    return None


# --- Cases --------------------------------------------------------------------------------------------------------


def _one_mutation(data: bytes, rng: random.Random, *, container: bool, ooxml: bool) -> tuple[bytes, str]:
    if container:
        choice = rng.random()
        if choice < 0.1:
            return corrupt_member_data(data, rng)
        if choice < 0.14:
            return change_member_method(data, rng)
        members = mutate.zip_members(data) if ooxml and choice < 0.6 else None
        if members:
            mutation = rng.choice(ooxml_mutations())
            description = mutation(members, rng)
            return mutate.rezip(members), description
        return mutate.mutate_zip(data, rng)
    specific = header_mutation(data)
    if specific is not None and rng.random() < 0.4:
        return specific(data, rng)
    operation = rng.choice(mutate.bytes_mutations())
    return operation(data, rng), operation.__name__


def document_cases(seed: bytes, *, count: int, rng_seed: int, kind: str) -> Iterator[Case]:
    """`count` mutations of `seed`, the same at every run for the same `rng_seed`. `kind`: "docx" (OOXML-aware and
    generic container mutations), "zip" (container mutations only), "bytes" (header-aware and byte mutations)."""
    rng = random.Random(rng_seed)
    container = kind in {"docx", "zip"}
    for number in range(count):
        data, description = _one_mutation(seed, rng, container=container, ooxml=kind == "docx")
        if rng.random() < 0.25:
            data, second = _one_mutation(data, rng, container=container, ooxml=kind == "docx")
            description = f"{description}, then {second}"
        yield Case(data=data, mutation=f"case {number}: {description}")
