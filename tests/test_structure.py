"""The package's shape: the stages import only from earlier stages, and only the adapter
knows Pelican's generators, signals and content classes (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "research"
# cache/ (the incremental build's store and hooks) sits just after core: read/ and link/ call it
ORDER = ["core", "cache", "read", "model", "link", "render", "export", "index"]
OUTER = ("guard", "adapter", "cli")  # may import anything
PELICAN_MACHINERY = ("pelican.generators", "pelican.signals", "pelican.contents",
                     "pelican.plugins.signals")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.relative_to(PACKAGE).parts


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:` (annotations only, never run)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    lines.add(inner.lineno)
    return lines


def _imports(path: Path, parts: tuple[str, ...]):
    """(line, absolute module name) of every import of the module, at any depth (imports
    inside functions count), leaving out those only for type checkers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    package = ["research", *parts[:-1]]
    if parts[-1] == "__init__.py":
        package = ["research", *parts[:-1]]
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:  # `from . import x`: the names are modules
                    for alias in node.names:
                        yield node.lineno, f"{module}.{alias.name}"
                    continue
                yield node.lineno, module
            else:
                yield node.lineno, node.module or ""


def test_only_the_adapter_imports_pelicans_generators_signals_and_content_classes():
    found = [f"{'/'.join(parts)}:{line}: {module}"
             for path, parts in _modules() if parts[0] != "adapter"
             for line, module in _imports(path, parts)
             if module.startswith(PELICAN_MACHINERY)
             or (module == "pelican" and _names_signals(path, line))]
    assert found == [], "Pelican's generator machinery outside adapter/: " + "; ".join(found)


def _names_signals(path: Path, line: int) -> bool:
    """`from pelican import signals` (the module `pelican`, the name `signals`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.ImportFrom) and node.lineno == line
               and any(alias.name in ("signals", "contents", "generators")
                       for alias in node.names) for node in ast.walk(tree))


def test_each_stage_imports_only_from_earlier_stages():
    wrong = []
    for path, parts in _modules():
        stage = parts[0]
        if stage not in ORDER:
            continue
        for line, module in _imports(path, parts):
            names = module.split(".")
            if names[0] != "research" or len(names) < 2:
                continue
            target = names[1]
            if target in OUTER or (target in ORDER and ORDER.index(target) > ORDER.index(stage)):
                wrong.append(f"{'/'.join(parts)}:{line}: {stage} imports {module}")
    assert wrong == [], "imports against the pipeline's direction: " + "; ".join(wrong)


def test_the_plugins_register_hands_over_to_the_adapter():
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "adapter"}, imported


def test_the_checker_sees_a_violation(tmp_path):
    """(The checks above would pass on nothing: the import walk finds a planted one.)"""
    planted = tmp_path / "views.py"
    planted.write_text("def f():\n    from ..export import tables\n    from pelican import "
                       "signals\n", encoding="utf-8")
    found = list(_imports(planted, ("render", "views.py")))
    assert (2, "research.export") in found and _names_signals(planted, 3)
