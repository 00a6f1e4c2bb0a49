"""Counting the SQL a page issues, for the tests that keep pages at a bounded cost."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url) -> int:
    """The number of queries one successful GET of ``url`` takes."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def post_queries(client, url, data, status: int) -> int:
    """The number of queries one POST of ``data`` to ``url`` takes, answering ``status``."""
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == status
    return len(queries)
