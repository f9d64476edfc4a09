"""Reading pages in a language, for the tests of what each language's readers see."""

from django.urls import reverse
from django.utils.translation import override


def url_in(language, name, *args, query=""):
    """The address of a named page in a language, with an optional query string."""
    with override(language):
        return reverse(name, args=args) + query


def html_of(client, url):
    """The page's HTML; it must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()
