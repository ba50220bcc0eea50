"""What each buyer adapts in its annex (QuestionnaireSettings)."""

from django.db import transaction

from procurement.models import Organisation
from questionnaire import texts
from questionnaire.models import QuestionnaireSettings


@transaction.atomic
def update_introduction(*, organisation: Organisation, introduction: str) -> QuestionnaireSettings:
    """Stores the buyer's introduction; blank, or the default text unchanged, stores "use the default"."""
    introduction = introduction.strip().replace("\r\n", "\n")
    if introduction == texts.DEFAULT_INTRODUCTION:
        # Kept blank so that a later improvement of the default wording reaches this buyer too.
        introduction = ""
    settings, _ = QuestionnaireSettings.objects.select_for_update().get_or_create(organisation=organisation)
    if settings.introduction != introduction:
        settings.introduction = introduction
        settings.save(update_fields=["introduction", "updated_at"])
    return settings
