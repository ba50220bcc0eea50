"""Benchmark: the peak memory of stamping a cahier des charges, real and hostile, each in a process of its own.

Run from the project root: `.venv/bin/python benchmarks/specifications/bench_memory.py [--paragraphs P]`.
Measures `open_docx` + `stamp_package` + the stamped file written to disk, as the growth of the process's peak
resident memory (Linux: VmHWM reset through /proc/self/clear_refs once the modules are loaded and the file read).
Baselines of the same run: a generated cahier des charges (`bench_stamp.py`'s, 10,000 paragraphs: about 500
pages) and the largest real one of the corpus (tests/corpus/docx/public/poi-bug65649.docx); then hostile shapes
built to hold exactly `MAX_XML_NODES` tags and attributes (the worst that is accepted), and one just above the
limit (refused before parsing). Prints each peak, its ratio to the bytes of the XML parts and to the generated
document's peak; fails if an accepted file passes TARGET_MB.
"""

import argparse
import base64
import io
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_MB = 500
REAL = ROOT / "tests" / "corpus" / "docx" / "public" / "poi-bug65649.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_TEXT_NODE = 9_500_000  # libxml2 refuses a text node above 10,000,000 bytes unless huge_tree is on


def child(path: str) -> None:
    """Stamps one file in this process and prints what it cost, as JSON."""
    from benchmarks.specifications.bench_stamp import bench_texts
    from procurement.links import qr_png
    from procurement.specifications.docx.safety import UnsafeDocument, open_docx
    from procurement.specifications.docx.stamping import stamp_package

    texts = bench_texts()
    qr_code = qr_png(texts.annex_url)
    content = Path(path).read_bytes()
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from what the process holds now
    before = _status_mb("VmRSS")
    started = time.process_time()
    try:
        result = stamp_package(open_docx(content, filename="cahier.docx"), texts=texts, qr_code_png=qr_code)
        Path(path).with_suffix(".stamped.docx").write_bytes(result.content)
        status = "accepté"
    except UnsafeDocument as refusal:
        status = f"refusé ({refusal.code})"
    cpu = time.process_time() - started
    print(json.dumps({"status": status, "cpu": cpu, "peak_mb": _status_mb("VmHWM") - before}))


def _status_mb(field: str) -> float:
    return int(re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1000


def measure(path: Path) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def counted(content: bytes) -> tuple[int, int]:
    """The bytes of the XML parts, and their tags and attributes (what `MAX_XML_NODES` bounds)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = [archive.read(name) for name in archive.namelist() if name.endswith((".xml", ".rels"))]
    return sum(len(data) for data in parts), sum(data.count(b"<") + data.count(b"=") for data in parts)


def spaced(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def template() -> dict[str, bytes]:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def hostile(body: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A .docx whose body is `body`, with a paragraph of random text so that no part is compressed more than
    100 times (the ratio check would refuse it before anything else)."""
    parts = template() | (extra or {})
    noise = base64.b64encode(random.Random(2026).randbytes(len(body) // 80 + 1)).rstrip(b"=")
    parts["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>'.encode()
        + body
        + b"<w:p><w:r><w:t>"
        + noise
        + b"</w:t></w:r></w:p><w:p><w:r><w:t>[[ENCART_EGALITE]]</w:t></w:r></w:p><w:sectPr/></w:body></w:document>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return output.getvalue()


def hostile_shapes(limit: int) -> list[tuple[str, bytes]]:
    """Each shape filled up to `limit` tags and attributes (the count of the empty document taken off)."""
    room = limit - counted(hostile(b""))[1]
    paragraph = b'<w:p a="" b="" c="" d="" e="" f="" g="" h=""/>'  # one tag, eight attributes
    depth = 120  # libxml2 refuses more than 256 levels
    nested = b"<w:sdt><w:sdtContent>" * depth + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * depth
    per_part = 190_000  # 4-byte tags: each part under 1 MB, below the size from which its ratio is checked
    parts = {f"word/partie{index}.xml": b"<r>" + b"<a/>" * per_part + b"</r>" for index in range(room // per_part)}
    parts["word/media/bruit.bin"] = random.Random(1).randbytes(room // 10)  # the archive's ratio under 100
    texts = [b"x" * MAX_TEXT_NODE] * 3
    return [
        ("paragraphes vides (un objet Python par bloc)", hostile(b"<w:p/>" * room)),
        ("attributs (huit par paragraphe)", hostile(paragraph * (room // 9))),
        (f"imbrication ({depth} contrôles de contenu)", hostile(nested * (room // nested.count(b"<")))),
        ("réparti sur des parties XML de moins de 1 Mo", hostile(b"<w:p/>", extra=parts)),
        (
            "5 textes de 9,5 Mo (limite de 50 Mo)",
            hostile(b"<w:p><w:r><w:t>" + b"</w:t><w:t>".join([b"x" * MAX_TEXT_NODE] * 5) + b"</w:t></w:r></w:p>"),
        ),
        (
            "paragraphes vides et 3 textes de 9,5 Mo",
            hostile(b"<w:p/>" * (room - 12) + b"<w:p><w:r><w:t>" + b"</w:t><w:t>".join(texts) + b"</w:t></w:r></w:p>"),
        ),
        ("paragraphes vides, 1 % au-delà de la limite", hostile(b"<w:p/>" * (room + limit // 100))),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=10_000, help="Paragraphes du document généré.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return 0

    from benchmarks.specifications.bench_stamp import build_document
    from procurement.specifications.docx.safety import MAX_XML_NODES

    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / "genere.docx"
        build_document(generated, paragraphs=options.paragraphs, formatting=True)
        cases = [
            (f"généré, {options.paragraphs} paragraphes (~{options.paragraphs // 20} pages)", generated.read_bytes()),
            ("réel, le plus gros du corpus (poi-bug65649.docx)", REAL.read_bytes()),
            *hostile_shapes(MAX_XML_NODES),
        ]
        print(
            f"Limite\u00a0: {spaced(MAX_XML_NODES)} balises et attributs "
            "(«\u00a0<\u00a0» et «\u00a0=\u00a0» des parties XML)"
        )
        print(
            f"{'Document':52} {'dépôt':>8} {'XML':>8} {'balises+attr.':>13} {'résultat':>22} {'CPU':>6} "
            f"{'pic':>7} {'pic/XML':>7} {'/généré':>7}"
        )
        baseline = None
        worst = 0.0
        for label, content in cases:
            path = Path(folder) / "cas.docx"
            path.write_bytes(content)
            xml_bytes, nodes = counted(content)
            figures = measure(path)
            peak = figures["peak_mb"]
            baseline = baseline or peak
            if figures["status"] == "accepté":
                worst = max(worst, peak)
            print(
                f"{label:52} {len(content) / 1e6:6.2f}Mo {xml_bytes / 1e6:6.1f}Mo {spaced(nodes):>13} "
                f"{figures['status']:>22} {figures['cpu']:5.2f}s {peak:5.0f}Mo {peak * 1e6 / xml_bytes:6.1f}x "
                f"{peak / baseline:6.1f}x",
                flush=True,
            )
    print(f"Pic le plus haut d'un fichier accepté : {worst:.0f} Mo (objectif ≤ {TARGET_MB} Mo)")
    return 0 if worst <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
