from procurement import demo
from procurement.models import Market, SpecificationText, StampedSpecification


def test_the_demo_has_texts_for_both_buyers_and_some_stamped_documents():
    demo.seed()
    demo.seed()  # idempotent

    for slug in (demo.DEMO_SLUG, demo.OTHER_SLUG):
        assert SpecificationText.objects.filter(organisation__slug=slug).count() == 2
    stamped = StampedSpecification.objects.filter(market__organisation__slug=demo.DEMO_SLUG)
    markets = Market.objects.filter(organisation__slug=demo.DEMO_SLUG).count()
    assert stamped.count() == len(range(0, markets, 3))
    assert not StampedSpecification.objects.filter(market__organisation__slug=demo.OTHER_SLUG).exists()


def test_the_demo_encarts_are_completed_validated_and_named_with_their_article():
    demo.seed()

    for slug in (demo.DEMO_SLUG, demo.OTHER_SLUG):
        encart = SpecificationText.objects.filter(organisation__slug=slug, kind="encart").order_by("-version").first()
        assert encart.is_validated
        assert "COMPLÉTER" not in encart.title + encart.body
        assert "Politique d'égalité entre les femmes et les hommes de l'Agglomération" in encart.title
        assert "Signataire de la **Charte européenne" in encart.body
        assert "de Agglomération" not in encart.title + encart.body
