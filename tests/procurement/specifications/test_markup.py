from procurement.specifications.docx import markup
from procurement.specifications.docx.markup import Block, Span
from procurement.templatetags.encart import encart_html


def test_lines_become_paragraphs_and_list_items():
    blocks = markup.parse("Premier paragraphe.\n\n- un point\n* autre point\nFin.")

    assert blocks == [
        Block((Span("Premier paragraphe."),)),
        Block((Span("un point"),), is_list_item=True),
        Block((Span("autre point"),), is_list_item=True),
        Block((Span("Fin."),)),
    ]


def test_bold_and_links():
    spans = markup.parse_inline("Voir **notre [plan](https://plan.example/)** en ligne")

    assert spans == [
        Span("Voir "),
        Span("notre ", bold=True),
        Span("plan", bold=True, href="https://plan.example/"),
        Span(" en ligne"),
    ]


def test_an_unpaired_marker_stays_text():
    assert markup.parse_inline("un **gras** et 2 ** 3") == [
        Span("un "),
        Span("gras", bold=True),
        Span(" et 2 ** 3"),
    ]


def test_links_other_than_http_and_mailto_stay_text_and_are_reported():
    source = "[a](javascript:alert(1)) [b](file:///etc/passwd) [c](mailto:egalite@example.org)"

    assert markup.parse_inline(source)[-1] == Span("c", href="mailto:egalite@example.org")
    assert "javascript" in markup.parse_inline(source)[0].text
    assert markup.link_errors(source) == [
        "Le lien «\u00a0javascript:alert(1\u00a0» doit commencer par https://, http:// ou mailto:.",
        "Le lien «\u00a0file:///etc/passwd\u00a0» doit commencer par https://, http:// ou mailto:.",
    ]


def test_html_is_escaped_everywhere():
    html = encart_html('<img src=x onerror=alert(1)> **<b>** [<i>](https://x.example/?q="a")\n- <li>')

    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<strong>&lt;b&gt;</strong>" in html
    assert '<a href="https://x.example/?q=&quot;a&quot;" rel="noopener">&lt;i&gt;</a>' in html
    assert "<ul><li>&lt;li&gt;</li></ul>" in html


def test_plain_text_keeps_the_link_addresses():
    plain = markup.to_plain_text("Voir [le site](https://a.example/)\n- point")

    assert plain == "Voir le site (https://a.example/)\n• point"
