"""`{% data_table %}`: the DSFR table the staff pages list things in, written once.

    {% load tables %}
    {% data_table "Nom" "Rôle" rows=tokens page=page_obj extra_classes="fr-table--no-caption" %}
      {% caption class="fr-sr-only" %}Jetons de l'organisation{% endcaption %}
      {% for token in tokens %}<tr><td>{{ token.name }}</td><td>{{ token.get_role_display }}</td></tr>{% endfor %}
    {% empty %}
      <p>Aucun jeton pour l'instant.</p>
    {% enddata_table %}

The positional arguments are the column headers (`<th scope="col">`). The `{% caption %}` block comes first: every
table is named, for screen readers at least. The content is the body rows. With `rows`, nothing but the
`{% empty %}` block (if any) shows when `rows` is empty; without it, the table always shows. With `page`, the
pagination follows the table when there is more than one page. Everything else of the table is in
`templates/includes/_data_table.html`.
"""

from django import template
from django.template.base import FilterExpression, NodeList, TextNode, kwarg_re

register = template.Library()

TEMPLATE_NAME = "includes/_data_table.html"
OPTIONS = ("rows", "page", "extra_classes")


class DataTableNode(template.Node):
    def __init__(
        self,
        *,
        headers: list[FilterExpression],
        options: dict[str, FilterExpression],
        caption: NodeList,
        caption_class: FilterExpression | None,
        body: NodeList,
        empty: NodeList,
    ):
        self.headers, self.options = headers, options
        self.caption, self.caption_class = caption, caption_class
        self.body, self.empty = body, empty

    def render(self, context) -> str:
        if "rows" in self.options and not self.options["rows"].resolve(context):
            return self.empty.render(context)
        values = {
            "headers": [header.resolve(context) for header in self.headers],
            "caption": self.caption.render(context),
            "caption_class": self.caption_class.resolve(context) if self.caption_class else "",
            "body": self.body.render(context),
            "page": self.options["page"].resolve(context) if "page" in self.options else None,
            "extra_classes": self.options["extra_classes"].resolve(context) if "extra_classes" in self.options else "",
        }
        table = context.template.engine.get_template(TEMPLATE_NAME)
        with context.push(**values):
            return table.render(context)


@register.tag
def data_table(parser, token) -> DataTableNode:
    headers, options = [], {}
    for bit in token.split_contents()[1:]:
        name, value = kwarg_re.match(bit).groups()
        if name is None:
            headers.append(parser.compile_filter(value))
        elif name in OPTIONS:
            options[name] = parser.compile_filter(value)
        else:
            known = ", ".join(OPTIONS)
            raise template.TemplateSyntaxError(f"{{% data_table %}} ne connaît pas l'option « {name} » : {known}.")

    before_caption = parser.parse(("caption",))
    if any(not isinstance(node, TextNode) or node.s.strip() for node in before_caption):
        raise template.TemplateSyntaxError("{% data_table %} commence par son {% caption %}…{% endcaption %}.")
    caption_bits = parser.next_token().split_contents()[1:]
    caption_class = None
    if caption_bits:
        name, value = kwarg_re.match(caption_bits[0]).groups()
        if name != "class" or len(caption_bits) > 1:
            raise template.TemplateSyntaxError('{% caption %} ne prend qu\'une option : class="…".')
        caption_class = parser.compile_filter(value)
    caption = parser.parse(("endcaption",))
    parser.delete_first_token()

    body = parser.parse(("empty", "enddata_table"))
    empty = NodeList()
    if parser.next_token().contents == "empty":
        empty = parser.parse(("enddata_table",))
        parser.delete_first_token()
    return DataTableNode(
        headers=headers, options=options, caption=caption, caption_class=caption_class, body=body, empty=empty
    )
