"""The OParl app reads the domain apps; they never import it, so that the API can be removed or
replaced without touching the AG's content model."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("workgroup", "home")


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield node.args[0].value


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_the_domain_apps_do_not_import_the_oparl_app(app):
    files = sorted((ROOT / app).rglob("*.py"))
    assert files
    offending = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in files
        for module in imported_modules(path)
        if module == "oparl" or module.startswith("oparl.")
    ]
    assert not offending, offending
