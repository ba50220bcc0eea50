"""« Phrases pour le rapport »: the sentences of the yearly equality report, filled with the figures.

Modelled on the report voted by the council (Projet 6: "43 entreprises ont répondu à l'annexe égalité... Les
femmes représentent 36,35 %..."; Projet 2: "82 femmes soit 17 %... 16,7 % des heures"). Each sentence names the
population its figure is computed over, which is the indicator's denominator ("parmi les 17 structures dotées d'un
conseil d'administration qui en ont donné la composition"). A sentence whose figure is under statistical secrecy
says so instead of giving it; a sentence without data (denominator 0) is left out.

Two files: plain text (`build_phrases`) and a Word document (`build_phrases_docx`, our OOXML writer), with a
heading per theme, ready to paste into the yearly report.
"""

from analytics import secrecy
from analytics.indicators.base import Indicator, IndicatorSet
from procurement.enums import GENDER_GROUP_LABELS, Gender
from procurement.french import number, percent

# (subject for a secret figure, sentence): {count} structures answered for the role, {value} of them a woman.
ROLE_SENTENCES = {
    "president": (
        "La part des présidences occupées par des femmes",
        "Parmi les {count} structures qui ont indiqué qui occupe leur présidence, {value} l'ont confiée à une femme.",
    ),
    "secretary": (
        "La part des secrétariats occupés par des femmes",
        "Parmi les {count} structures qui ont indiqué qui occupe leur secrétariat, {value} l'ont confié à une femme.",
    ),
    "treasurer": (
        "La part des trésoreries occupées par des femmes",
        "Parmi les {count} structures qui ont indiqué qui occupe leur trésorerie, {value} l'ont confiée à une femme.",
    ),
}
THEMES = {"annex": "Annexe égalité", "clauses": "Clauses d'insertion", "specifications": "Cahiers des charges"}
COMMITMENT_VERBS = {
    "none": "n'en ont aucune",
    "agreements": "négocient des accords",
    "action_plan": "ont signé un plan d'actions",
    "training": "mettent en place des formations internes",
    "harassment_unit": "ont une cellule de traitement des violences sexistes et sexuelles au travail",
    "label": "détiennent un label égalité",
    "partnerships": "ont des partenariats avec des structures spécialisées sur l'égalité ou les violences",
    "events": "participent à des événements ou des opérations de communication",
    "other": "mènent d'autres actions",
}


class _Figures:
    def __init__(self, indicator_set: IndicatorSet, secrecy_threshold: int | None):
        self.by_key = indicator_set.by_key()
        self.threshold = secrecy_threshold
        self.secret_keys = secrecy.secret_keys(indicator_set, secrecy_threshold=secrecy_threshold)

    def secret(self, *keys: str) -> bool:
        return any(key in self.secret_keys for key in keys)

    def missing(self, *keys: str) -> bool:
        return any(self.by_key[key].value is None for key in keys)

    def __getitem__(self, key: str) -> Indicator:
        return self.by_key[key]

    def pct(self, key: str) -> str:
        return percent(self.by_key[key].value)

    def count(self, key: str, part: str = "value") -> str:
        return number(getattr(self.by_key[key], part))


def _plural(count: int, singular: str, plural: str) -> str:
    # French takes the singular for 0 as for 1 (« 0 réponse reçue »).
    return singular if count < 2 else plural


def _secret_sentence(subject: str, threshold: int | None) -> str:
    return (
        f"{subject} relève du secret statistique\u00a0: calculé sur moins de {threshold} structures ou personnes, "
        "ce chiffre n'est pas diffusé."
    )


def _structures(count: int) -> str:
    return f"{number(count)} " + _plural(count, "structure", "structures")


def _annex(f: _Figures, period: str) -> list[str]:
    respondents = f["respondents"].value
    sentences = [
        f"{period.capitalize()}, {number(respondents)} "
        + _plural(respondents, "structure a répondu", "structures ont répondu")
        + f" à l'annexe égalité ({number(f['responses'].value)} "
        + _plural(f["responses"].value, "réponse reçue", "réponses reçues")
        + "). Cette fiche reste facultative dans la réponse des entreprises aux appels d'offres."
    ]
    if not respondents:
        return sentences
    scopes = {
        "all": "Dans les {respondents} répondantes",
        "cadres": "Parmi les {count} cadres de ces structures",
        "non_cadres": "Parmi les {count} non cadres de ces structures",
    }
    for scope, opening in scopes.items():
        keys = [f"staff_{scope}_{gender}_share" for gender in Gender.values]
        if f.missing(*keys):
            continue
        if f.secret(*keys):
            # The pooled headcount of too few structures is secret too (analytics.secrecy.secret_denominators).
            opening = opening.replace("{count} ", "").format(respondents=_structures(respondents))
            sentences.append(_secret_sentence(f"{opening}, la répartition par sexe", f.threshold))
            continue
        opening = opening.format(respondents=_structures(respondents), count=f.count(keys[0], "denominator"))
        groups = [GENDER_GROUP_LABELS[gender] for gender in Gender]
        shares = [f.pct(key) for key in keys]
        others = [f"les {group} {share}" for group, share in zip(groups[1:], shares[1:], strict=True)]
        sentence = f"{opening}, les {groups[0]} représentent {shares[0]}, {', '.join(others[:-1])} et {others[-1]}"
        if scope == "all":
            sentence += f" de leurs effectifs ({f.count('staff_total')} personnes)"
        sentences.append(sentence + ".")
    board = f["board_has_share"]
    if board.value is not None:
        if f.secret("board_has_share"):
            sentences.append(
                _secret_sentence("La part des structures dotées d'un conseil d'administration", f.threshold)
            )
        else:
            sentences.append(
                f"Parmi les {_structures(board.denominator)} qui ont dit si elles ont un conseil d'administration, "
                f"{number(board.numerator)} ({f.pct('board_has_share')}) en "
                + _plural(board.numerator, "a", "ont")
                + " un."
            )
    if not f.missing("board_women_mean"):
        if f.secret("board_women_mean"):
            sentences.append(_secret_sentence("La part des femmes dans les conseils d'administration", f.threshold))
        else:
            value = number(f["board_women_mean"].value, places=2)
            given = f["board_women_mean"].denominator
            sentences.append(
                f"Parmi les {_structures(given)} dotées d'un conseil d'administration qui en ont donné la "
                f"composition, la part des femmes dans le conseil est en moyenne de {value}\u00a0%."
            )
    for role, (subject, template) in ROLE_SENTENCES.items():
        key = f"role_{role}_F_share"
        if f.missing(key):
            continue
        if f.secret(key):
            sentences.append(_secret_sentence(subject, f.threshold))
        else:
            sentences.append(template.format(count=f.count(key, "denominator"), value=f.pct(key)))
    if not f.missing("volunteers_women_mean"):
        if f.secret("volunteers_women_mean"):
            sentences.append(_secret_sentence("La part des femmes parmi les bénévoles", f.threshold))
        else:
            value = number(f["volunteers_women_mean"].value, places=2)
            sentences.append(
                f"Parmi les {_structures(f['volunteers_women_mean'].denominator)} qui ont donné la part des femmes "
                f"parmi leurs bénévoles, celle-ci est en moyenne de {value}\u00a0%."
            )
    commitments = [key for key in COMMITMENT_VERBS if not f.missing(f"commitment_{key}_share")]
    if commitments:
        if f.secret(*[f"commitment_{key}_share" for key in commitments]):
            sentences.append(_secret_sentence("Le détail des actions pour l'égalité", f.threshold))
        else:
            # As in the report: "aucune" first, then the actions by decreasing share (those nobody declared: left out).
            ordered = sorted(commitments, key=lambda key: (key != "none", -f[f"commitment_{key}_share"].value))
            parts = [
                f"{f.pct(f'commitment_{key}_share')} {COMMITMENT_VERBS[key]}"
                for key in ordered
                if key == "none" or f[f"commitment_{key}_share"].value
            ]
            sentences.append(
                f"Concernant les actions mises en place pour l'égalité, parmi les {_structures(respondents)} "
                "répondantes\u00a0: " + "\u00a0; ".join(parts) + "."
            )
    eligible = f["index_eligible"].value
    if eligible:
        sentence = (
            f"{number(eligible)} " + _plural(eligible, "structure compte", "structures comptent") + " au moins 50 "
            "salarié·es"
        )
        if f.secret("index_given_share", "index_mean"):
            secret = _secret_sentence("Leur index de l'égalité professionnelle", f.threshold)
            sentences.append(f"{sentence}. {secret}")
        elif not f.missing("index_mean"):
            mean, median = number(f["index_mean"].value, places=2), number(f["index_median"].value, places=2)
            given = f["index_given_share"].numerator
            sentences.append(
                sentence
                + f"\u00a0; parmi elles, {number(given)} ({f.pct('index_given_share')}) "
                + _plural(given, "a", "ont")
                + f" donné leur index de l'égalité professionnelle, de note moyenne {mean} sur 100 (médiane\u00a0: "
                f"{median})."
            )
        else:
            sentences.append(sentence + ", aucune n'a donné son index de l'égalité professionnelle.")
    return sentences


def _clauses(f: _Figures) -> list[str]:
    participants = f["participants"].value
    if not participants:
        return []
    sentences = []
    if f.secret("participants_F_share"):
        sentences.append(_secret_sentence("La part des femmes parmi les participant·es aux clauses", f.threshold))
    else:
        women = f["participants_F_share"].numerator
        sentence = (
            f"{number(women)} " + _plural(women, "femme", "femmes") + f", soit {f.pct('participants_F_share')} des "
            f"{number(participants)} participant·es aux clauses d'insertion"
        )
        if f.secret("hours_F_share", "hours_total"):
            # Without the hours, the sentence above has no verb: the share of women is said as for the staff.
            sentences.append(
                f"Les femmes représentent {f.pct('participants_F_share')} des {number(participants)} participant·es "
                f"aux clauses d'insertion ({number(women)} " + _plural(women, "femme", "femmes") + ")."
            )
            sentences.append(_secret_sentence("La part des heures d'insertion réalisées par des femmes", f.threshold))
        else:
            sentences.append(
                sentence
                + ", "
                + _plural(women, "a réalisé", "ont réalisé")
                + f" {f.pct('hours_F_share')} des {number(f['hours_total'].value, places=2)} heures d'insertion."
            )
    for key, singular, plural, population in (
        (
            "men_in_female_dominated_jobs",
            "est positionné sur un métier dit « féminin »",
            "sont positionnés sur des métiers dits « féminins »",
            "hommes participant aux clauses",
        ),
        (
            "women_in_male_dominated_jobs",
            "est positionnée sur un métier dit « masculin »",
            "sont positionnées sur des métiers dits « masculins »",
            "femmes participant aux clauses",
        ),
    ):
        count = f[key].value
        if count and not f.secret(key):
            sentences.append(
                f"Parmi les {f.count(key, 'denominator')} {population}, {number(count)} "
                f"{_plural(count, singular, plural)}."
            )
    markets = f["markets_with_clause"].value
    if markets:
        detail = ", ".join(
            f"{f.count(f'markets_with_clause_{key}')} de {label}"
            for key, label in (("works", "travaux"), ("services", "services"), ("supplies", "fournitures"))
        )
        sentence = f"La clause d'insertion porte sur {number(markets)} " + _plural(markets, "marché", "marchés")
        sentence += f" en cours ({detail})"
        if not f.missing("hours_completion") and not f.secret("hours_completion"):
            sentence += f"\u00a0; {f.pct('hours_completion')} des heures prévues sur la période ont été réalisées"
        sentences.append(sentence + ".")
    return sentences


def _specifications(f: _Figures) -> list[str]:
    share = f["specifications_with_encart_share"]
    if share.value is None:
        return []
    return [
        f"{percent(share.value)} des marchés publiés sur la période ({number(share.numerator)} sur "
        f"{number(share.denominator)}) ont un cahier des charges intégrant l'encart sur la politique égalité."
    ]


def report_sections(
    indicator_set: IndicatorSet, *, secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD
) -> list[tuple[str, list[str]]]:
    """(theme, sentences) for each theme that has something to say, in the order of the report."""
    figures = _Figures(indicator_set, secrecy_threshold)
    period = f"du {indicator_set.start:%d/%m/%Y} au {indicator_set.end:%d/%m/%Y}"
    sections = [
        (THEMES["annex"], _annex(figures, period)),
        (THEMES["clauses"], _clauses(figures)),
        (THEMES["specifications"], _specifications(figures)),
    ]
    return [(title, sentences) for title, sentences in sections if sentences]


def report_phrases(
    indicator_set: IndicatorSet, *, secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD
) -> list[str]:
    return [
        sentence
        for _, sentences in report_sections(indicator_set, secrecy_threshold=secrecy_threshold)
        for sentence in sentences
    ]


def build_phrases(indicator_set: IndicatorSet, *, secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD) -> bytes:
    """The sentences as a UTF-8 text file, one paragraph each."""
    text = "\n\n".join(report_phrases(indicator_set, secrecy_threshold=secrecy_threshold)) + "\n"
    return text.encode("utf-8")


def build_phrases_docx(
    indicator_set: IndicatorSet,
    *,
    secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD,
    organisation_name: str = "",
) -> bytes:
    """The sentences as a Word document: a title, a heading per theme (Word's "Titre 1"/"Titre 2" styles, so that
    they take the report's own heading styles once pasted), one paragraph per sentence."""
    from analytics.exports.docx import heading_document

    period = f"du {indicator_set.start:%d/%m/%Y} au {indicator_set.end:%d/%m/%Y}"
    title = "Égalité femmes-hommes dans la commande publique"
    subtitle = f"{organisation_name}, {period}" if organisation_name else period.capitalize()
    return heading_document(
        title=title,
        subtitle=subtitle,
        sections=report_sections(indicator_set, secrecy_threshold=secrecy_threshold),
    )
