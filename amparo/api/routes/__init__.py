"""The API's operations, one ``Router`` per area of the product; ``amparo.api.api`` mounts
them. Each operation writes out its ``operation_id``: the ids are part of the published
OpenAPI document (clients generate code from them), so moving an operation to another
module must not change them (``tests/test_openapi_document.py`` holds the list).

These modules do not postpone annotations (no ``from __future__ import annotations``):
django-ninja builds each operation's parameters from its annotations when the module is
imported, and cannot resolve them as strings.
"""
