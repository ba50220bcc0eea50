"""Benchmark: stamping a ~200-page cahier des charges against python-docx opening and saving it.

Run from the project root: `.venv/bin/python benchmarks/specifications/bench_stamp.py [--repeat N]`
(`--without-placeholder`: placed by the outline; `--controls`: each article in a Word content control).
Both sides read the file from disk and write the result to disk; ours also runs every safety check.
Prints the medians and the ratio (target: at most 1.5).
"""

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402
from PIL import Image  # noqa: E402

from procurement.links import qr_png  # noqa: E402
from procurement.specifications import texts as default_texts  # noqa: E402
from procurement.specifications.docx.stamping import StampTexts, stamp_docx  # noqa: E402

WORDS = [
    "titulaire",
    "marché",
    "prestations",
    "exécution",
    "délai",
    "pénalités",
    "acheteur",
    "ouvrage",
    "chantier",
    "sécurité",
    "qualité",
    "réception",
    "travaux",
    "fournitures",
    "conformité",
    "norme",
    "garantie",
    "entretien",
    "maintenance",
    "planning",
    "personnel",
    "encadrement",
    "sous-traitance",
    "facturation",
    "règlement",
    "avance",
    "retenue",
    "résiliation",
    "litige",
    "environnement",
    "déchets",
    "recyclage",
    "insertion",
    "égalité",
    "formation",
    "contrôle",
    "rapport",
    "réunion",
    "livraison",
]
TARGET = 1.5


def build_document(
    path: Path,
    *,
    paragraphs: int = 4000,
    seed: int = 2026,
    placeholder: bool = True,
    controls: bool = False,
    formatting: bool = False,
) -> None:
    """`formatting`: one paragraph in five in a numbered or bulleted list, the others written in several runs,
    some bold, italic or in another size, as a document typed in Word; tables with borders."""
    rng = random.Random(seed)
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Cahier des clauses techniques particulières — banc d'essai"
    section.footer.paragraphs[0].text = "Agglomération de démonstration"
    image = io.BytesIO()
    Image.new("RGB", (120, 80), (0, 0, 145)).save(image, format="PNG")
    article = 0
    for index in range(paragraphs):
        if index % 20 == 0:
            article += 1
            document.add_heading(f"Article {article}. {' '.join(rng.sample(WORDS, 3)).capitalize()}", level=1)
        elif index % 7 == 0:
            document.add_heading(f"{article}.{index % 20} {' '.join(rng.sample(WORDS, 4))}", level=2)
        elif formatting and index % 5 == 0:
            style = "List Number" if index % 2 else "List Bullet"
            document.add_paragraph(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + ".", style=style)
        elif formatting:
            paragraph = document.add_paragraph()
            for number in range(rng.randint(3, 6)):
                run = paragraph.add_run(" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 9))) + " ")
                run.bold, run.italic = number % 3 == 1, number % 4 == 2
                if number % 5 == 3:
                    run.font.size = Pt(11)
        else:
            document.add_paragraph(" ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 45))).capitalize() + ".")
        if index % 150 == 75:
            table = document.add_table(rows=6, cols=4)
            if formatting:
                table.style = "Table Grid"
            for row in table.rows:
                for cell in row.cells:
                    cell.text = " ".join(rng.sample(WORDS, 2))
        if index == 1000:
            document.add_picture(image, width=Cm(4))
        if placeholder and index == paragraphs // 2:
            # Split across runs, as Word often does: the whole body must then be scanned.
            holder = document.add_paragraph()
            holder.add_run("[[ENCART_")
            holder.add_run("EGALITE]]").bold = True
    if controls:
        wrap_articles_in_content_controls(document.element.body)
    document.save(str(path))


def wrap_articles_in_content_controls(body) -> None:
    """Each article (its heading to the next one's) in a rich-text content control, as public buyers' Word
    templates wrap their sections."""
    articles: list[list] = []
    for child in list(body):
        style = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) == "Heading1":
            articles.append([])
        if articles and child.tag != qn("w:sectPr"):
            articles[-1].append(child)
    for number, children in enumerate(articles, start=1):
        control = OxmlElement("w:sdt")
        properties = OxmlElement("w:sdtPr")
        alias, identifier = OxmlElement("w:alias"), OxmlElement("w:id")
        alias.set(qn("w:val"), f"Article {number}")
        identifier.set(qn("w:val"), str(number))
        properties.extend([alias, identifier])
        content = OxmlElement("w:sdtContent")
        control.extend([properties, content])
        children[0].addprevious(control)
        content.extend(children)


def bench_texts() -> StampTexts:
    """The default encart and base-vie article of a demonstration buyer (`bench_memory.py` stamps with them too)."""
    title, body = default_texts.default_encart(name="Agglomération de démonstration", article="l")
    base_vie_title, base_vie_body = default_texts.default_base_vie()
    return StampTexts(
        encart_title=title,
        encart_body=body,
        annex_url="http://127.0.0.1:8000/annexe/banc-essai/",
        market_reference="2026-BENCH-001",
        base_vie_title=base_vie_title,
        base_vie_body=base_vie_body,
    )


def stamp_once(source: Path, target: Path, texts: StampTexts) -> None:
    # The QR code is made inside the measure, as the web page does before stamping.
    result = stamp_docx(source.read_bytes(), filename=source.name, texts=texts, qr_code_png=qr_png(texts.annex_url))
    target.write_bytes(result.content)


def python_docx_once(source: Path, target: Path) -> None:
    docx.Document(str(source)).save(str(target))


def interleaved_medians(first, second, repeat: int) -> tuple[float, float]:
    """Alternates the two so that a busy machine slows both alike; returns both medians in seconds."""
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, bucket in ((first, timings[0]), (second, timings[1])):
            start = time.perf_counter()
            function()
            bucket.append(time.perf_counter() - start)
    return statistics.median(timings[0]), statistics.median(timings[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--paragraphs", type=int, default=4000)
    parser.add_argument(
        "--without-placeholder",
        action="store_true",
        help="Sans repère [[ENCART_EGALITE]] (l'encart suit le premier article).",
    )
    parser.add_argument(
        "--controls",
        action="store_true",
        help="Chaque article dans un contrôle de contenu Word (texte enrichi), comme les modèles d'acheteurs.",
    )
    options = parser.parse_args()
    texts = bench_texts()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "cctp-200-pages.docx"
        placeholder = not options.without_placeholder
        build_document(source, paragraphs=options.paragraphs, placeholder=placeholder, controls=options.controls)
        ours_out, theirs_out = Path(folder) / "ours.docx", Path(folder) / "python-docx.docx"
        # Warm-up (imports, caches) outside the measure, for both.
        stamp_once(source, ours_out, texts)
        python_docx_once(source, theirs_out)
        ours, theirs = interleaved_medians(
            lambda: stamp_once(source, ours_out, texts), lambda: python_docx_once(source, theirs_out), options.repeat
        )
        size_kb = source.stat().st_size / 1024
        ours_kb, theirs_kb = ours_out.stat().st_size / 1024, theirs_out.stat().st_size / 1024
    ratio = ours / theirs
    placement = "sans repère" if options.without_placeholder else "repère [[ENCART_EGALITE]] coupé en deux runs"
    if options.controls:
        placement += ", articles dans des contrôles de contenu"
    print(f"Document : {options.paragraphs} paragraphes (~200 pages), {size_kb:.0f} Ko, {placement}")
    print(f"Répétitions : {options.repeat}, alternées (médianes)")
    print(f"Notre insertion (contrôles compris) : {ours * 1000:.0f} ms")
    print(f"python-docx ouvrir + enregistrer   : {theirs * 1000:.0f} ms")
    print(f"Taille produite : {ours_kb:.0f} Ko (la nôtre), {theirs_kb:.0f} Ko (python-docx)")
    print(f"Rapport : {ratio:.2f} (objectif ≤ {TARGET})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
