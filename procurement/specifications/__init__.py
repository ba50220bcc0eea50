"""Cahiers des charges: the equality encart and the base-vie article stamped into .docx files.

- `markup`: the restricted text markup of the encart (bold, lists, links) and its HTML/DOCX renderings;
- `safety`: refuses hostile .docx files before anything is read further or written;
- `stamping`: inserts the texts into the raw OOXML, every other part copied unchanged;
- `fiche`: the fiche de renseignements (the questionnaire on paper) as DOCX and PDF;
- `texts`: default texts and the questionnaire wording.
"""
