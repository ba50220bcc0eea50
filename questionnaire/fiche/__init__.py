"""The fiche de renseignements: the annex's questionnaire on paper (DOCX and PDF), one per market, for the
pièces candidature. Its questions and choices come from the online questionnaire (`questionnaire.enums`,
`questionnaire.forms`, `questionnaire.texts`); `texts` lays them out for paper and names the few places where the
paper keeps the buyer's original fiche.

- `texts`: the paper wording;
- `selectors`: what a market's fiche shows besides that wording (`FicheContext`);
- `exports`: the DOCX (procurement's OOXML writer) and the PDF;
- `views`, `urls`: the two downloads, under the market's cahier des charges.
"""
