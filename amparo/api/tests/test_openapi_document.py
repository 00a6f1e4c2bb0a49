"""The OpenAPI document lists the operations docs/api.md documents, under the same
operation ids and tags: moving operations between modules or routers cannot drop one or
rename it without this failing. And no module of the API imports ``amparo.api.api`` back
(the routers are mounted there)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from amparo.api.api import api

ROOT = Path(__file__).resolve().parents[3]
API_DOC = ROOT / "docs" / "api.md"
API_PACKAGE = ROOT / "amparo" / "api"

ROW = re.compile(r"^\| `(GET|POST|PUT|PATCH|DELETE) (/\S*)` \| `(\w+)` \| ([^|]+) \|$")
MENTION = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s]*)`")


def _documented_operations() -> set[tuple[str, str, str, str]]:
    rows = set()
    for line in API_DOC.read_text(encoding="utf-8").splitlines():
        found = ROW.match(line.strip())
        if found:
            method, path, operation_id, tag = found.groups()
            rows.add((method, path, operation_id, tag.strip()))
    return rows


def _served_operations() -> set[tuple[str, str, str, str]]:
    schema = api.get_openapi_schema(path_prefix="")
    return {
        (method.upper(), path, operation["operationId"], ", ".join(operation["tags"]))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def test_the_document_has_exactly_the_operations_documented() -> None:
    documented = _documented_operations()
    assert len(documented) == 17
    assert _served_operations() == documented


def test_every_address_the_api_page_mentions_is_served() -> None:
    served = {(method, path) for method, path, _id, _tag in _served_operations()}
    mentioned = set(MENTION.findall(API_DOC.read_text(encoding="utf-8")))
    assert mentioned and mentioned <= served


def test_no_module_of_the_api_imports_the_api_object_back() -> None:
    importers = []
    for module in API_PACKAGE.rglob("*.py"):
        if "tests" in module.parts or module.name == "urls.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if "amparo.api.api" in names:
                importers.append(module.relative_to(ROOT).as_posix())
    assert importers == []
