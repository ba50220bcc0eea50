"""Cahiers des charges: the equality encart and the base-vie article stamped into .docx files.

- `markup`: the restricted text markup of the encart (bold, lists, links) and its HTML/DOCX renderings;
- `safety`: refuses hostile .docx files before anything is read further or written;
- `stamping`: inserts the texts into the raw OOXML, every other part copied unchanged;
- `package`: a complete .docx written from body elements (the paper fiche, owned by questionnaire/fiche/, and the
  demo's documents use it);
- `texts`: the default encart and base-vie article.
"""
