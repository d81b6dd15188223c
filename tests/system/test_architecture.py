"""The architecture of ``sim/``: no import circle between its modules, and no model
module outside the structures naming a structure or a role."""

from __future__ import annotations

import ast
from pathlib import Path

from sim.model.structures import STRUCTURES

from tests.helpers import ROOT

SIM = ROOT / "sim"


def _runtime_imports(path: Path, package: str) -> set[str]:
    """Modules of ``sim`` that ``path`` imports when it runs (at any depth, in
    functions too), leaving out imports for type checkers only."""
    tree = ast.parse(path.read_text())
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom | ast.Import):
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("sim"))
            continue
        base = package.split(".")
        if node.level:
            base = base[:len(base) - node.level + 1]
            name = ".".join(base + ([node.module] if node.module else []))
        else:
            name = node.module or ""
        if not name.startswith("sim"):
            continue
        out.add(name)
        out.update(f"{name}.{a.name}" for a in node.names)  # `from . import x` names modules
    return out


def _modules() -> dict[str, Path]:
    mods = {}
    for path in SIM.rglob("*.py"):
        parts = list(path.relative_to(SIM.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def test_no_module_of_sim_imports_one_that_imports_it_back():
    mods = _modules()
    graph = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        graph[name] = {m for m in _runtime_imports(path, package) if m in mods and m != name}
    cycles = []

    def visit(node, stack, on_stack, done):
        on_stack.add(node)
        stack.append(node)
        for nxt in graph[node]:
            if nxt in on_stack:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, stack, on_stack, done)
        stack.pop()
        on_stack.discard(node)
        done.add(node)

    done: set[str] = set()
    for node in sorted(graph):
        if node not in done:
            visit(node, [], set(), done)
    # A package importing its own submodules is not a circle back up.
    cycles = [c for c in cycles if not all(m.startswith(c[0] + ".") or m == c[0] for m in c)]
    assert not cycles, "import circles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_model_module_outside_structures_names_a_structure_or_a_role():
    names = set(STRUCTURES) | {"staged", "lead_developer", "account_manager", "hunter",
                               "closer", "dispatcher", "specialist", "key_account_manager"}
    plugins = {SIM / "model" / "structures", SIM / "config" / "structures"}
    modules = [p for folder in ("model", "config") for p in sorted((SIM / folder).rglob("*.py"))
               if not plugins & set(p.parents)]
    assert len(modules) > 15  # every module of the model and the configuration
    found = []
    for path in modules:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    node.value in names):
                found.append(f"{path.relative_to(SIM)}:{node.lineno} {node.value!r}")
    assert not found, found


def test_the_layer_contracts_of_pyproject_hold(monkeypatch, capsys):
    """import-linter's contracts (layers, no circle in any folder, structures reached
    through their registry), type-only imports included; CI also runs `lint-imports`."""
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    code = lint_imports(no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out[-3000:]
