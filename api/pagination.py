"""Lists are paged with a cursor (`?cursor=…`, links `next` and `previous`): stable while data is added."""

import re

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination

from api.errors import Invalid, error


class NewestFirst(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = "Nombre d'éléments par page (50 par défaut, 200 au plus)."
    cursor_query_description = "Curseur de la page, tel que le donnent les liens `next` et `previous`."
    invalid_cursor_message = "Curseur invalide : reprenez le lien `next` ou `previous` d'une réponse précédente."

    def get_page_size(self, request) -> int:
        """The page size asked for; a wrong one is refused (DRF would quietly take the default)."""
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= self.max_page_size:
            raise Invalid(
                [
                    error(
                        line=None,
                        field=self.page_size_query_param,
                        reason=f"indiquez un nombre entier de 1 à {self.max_page_size}",
                    )
                ]
            )
        return int(text)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            # A cursor that is not ours is a wrong parameter (400), not a missing resource.
            raise Invalid(
                [error(line=None, field=self.cursor_query_param, reason=self.invalid_cursor_message)]
            ) from None
