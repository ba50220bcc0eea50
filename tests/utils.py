import html


def text_of(response) -> str:
    """The page as a user reads it: HTML entities (such as &#x27;) decoded."""
    return html.unescape(response.content.decode())
