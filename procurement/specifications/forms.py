from django import forms

from procurement import spreadsheets
from procurement.forms import DsfrForm
from procurement.models import SpecificationText
from procurement.specifications.docx import markup
from procurement.specifications.docx.safety import MAX_UPLOAD_BYTES
from procurement.specifications.docx.stamping import SourceOutline

BODY_MAX_LENGTH = 6000
MARKUP_HELP = (
    "Une ligne par paragraphe. Mise en forme possible\u00a0: **texte en gras**, une ligne commençant par "
    "«\u00a0-\u00a0» pour une liste à puces, [texte du lien](https://adresse) pour un lien."
)


class SpecificationTextForm(DsfrForm):
    title = forms.CharField(
        label="Titre",
        max_length=SpecificationText._meta.get_field("title").max_length,
        error_messages={"required": "Indiquez le titre du texte."},
    )
    body = forms.CharField(
        label="Texte",
        max_length=BODY_MAX_LENGTH,
        help_text=MARKUP_HELP,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={
            "required": "Le texte ne peut pas être vide.",
            "max_length": f"Le texte doit faire au plus {BODY_MAX_LENGTH} caractères.",
        },
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        errors = markup.link_errors(body)
        if errors:
            raise forms.ValidationError(errors)
        if not markup.parse(body):
            raise forms.ValidationError("Le texte ne peut pas être vide.")
        return body


class StampUploadForm(DsfrForm):
    file = forms.FileField(
        label="Cahier des charges (.docx)",
        help_text="Document Word au format .docx, 20\u00a0Mo au plus. Placez le repère [[ENCART_EGALITE]] "
        "à l'endroit voulu\u00a0; sans repère, l'encart suit le premier article (ou les dispositions générales), et "
        "vous pourrez choisir un autre titre avant de télécharger le document.",
        widget=forms.ClearableFileInput(attrs={"accept": f".docx,{spreadsheets.DOCX}"}),
        error_messages={"required": "Choisissez le cahier des charges à compléter."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "Ce fichier dépasse 20\u00a0Mo\u00a0: allégez le document (images compressées, annexes à part) "
                "puis déposez-le à nouveau."
            )
        return upload


AFTER_CLOSING = " (après le bloc de signature)"
PLATFORM_CHOICE = "Choix de la plateforme (installation de chantier, sinon après l'encart)"


class PlacementForm(DsfrForm):
    """On the preview: the heading whose section the encart ends, and the one the base-vie article goes in,
    picked from the uploaded document's outline (`selectors.source_outline`)."""

    encart_after = forms.TypedChoiceField(
        label="Placer l'encart égalité à la fin de la section",
        coerce=int,
        help_text="Les titres du document déposé, dans leur ordre.",
        error_messages={"invalid_choice": "Choisissez un titre de la liste\u00a0: le document a peut-être changé."},
    )
    base_vie_in = forms.TypedChoiceField(
        label="Placer l'article sur les installations sanitaires dans la section",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="L'article devient le dernier sous-titre de la section choisie.",
        error_messages={"invalid_choice": "Choisissez un titre de la liste\u00a0: le document a peut-être changé."},
    )

    def __init__(self, *args, outline: SourceOutline, with_base_vie: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (entry.index, f"{'— ' * entry.level}{entry.text}{AFTER_CLOSING if outline.after_closing(entry) else ''}")
            for entry in outline.entries
        ]
        self.fields["encart_after"].choices = choices
        if with_base_vie:
            self.fields["base_vie_in"].choices = [("", PLATFORM_CHOICE), *choices]
        else:
            del self.fields["base_vie_in"]
