"""Pages of the cahiers des charges: texts and versions, upload and download, roles, isolation, the list."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from procurement.enums import Role
from procurement.models import SpecificationText, StampedSpecification
from procurement.specifications.enums import SpecificationTextKind, StampingSource
from procurement.specifications.services import save_text_version, stamp_specification, validate_text_version
from tests.procurement.factories import MarketFactory, validated_encart
from tests.procurement.specifications import documents
from tests.procurement.specifications.helpers import full_text, tags_and_attributes
from tests.utils import text_of


def upload(name="cctp.docx", content=None):
    return SimpleUploadedFile(name, content or documents.complete_cctp(), content_type="application/octet-stream")


def stamped(market, *, user=None):
    validated_encart(organisation=market.organisation)
    return stamp_specification(
        market=market,
        content=documents.minimal(),
        filename="rc.docx",
        annex_url="https://egalite.example/annexe/x/",
        user=user,
    )


# --- Upload and download ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER])
def test_staff_upload_a_cahier_des_charges_and_download_it_stamped(client_with_role, works_market, role):
    client = client_with_role(role)
    source = documents.complete_cctp()
    url = reverse("procurement:market_specification", args=[works_market.pk])

    response = client.post(url, {"file": upload(content=source)}, follow=True)

    assert response.status_code == 200
    page = text_of(response)
    assert "L'encart égalité a été inséré à la place du repère [[ENCART_EGALITE]] dans «\u00a0cctp.docx\u00a0»" in page
    assert "L'article «\u00a0Article 2 bis. Installations sanitaires\u00a0» a été ajouté." in page
    record = StampedSpecification.objects.get()
    assert record.market == works_market
    assert record.source == StampingSource.WEB
    assert record.created_by.memberships.get().role == role
    assert record.source_sha256 == hashlib.sha256(source).hexdigest()
    assert record.encart_text.kind == SpecificationTextKind.ENCART
    assert record.base_vie_text.kind == SpecificationTextKind.BASE_VIE
    download = client.get(reverse("procurement:stamped_download", args=[works_market.pk, record.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="cctp-encart-egalite.docx"'
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == record.output_sha256
    assert "Politique d'égalité entre les femmes et les hommes de l'Agglomération A" in full_text(content)
    assert "cctp-encart-egalite.docx" in page


def test_a_services_market_gets_no_base_vie_article(buyer_client, services_market):
    url = reverse("procurement:market_specification", args=[services_market.pk])

    buyer_client.post(url, {"file": upload(content=documents.without_placeholder())})

    record = StampedSpecification.objects.get()
    assert record.base_vie_text is None
    assert record.base_vie_heading == ""
    with record.output.open("rb") as output:
        assert "Installations sanitaires" not in full_text(output.read())


def test_the_texts_used_are_the_current_versions(buyer_client, works_market, organisation):
    save_text_version(organisation=organisation, kind=SpecificationTextKind.ENCART, title="V1", body="Un.", user=None)
    latest = save_text_version(
        organisation=organisation, kind=SpecificationTextKind.ENCART, title="Encart v2", body="Deux.", user=None
    )
    validate_text_version(text=latest, user=None)

    buyer_client.post(reverse("procurement:market_specification", args=[works_market.pk]), {"file": upload()})

    record = StampedSpecification.objects.get()
    assert record.encart_text == latest
    with record.output.open("rb") as output:
        text = full_text(output.read())
    assert "Encart v2" in text
    assert "V1" not in text


def test_a_facilitator_may_not_stamp(client_with_role, works_market):
    client = client_with_role(Role.FACILITATOR)
    url = reverse("procurement:market_specification", args=[works_market.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"file": upload()}).status_code == 403
    assert not StampedSpecification.objects.exists()


def test_a_facilitator_may_not_download_a_stamped_document(client_with_role, works_market):
    record = stamped(works_market)
    client = client_with_role(Role.FACILITATOR)

    response = client.get(reverse("procurement:stamped_download", args=[works_market.pk, record.pk]))

    assert response.status_code == 403


def test_a_facilitator_may_not_move_the_texts(client_with_role, works_market):
    record = stamped(works_market)
    client = client_with_role(Role.FACILITATOR)

    response = client.post(reverse("procurement:stamped_preview", args=[works_market.pk, record.pk]), {})

    assert response.status_code == 403
    record.refresh_from_db()
    assert record.encart_after is None


def test_another_organisations_documents_answer_404(buyer_client, other_organisation):
    market_of_b = MarketFactory(organisation=other_organisation)
    record = stamped(market_of_b)

    urls = [
        reverse("procurement:market_specification", args=[market_of_b.pk]),
        reverse("procurement:stamped_download", args=[market_of_b.pk, record.pk]),
        reverse("procurement:stamped_preview", args=[market_of_b.pk, record.pk]),
    ]

    for url in urls:
        assert buyer_client.get(url).status_code == 404, url
    assert buyer_client.post(urls[0], {"file": upload()}).status_code == 404
    assert buyer_client.post(urls[2], {"encart_after": "1"}).status_code == 404
    assert StampedSpecification.objects.count() == 1
    record.refresh_from_db()
    assert record.encart_after is None


def test_a_document_of_another_market_of_the_same_buyer_answers_404(buyer_client, organisation):
    first, second = MarketFactory(organisation=organisation), MarketFactory(organisation=organisation)
    record = stamped(first)

    response = buyer_client.get(reverse("procurement:stamped_download", args=[second.pk, record.pk]))

    assert response.status_code == 404


def test_no_file_chosen_says_what_to_do(buyer_client, works_market):
    response = buyer_client.post(reverse("procurement:market_specification", args=[works_market.pk]), {})

    assert response.status_code == 200
    assert "Choisissez le cahier des charges à compléter." in text_of(response)


def test_the_market_page_lists_the_stamped_documents(buyer_client, works_market, buyer):
    stamped(works_market, user=buyer)

    page = text_of(buyer_client.get(reverse("procurement:market_specification", args=[works_market.pk])))

    assert "rc.docx" in page
    assert "encart v1, article base vie v1" in page
    assert "rc-encart-egalite.docx" in page


def test_the_market_detail_shows_the_cahier_des_charges_block(buyer_client, works_market):
    detail = reverse("procurement:market_detail", args=[works_market.pk])
    empty = "Aucun cahier des charges complété avec l'encart égalité pour ce marché."
    assert empty in text_of(buyer_client.get(detail))

    stamped(works_market)

    page = text_of(buyer_client.get(detail))
    assert "1 cahier des charges complété avec l'encart égalité" in page
    assert reverse("procurement:market_specification", args=[works_market.pk]) in page


# --- The markets list --------------------------------------------------------------------------------------------


def test_the_markets_list_shows_which_markets_have_a_stamped_document(buyer_client, organisation):
    with_one = MarketFactory(organisation=organisation, reference="AVEC-001")
    MarketFactory(organisation=organisation, reference="SANS-001")
    stamped(with_one)

    response = buyer_client.get(reverse("procurement:market_list"))

    rows = {market.reference: market.has_stamped_specification for market in response.context["markets"]}
    assert rows == {"AVEC-001": True, "SANS-001": False}
    assert "Encart inséré" in text_of(response)


def test_the_markets_list_has_no_query_per_market(buyer_client, organisation, django_assert_max_num_queries):
    for _ in range(12):
        stamped(MarketFactory(organisation=organisation))
    buyer_client.get(reverse("procurement:market_list"))  # warm the session

    with django_assert_max_num_queries(10):
        response = buyer_client.get(reverse("procurement:market_list"))

    assert text_of(response).count("Encart inséré") == 12


# --- Texts and versions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EQUALITY_OFFICER])
def test_admins_and_equality_officers_save_a_new_version(client_with_role, organisation, role):
    client = client_with_role(role)
    url = reverse("specifications:text_edit", args=["encart"])
    assert "Politique d'égalité entre les femmes et les hommes de l'Agglomération A" in text_of(client.get(url))

    client.post(url, {"title": "Notre engagement", "body": "Première version.", "action": "save"})
    second = {"title": "Notre engagement", "body": "Seconde **version**.", "action": "save"}
    response = client.post(url, second, follow=True)

    versions = SpecificationText.objects.filter(organisation=organisation, kind=SpecificationTextKind.ENCART)
    assert [(text.version, text.body) for text in versions] == [(2, "Seconde **version**."), (1, "Première version.")]
    assert "la version 2 sera utilisée pour les prochains cahiers des charges" in text_of(response)


def test_saving_an_unchanged_text_adds_no_version(equality_officer_client, organisation):
    url = reverse("specifications:text_edit", args=["base-vie"])
    data = {"title": "Installations sanitaires", "body": "Texte.", "action": "save"}
    equality_officer_client.post(url, data)

    response = equality_officer_client.post(url, data, follow=True)

    assert SpecificationText.objects.filter(organisation=organisation).count() == 1
    assert "Aucune modification\u00a0: la version 1 reste en vigueur." in text_of(response)


def test_old_versions_are_kept_and_shown(equality_officer_client, organisation):
    kind = SpecificationTextKind.ENCART
    for body in ("Texte A.", "Texte B."):
        save_text_version(organisation=organisation, kind=kind, title="T", body=body, user=None)

    page = text_of(equality_officer_client.get(reverse("specifications:text_versions", args=["encart"])))

    assert "Version 2 (en vigueur)" in page
    assert "Version 1" in page
    assert "Texte A." in page and "Texte B." in page


def test_a_stamped_document_keeps_the_version_it_used(works_market, organisation):
    first = stamped(works_market)
    kind = SpecificationTextKind.ENCART
    save_text_version(organisation=organisation, kind=kind, title="Nouveau", body="N.", user=None)

    second = stamped(works_market)

    first.refresh_from_db()
    assert first.encart_text.version == 1
    assert second.encart_text.version == 2


@pytest.mark.parametrize("role", [Role.BUYER, Role.FACILITATOR])
def test_other_roles_may_not_edit_texts(client_with_role, role):
    client = client_with_role(role)
    url = reverse("specifications:text_edit", args=["encart"])

    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x", "body": "y", "action": "save"}).status_code == 403
    assert not SpecificationText.objects.exists()


def test_the_preview_escapes_html_and_saves_nothing(equality_officer_client):
    url = reverse("specifications:text_edit", args=["encart"])
    body = '<script>alert("x")</script> **gras** [site](https://site.example/?a=1&b=2)\n- <b>point</b>'

    response = equality_officer_client.post(url, {"title": "<i>Titre</i>", "body": body, "action": "preview"})

    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<strong>gras</strong>" in html
    assert '<a href="https://site.example/?a=1&amp;b=2" rel="noopener">site</a>' in html
    assert "<li>&lt;b&gt;point&lt;/b&gt;</li>" in html
    assert "&lt;i&gt;Titre&lt;/i&gt;" in html
    assert not SpecificationText.objects.exists()


def test_a_javascript_link_is_refused(equality_officer_client):
    url = reverse("specifications:text_edit", args=["encart"])

    response = equality_officer_client.post(
        url, {"title": "T", "body": "[clic](javascript:alert(1))", "action": "save"}
    )

    assert "doit commencer par https://, http:// ou mailto:" in text_of(response)
    assert not SpecificationText.objects.exists()


def test_an_unknown_text_answers_404(equality_officer_client):
    assert equality_officer_client.get(reverse("specifications:text_edit", args=["autre"])).status_code == 404


def test_the_index_shows_texts_and_coverage(client_with_role, organisation):
    client = client_with_role(Role.FACILITATOR)

    page = text_of(client.get(reverse("specifications:index")))

    assert "Politique d'égalité entre les femmes et les hommes de l'Agglomération A" in page
    assert "Conformément à l'article R. 4228-5 du code du travail" in page
    assert "Seuls les administrateur·rices et les chargé·es de mission égalité peuvent modifier ces textes." in page


def test_texts_of_another_organisation_are_not_shown(client_with_role, other_organisation):
    save_text_version(
        organisation=other_organisation, kind=SpecificationTextKind.ENCART, title="Texte de B", body="B.", user=None
    )
    client = client_with_role(Role.EQUALITY_OFFICER)

    assert "Texte de B" not in text_of(client.get(reverse("specifications:index")))
    assert "Texte de B" not in text_of(client.get(reverse("specifications:text_versions", args=["encart"])))


# --- Navigation ---------------------------------------------------------------------------------------------


def test_the_navigation_leads_to_the_section(buyer_client):
    page = buyer_client.get(reverse("specifications:index")).content.decode()

    assert f'href="{reverse("specifications:index")}" aria-current="page"' in page


# --- Preview: where the texts land, and another heading picked from the outline ---------------------------------


def test_without_marker_the_upload_leads_to_a_preview_of_where_the_texts_land(buyer_client, works_market):
    from tests.procurement.specifications import cctp

    url = reverse("procurement:market_specification", args=[works_market.pk])
    response = buyer_client.post(url, {"file": upload(content=cctp.styled_articles())}, follow=True)

    record = StampedSpecification.objects.get()
    assert response.redirect_chain[-1][0] == reverse("procurement:stamped_preview", args=[works_market.pk, record.pk])
    page = text_of(response)
    assert "L'encart égalité a été inséré à la fin de la section «\u00a0Article 1 – Objet du marché\u00a0»" in page
    assert "dans la section «\u00a0Article 4 – Installation de chantier\u00a0»" in page
    assert "Encart égalité" in page and "Article base vie" in page
    assert "Déplacer les textes" in page
    assert record.encart_section == "Article 1 – Objet du marché"


def test_a_document_accepted_at_the_node_limit_still_gets_the_outline_of_its_stamped_copy(
    buyer_client, works_market, monkeypatch
):
    # The stamped copy holds the encart's tags besides its source's: reading it back must not refuse it as too
    # complex, or the preview would say the document has no headings.
    from procurement.specifications.docx import safety
    from tests.procurement.specifications import cctp

    source = cctp.styled_articles()
    monkeypatch.setattr(safety, "MAX_XML_NODES", tags_and_attributes(source))

    response = buyer_client.post(
        reverse("procurement:market_specification", args=[works_market.pk]),
        {"file": upload(content=source)},
        follow=True,
    )

    page = response.content.decode()
    assert 'class="fr-raw-list stamped-outline"' in page
    assert "Encart égalité</p>" in page and "Article base vie</p>" in page
    assert "Ce document n'a pas de titres" not in page


def test_the_buyer_moves_the_texts_to_other_headings_and_downloads_the_result(buyer_client, works_market):
    from procurement.specifications.docx.safety import open_docx
    from procurement.specifications.docx.stamping import document_outline
    from tests.procurement.specifications import cctp

    source = cctp.styled_articles()
    buyer_client.post(
        reverse("procurement:market_specification", args=[works_market.pk]), {"file": upload(content=source)}
    )
    record = StampedSpecification.objects.get()
    first_output = record.output.name
    indexes = {entry.text: entry.index for entry in document_outline(open_docx(source, filename="c.docx"))}
    preview = reverse("procurement:stamped_preview", args=[works_market.pk, record.pk])

    response = buyer_client.post(
        preview,
        {
            "encart_after": indexes["Article 3 – Description des ouvrages"],
            "base_vie_in": indexes["Article 5 – Réception des travaux"],
        },
        follow=True,
    )

    page = text_of(response)
    moved = "Textes déplacés\u00a0: l'encart égalité est inséré à la fin de la section «\u00a0Article 3 – Description"
    assert moved in page
    record.refresh_from_db()
    assert record.encart_section == "Article 3 – Description des ouvrages"
    assert record.base_vie_heading == "5.1 Installations sanitaires"
    assert record.output.name != first_output
    assert StampedSpecification.objects.count() == 1
    content = b"".join(
        buyer_client.get(reverse("procurement:stamped_download", args=[works_market.pk, record.pk])).streaming_content
    )
    assert hashlib.sha256(content).hexdigest() == record.output_sha256
    text = full_text(content)
    assert text.index("Article 3 – Description") < text.index("Politique d'égalité") < text.index("Article 4 –")
    # The choices are kept on the form.
    form_page = buyer_client.get(preview).content.decode()
    assert f'value="{indexes["Article 3 – Description des ouvrages"]}" selected' in form_page


def test_headings_inside_content_controls_are_offered_on_the_preview_and_the_texts_move_there(
    buyer_client, works_market
):
    from procurement.specifications.docx.safety import open_docx
    from procurement.specifications.docx.stamping import document_outline
    from tests.procurement.specifications import cctp

    source = cctp.in_content_control(
        cctp.in_content_control(cctp.controlled_cctp(), "Article 2 – Dispositions", cctp.BODY_TEXT[:20]),
        "Article 3 – Installation",
        "Les accès sont balisés.",
    )
    buyer_client.post(
        reverse("procurement:market_specification", args=[works_market.pk]), {"file": upload(content=source)}
    )
    record = StampedSpecification.objects.get()
    indexes = {entry.text: entry.index for entry in document_outline(open_docx(source, filename="c.docx"))}
    preview = reverse("procurement:stamped_preview", args=[works_market.pk, record.pk])

    form_page = buyer_client.get(preview).content.decode()
    assert record.encart_section == "Article 2 – Dispositions générales"
    assert f'<option value="{indexes["3.1 Accès au chantier"]}">— 3.1 Accès au chantier</option>' in form_page
    response = buyer_client.post(preview, {"encart_after": indexes["3.1 Accès au chantier"]}, follow=True)

    assert "à la fin de la section «\u00a03.1 Accès au chantier\u00a0»" in text_of(response)
    record.refresh_from_db()
    with record.output.open("rb") as output:
        text = full_text(output.read())
    assert text.index("Les accès sont balisés.") < text.index("Politique d'égalité") < text.index("Article 4 –")


def test_a_choice_not_in_the_outline_is_refused_and_keeps_the_document(buyer_client, works_market):
    from tests.procurement.specifications import cctp

    buyer_client.post(
        reverse("procurement:market_specification", args=[works_market.pk]),
        {"file": upload(content=cctp.styled_articles())},
    )
    record = StampedSpecification.objects.get()
    output = record.output_sha256

    response = buyer_client.post(
        reverse("procurement:stamped_preview", args=[works_market.pk, record.pk]), {"encart_after": "9999"}
    )

    assert response.status_code == 200
    assert "Choisissez un titre de la liste" in text_of(response)
    record.refresh_from_db()
    assert record.output_sha256 == output


def test_at_a_marker_the_preview_says_to_move_the_marker(buyer_client, works_market):
    buyer_client.post(reverse("procurement:market_specification", args=[works_market.pk]), {"file": upload()})
    record = StampedSpecification.objects.get()

    page = text_of(buyer_client.get(reverse("procurement:stamped_preview", args=[works_market.pk, record.pk])))

    assert "déplacez le repère dans Word" in page
    assert "Déplacer les textes" not in page


def test_the_preview_shows_the_closing_block_and_names_the_annexes_after_it(buyer_client, works_market):
    import docx

    from tests.procurement.specifications import cctp

    document = docx.Document()
    document.add_heading("Article 1 – Objet", level=1)
    document.add_paragraph(cctp.BODY_TEXT)
    document.add_heading("Article 2 – Installation de chantier", level=1)
    document.add_paragraph(cctp.BODY_TEXT)
    document.add_paragraph("Fait à Lens, le 2 mars 2026")
    document.add_heading("Annexe 1 – Planning", level=1)
    response = buyer_client.post(
        reverse("procurement:market_specification", args=[works_market.pk]),
        {"file": upload(content=cctp._save(document))},
        follow=True,
    )

    page = " ".join(re.sub(r"<[^>]+>", " ", text_of(response)).split())  # the words a reader sees
    assert "Fait à Lens, le 2 mars 2026 Bloc de signature" in page
    assert "Annexe 1 – Planning (après le bloc de signature)" in page
    assert "Article 1 – Objet (après" not in page
    assert "aurait priorité sur ce choix" in page


def test_the_upload_is_kept_for_the_preview_and_each_move_stamps_it_again(buyer_client, works_market):
    from procurement.specifications.docx.safety import open_docx
    from procurement.specifications.docx.stamping import document_outline
    from tests.procurement.specifications import cctp

    source = cctp.styled_articles()
    buyer_client.post(
        reverse("procurement:market_specification", args=[works_market.pk]), {"file": upload(content=source)}
    )
    record = StampedSpecification.objects.get()
    with record.source_file.open("rb") as handle:
        assert handle.read() == source
    indexes = {entry.text: entry.index for entry in document_outline(open_docx(source, filename="c.docx"))}
    preview = reverse("procurement:stamped_preview", args=[works_market.pk, record.pk])

    # Each move starts from the kept upload: the encart is never found twice, nor under the previous choice.
    for heading in ("Article 3 – Description des ouvrages", "Article 2 – Documents applicables"):
        response = buyer_client.post(preview, {"encart_after": indexes[heading]})
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.encart_section == heading
        with record.output.open("rb") as handle:
            text = full_text(handle.read())
        assert text.count("Politique d'égalité") == 1
        assert text.index(heading) < text.index("Politique d'égalité")
    with record.source_file.open("rb") as handle:
        assert handle.read() == source


def test_a_document_without_headings_says_how_to_place_the_encart_elsewhere(buyer_client, works_market):
    buyer_client.post(
        reverse("procurement:market_specification", args=[works_market.pk]),
        {"file": upload(content=documents.minimal())},
    )
    record = StampedSpecification.objects.get()

    page = text_of(buyer_client.get(reverse("procurement:stamped_preview", args=[works_market.pk, record.pk])))

    assert "Le document déposé n'a pas de titre à choisir" in page
    assert "n'est plus disponible" not in page
    assert "Déplacer les textes" not in page


def test_a_move_replaces_the_stamped_file_and_a_vanished_upload_is_said_in_french(
    buyer_client, works_market, django_capture_on_commit_callbacks
):
    from tests.procurement.specifications import cctp

    buyer_client.post(
        reverse("procurement:market_specification", args=[works_market.pk]),
        {"file": upload(content=cctp.styled_articles())},
    )
    record = StampedSpecification.objects.get()
    storage, first_output = record.output.storage, record.output.name
    preview = reverse("procurement:stamped_preview", args=[works_market.pk, record.pk])
    page = buyer_client.get(preview).content.decode()
    choice = page[page.index('<option value="', page.index('name="encart_after"')) :].split('"')[1]

    with django_capture_on_commit_callbacks(execute=True):
        assert buyer_client.post(preview, {"encart_after": choice}).status_code == 302
    record.refresh_from_db()
    assert not storage.exists(first_output) and storage.exists(record.output.name)

    # The kept upload disappears between the page and the click (purged meanwhile): a French refusal, no error.
    storage.delete(record.source_file.name)
    response = buyer_client.post(preview, {"encart_after": choice})
    assert response.status_code == 200
    assert "Le fichier déposé n'est plus disponible" in text_of(response)


def test_the_index_buttons_say_what_they_do_with_which_text(equality_officer_client):
    page = text_of(equality_officer_client.get(reverse("specifications:index")))

    links = re.findall(r'<a class="fr-btn[^"]*" href="[^"]*" title="([^"]*)">([^<]*)</a>', page)
    assert ("Modifier le texte «\u00a0Encart égalité\u00a0»", "Modifier le texte") in links
    assert ("Voir les versions du texte «\u00a0Encart égalité\u00a0»", "Voir les versions") in links
    # Two cards, each with its own « Modifier »: a bare label did not say which text it opened.
    assert ">Modifier</a>" not in page and ">Versions</a>" not in page


def test_the_last_stamped_documents_give_their_date_and_time_as_the_other_pages(equality_officer_client, market):
    stamped(market)

    page = text_of(equality_officer_client.get(reverse("specifications:index")))

    # « 02/12/2026 17:13 » read as two numbers; the other tables write « 02/12/2026 à 17 h 13 » (short_datetime).
    assert re.search(r"<td>\d\d/\d\d/\d{4} à \d{1,2}\u00a0h\u00a0\d\d</td>", page)
