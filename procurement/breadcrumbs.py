"""The fil d'Ariane of staff pages: views declare it, base.html draws it with django-dsfr's `{% dsfr_breadcrumb %}`."""

from django.urls import reverse


class BreadcrumbMixin:
    """Puts `breadcrumb_data` ({"links": [...], "current": ...}, django-dsfr's format) in the page's context.

    A page declares `breadcrumb_links`, (title, URL name) pairs from the top down, and `breadcrumb_current`;
    when they depend on the page's objects it overrides `get_breadcrumb_links()` (title, URL) and
    `get_breadcrumb_current()`. The home page comes first by itself ("Accueil").
    """

    breadcrumb_links: tuple[tuple[str, str], ...] = ()
    breadcrumb_current: str = ""

    def get_breadcrumb_links(self) -> list[tuple[str, str]]:
        return [(title, reverse(url_name)) for title, url_name in self.breadcrumb_links]

    def get_breadcrumb_current(self) -> str:
        return self.breadcrumb_current

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumb_data"] = {
            "root_dir": reverse("home"),
            "links": [{"url": url, "title": title} for title, url in self.get_breadcrumb_links()],
            "current": self.get_breadcrumb_current(),
        }
        return context
