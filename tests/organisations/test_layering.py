"""organisations sits below grants: its services never import grants (grants connects to its signals instead)."""

import ast
from pathlib import Path

import organisations


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_organisation_services_do_not_import_grants():
    root = Path(organisations.__file__).parent
    for name in ("services.py", "signals.py"):
        imported = _imported_modules(root / name)
        assert not [module for module in imported if module.split(".")[0] == "grants"], name
