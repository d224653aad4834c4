"""The house (issue 10): a subpackage per stage, no import circles, no stage importing a higher one.

Every import of every module of ``graph/`` and ``service/`` is read with ``ast`` (those inside
functions too: a lazy import is still a dependency), resolved to the module it names, and checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
RANKS = {
    "graph": 0,  # graph.namespaces, graph.paths, graph.oxi: used by every stage
    "graph.compile": 1,
    "graph.query": 2,
    "graph.check": 3,
    "graph.network": 3,
    "graph.publish": 3,
    "graph.contrib": 4,
    "graph.report": 4,
    "service": 5,
}
"""compile < query < check, network, publish < contrib, report < service; stages of one rank are
apart."""


def _modules() -> dict[str, Path]:
    found = {}
    for package in ("graph", "service"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                out.add(target)
    return out


def _graph() -> nx.DiGraph:
    modules = _modules()
    g = nx.DiGraph()
    for name, path in modules.items():
        g.add_node(name)
        for target in _imports(name, path, modules):
            if modules[target].name != "__init__.py" or target in ("graph", "service"):
                g.add_edge(name, target)
    return g


def _stage(module: str) -> str:
    if module.startswith("service"):
        return "service"
    parts = module.split(".")
    candidate = ".".join(parts[:2])
    return candidate if candidate in RANKS else "graph"


def test_the_import_graph_is_read() -> None:
    g = _graph()
    assert g.has_edge("graph.query.engine", "graph.oxi")
    assert g.has_edge("service.sandbox.workers", "service.sandbox.worker_main")
    assert g.number_of_edges() > 150


def test_no_import_circles() -> None:
    circles = [c for c in nx.simple_cycles(_graph()) if len(c) > 1]
    assert not circles, "import circles: " + "; ".join(" -> ".join([*c, c[0]]) for c in circles)


def test_no_stage_imports_a_higher_or_a_sibling_stage() -> None:
    wrong = []
    for module, target in _graph().edges:
        here, there = _stage(module), _stage(target)
        if here != there and RANKS[there] >= RANKS[here]:
            wrong.append(f"{module} ({here}) imports {target} ({there})")
    assert not wrong, "\n".join(wrong)


SANDBOX_MAY = {"service.pages.netviews", "service.pages.links", "service.server.settings"}
"""What the sandbox takes from the web app's folders: network views (a posted network is drawn in a
worker) and settings; nothing that serves a request."""


def test_the_sandbox_and_the_web_app_stay_apart_from_the_command_line() -> None:
    wrong = []
    for module, target in _graph().edges:
        if target in SANDBOX_MAY:
            continue
        if module.startswith("service.sandbox") and target.startswith(
            (
                "service.server.app",
                "service.server.state",
                "service.server.deps",
                "service.api",
                "service.pages",
                "service.accounts",
                "service.limits",
                "service.cli",
            )
        ):
            wrong.append(f"{module} imports {target}")
        if not module.startswith("service.cli") and target.startswith("service.cli"):
            wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_every_subpackage_says_what_it_does_and_may_import() -> None:
    inits = [*(ROOT / "graph").glob("*/__init__.py"), *(ROOT / "service").glob("*/__init__.py")]
    assert len(inits) >= 8
    for init in inits:
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "May import" in doc, init


PARTS = {"server", "limits", "accounts", "api", "pages", "sandbox", "cli"}
"""The folders of ``service/``: the server, cache and limits, accounts and sessions, the API, the
pages, the sandbox and the command line (issue 29)."""
GUIDE = 400
"""About how many lines a module may have (the style guide)."""


def test_service_is_grouped_into_folders_naming_its_parts() -> None:
    service = ROOT / "service"
    loose = sorted(p.name for p in service.glob("*.py") if p.name != "__init__.py")
    assert not loose, f"modules outside a folder: {loose}"
    assert {p.parent.name for p in service.glob("*/__init__.py")} == PARTS


def test_every_module_is_within_the_guide() -> None:
    modules = [
        p
        for package in ("graph", "service")
        for p in (ROOT / package).rglob("*.py")
        if "node_modules" not in p.parts
    ]
    assert len(modules) > 100
    long = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in modules
        if (n := len(p.read_text().splitlines())) > GUIDE
    ]
    assert not long, "\n".join(long)
