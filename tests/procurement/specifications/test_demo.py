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
