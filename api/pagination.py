"""Lists are paged with a cursor (`?cursor=…`, links `next` and `previous`): stable while data is added."""

from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_size_query_description = "Nombre d'éléments par page (50 par défaut, 200 au plus)."
    cursor_query_description = "Curseur de la page, tel que le donnent les liens `next` et `previous`."
    invalid_cursor_message = "Curseur invalide : reprenez le lien `next` ou `previous` d'une réponse précédente."
