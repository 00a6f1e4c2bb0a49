"""No import cycles inside the amparo package: an import written inside a function counts
as much as one at the top of a module, since it only hides the cycle until that function
runs. The detector is small and pure, and is itself tested on packages written to disk."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

AMPARO = Path(__file__).resolve().parents[1]


def _is_test_file(parts: tuple[str, ...]) -> bool:
    return "tests" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def package_modules(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root`` by dotted name (the package's own name
    first), leaving out migrations and tests: they are not imported by the product."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).parts
        if "migrations" in parts or _is_test_file(parts):
            continue
        dotted = list(parts[:-1]) + ([] if path.name == "__init__.py" else [path.stem])
        found[".".join(dotted)] = path
    return found


def _imported_names(tree: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Every dotted name imported anywhere in ``tree``, in functions too; a relative
    import is resolved against ``module``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if is_package else module.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join(here + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Which of ``modules`` each one imports. ``from a import b`` reaches ``a.b`` when it
    is a module, else ``a``; a package's own parents are not edges (importing
    ``a.b`` always runs ``a`` first, which is not a choice the code makes)."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target in _imported_names(tree, name, path.name == "__init__.py"):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round about (strongly
    connected components of more than one module), each sorted; iterative Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    cycles.append(sorted(group))
    return sorted(cycles)


def cycles_in_package(root: Path) -> list[list[str]]:
    return import_cycles(import_graph(package_modules(root)))


# --- the rule itself ----------------------------------------------------------------------


def test_amparo_has_no_import_cycle() -> None:
    cycles = cycles_in_package(AMPARO)
    assert cycles == [], "modules importing each other: " + "; ".join(
        " <-> ".join(group) for group in cycles
    )


def test_the_detector_sees_the_whole_package() -> None:
    modules = package_modules(AMPARO)
    # A sample across apps, so that an empty or partial walk cannot pass as "no cycle".
    for name in ("amparo.settings", "amparo.accounts.access", "amparo.rollout.services"):
        assert name in modules
    assert not any(".migrations." in name or ".tests" in name for name in modules)
    graph = import_graph(modules)
    assert "amparo.accounts.models" in graph["amparo.rollout.services"]


# --- the detector on packages written for the test ----------------------------------------


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/b.py": "def late():\n    from pkg.a import thing\n    return thing\n",
        },
    )
    assert cycles_in_package(package) == [["pkg.a", "pkg.b"]]


def test_a_cycle_of_three_through_relative_imports_is_found(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "from . import x\n",
            "pkg/sub/x.py": "from ..c import value\n",
            "pkg/c.py": "import pkg.d\nvalue = 1\n",
            "pkg/d.py": "from .sub.x import other\n",
            "pkg/free.py": "import os\nfrom pkg import c\n",
        },
    )
    assert cycles_in_package(package) == [["pkg.c", "pkg.d", "pkg.sub.x"]]


def test_a_package_without_a_cycle_passes(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import thing\n",  # a parent may import its child
            "pkg/a.py": "from pkg.b import helper\nthing = helper\n",
            "pkg/b.py": "import json\n\ndef helper():\n    from pkg import c\n    return c\n",
            "pkg/c.py": "VALUE = 1\n",
            "pkg/tests/test_a.py": "from pkg import a\n",
            "pkg/migrations/0001.py": "from pkg import a\n",
        },
    )
    assert cycles_in_package(package) == []
    assert set(package_modules(package)) == {"pkg", "pkg.a", "pkg.b", "pkg.c"}


def test_tests_and_migrations_do_not_make_cycles(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.tests import helpers\n",
            "pkg/tests/__init__.py": "",
            "pkg/tests/helpers.py": "from pkg import a\n",
        },
    )
    assert cycles_in_package(package) == []


def test_importing_a_name_reaches_its_module_not_a_submodule_of_the_same_name(
    tmp_path: Path,
) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import c\n",  # c is a function of b, not a module
            "pkg/b.py": "def c():\n    return 1\n",
            "pkg/d.py": "from pkg.a import x\n",
        },
    )
    graph = import_graph(package_modules(package))
    assert graph["pkg.a"] == {"pkg.b"}
    assert graph["pkg.d"] == {"pkg.a"}


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _brute_force_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Modules grouped by mutual reachability, the obvious (slow) way."""
    reach = {node: _reachable(graph, node) for node in graph}
    groups = {frozenset({node} | {o for o in reach[node] if node in reach[o]}) for node in graph}
    return sorted(sorted(g) for g in groups if len(g) > 1)


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, set[str]]:
    names = [f"m{i}" for i in range(draw(st.integers(1, 9)))]
    edges = draw(st.sets(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=25))
    return {name: {b for a, b in edges if a == name and b != name} for name in names}


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_the_cycles_found_are_exactly_the_mutually_reachable_groups(graph) -> None:
    assert import_cycles(graph) == _brute_force_cycles(graph)


@pytest.mark.parametrize("length", [2, 5, 60])
def test_a_ring_of_any_length_is_one_cycle(length: int) -> None:
    names = [f"m{i:03d}" for i in range(length)]
    graph = {name: {names[(i + 1) % length]} for i, name in enumerate(names)}
    assert import_cycles(graph) == [names]
    graph[names[-1]] = set()  # cut the ring: a chain has no cycle
    assert import_cycles(graph) == []


def test_a_long_chain_needs_no_deep_recursion() -> None:
    names = [f"m{i:05d}" for i in range(5000)]
    graph = {name: {names[i + 1]} if i + 1 < len(names) else set() for i, name in enumerate(names)}
    graph[names[-1]] = {names[0]}
    assert import_cycles(graph) == [names]
