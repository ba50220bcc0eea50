"""Deterministic mutations of real files, for the fuzz tests of every reader of uploaded files.

A fuzz case is a seed file (from `tests/corpus/`) changed by one mutation drawn from a `random.Random` with a fixed
seed, so that a failing case is reproduced by its (seed file, case number) alone. Containers (DOCX, XLSX, ODS…) are
zips of XML parts: most of their mutations change one part and write the zip again, so that they reach the XML
readers behind the archive checks instead of stopping at a broken central directory."""

import io
import lzma
import random
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Bytes that mean something to the formats we read: delimiters, quotes, line ends, markup, NUL, BOM, high bytes.
INTERESTING_BYTES = b";,\t\"'\r\n<>&=/\\\x00\xff\xfe\xef\xbb\xbf\x80"
INTERESTING_TEXTS = (
    b"\xef\xbb\xbf",
    b"\x00",
    b"\r\n",
    b'"',
    b";;;;;;;;",
    b"=1+1",
    b"-2147483649",
    b"99999999999999999999999",
    b"1e400",
    b"NaN",
    b"\xf0\x9f\x98\x80",
    b"\xed\xa0\x80",  # a lone surrogate, invalid UTF-8
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"&a;",
    b"]]>",
    b"XFD1048576",
)
# XML attribute values worth trying: huge counts, negatives, references off the sheet, wrong types.
INTERESTING_VALUES = (
    b"0",
    b"-1",
    b"1048576",
    b"2147483648",
    b"999999999999",
    b"A0",
    b"XFD1048577",
    b"",
    b"x",
    b"1.5",
)


@dataclass(frozen=True)
class Case:
    """One mutated file and how it was made (for the failure message)."""

    data: bytes
    mutation: str


def bytes_mutations() -> list[Callable[[bytes, random.Random], bytes]]:
    return [
        flip_bytes,
        insert_interesting,
        truncate,
        duplicate_slice,
        delete_slice,
        replace_interesting_byte,
        nest_deeply,
    ]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        mutated[rng.randrange(len(mutated))] = rng.randrange(256)
    return bytes(mutated)


def insert_interesting(data: bytes, rng: random.Random) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + rng.choice(INTERESTING_TEXTS) * rng.choice((1, 1, 2, 64)) + data[at:]


def replace_interesting_byte(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        mutated[rng.randrange(len(mutated))] = rng.choice(INTERESTING_BYTES)
    return bytes(mutated)


NESTINGS = (b"[", b'{"a": ', b"<a>")


def nest_deeply(data: bytes, rng: random.Random) -> bytes:
    """Opens arrays, objects or elements thousands of times (never closed, or closed as deep): a small file that
    nests deeper than a recursive reader goes (Python's json raised RecursionError, which nothing caught)."""
    at = rng.randint(0, len(data))
    opening = rng.choice(NESTINGS)
    depth = rng.choice((300, 5_000, 100_000))
    closing = {b"[": b"]", b'{"a": ': b"}", b"<a>": b"</a>"}[opening] * depth if rng.random() < 0.5 else b""
    return data[:at] + opening * depth + closing + data[at:]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, max(len(data) - 1, 0))]


def duplicate_slice(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randint(1, 256))
    return data[:end] + data[start:end] * rng.choice((1, 2, 16)) + data[end:]


def delete_slice(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 64) :]


def change_attribute_value(data: bytes, rng: random.Random) -> bytes:
    """Replaces the value of one XML attribute (`name="…"`) by an interesting one."""
    quotes = [index for index in range(len(data) - 1) if data[index : index + 2] == b'="']
    if not quotes:
        return flip_bytes(data, rng)
    start = rng.choice(quotes) + 2
    end = data.find(b'"', start)
    if end < 0:
        return data
    return data[:start] + rng.choice(INTERESTING_VALUES) + data[end:]


def duplicate_element(data: bytes, rng: random.Random) -> bytes:
    """Repeats the text from one `<` to a later `>`: an element repeated, or markup cut across its nesting."""
    opens = [index for index in range(len(data)) if data[index : index + 1] == b"<"]
    if not opens:
        return duplicate_slice(data, rng)
    start = rng.choice(opens)
    end = data.find(b">", start + rng.randint(1, 400))
    if end < 0:
        return data
    return data[: end + 1] + data[start : end + 1] * rng.choice((1, 2, 50)) + data[end + 1 :]


def xml_mutations() -> list[Callable[[bytes, random.Random], bytes]]:
    return [*bytes_mutations(), change_attribute_value, change_attribute_value, duplicate_element, duplicate_element]


def rezip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        # A member added again under the same name ("META-INF/" upper-cased is itself) is a mutation: zipfile's
        # « Duplicate name » warning would be an error in the test suite (filterwarnings = error).
        warnings.simplefilter("ignore", UserWarning)
        for info, content in members:
            archive.writestr(info, content)
    return buffer.getvalue()


def zip_members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info, archive.read(info)) for info in archive.infolist()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error, lzma.LZMAError):
        return None  # a member whose compressed bytes are damaged raises the error of its decompressor


def mutate_zip(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One change to one member (mostly an XML part), or to the member list, or to the archive's bytes."""
    members = zip_members(data)
    if not members or rng.random() < 0.1:
        mutation = rng.choice(bytes_mutations())
        return mutation(data, rng), f"archive {mutation.__name__}"
    choice = rng.random()
    if choice < 0.08:
        index = rng.randrange(len(members))
        name = members[index][0].filename
        del members[index]
        return rezip(members), f"member {name} removed"
    if choice < 0.12:
        index = rng.randrange(len(members))
        info, content = members[index]
        members.append((zipfile.ZipInfo(info.filename.upper()), content))
        return rezip(members), f"member {info.filename} added again, upper case"
    xml_indexes = [index for index, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    index = rng.choice(xml_indexes or range(len(members)))
    info, content = members[index]
    mutation = rng.choice(xml_mutations())
    members[index] = (info, mutation(content, rng))
    return rezip(members), f"member {info.filename}: {mutation.__name__}"


def cases(seed: bytes, *, count: int, rng_seed: int, container: bool) -> Iterator[Case]:
    """`count` mutations of `seed`, the same ones at every run for the same `rng_seed`."""
    rng = random.Random(rng_seed)
    for number in range(count):
        if container:
            data, mutation = mutate_zip(seed, rng)
        else:
            operation = rng.choice(bytes_mutations())
            data, mutation = operation(seed, rng), operation.__name__
        yield Case(data=data, mutation=f"case {number}: {mutation}")
