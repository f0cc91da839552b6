"""Dependencies point inward. A domain app imports only the apps beneath it, so a newcomer can
read the layers bottom-up, and a rule cannot quietly move to the wrong place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PARLEY = Path(__file__).resolve().parent.parent / "parley"

DOMAIN = {"core", "communities", "identity", "stories", "comments", "moderation", "campaigns"}
# realtime is transport (events and streams) that domain apps publish through.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "realtime": {"core"},
    "communities": {"core"},
    "identity": {"core", "communities"},
    "stories": {"core", "communities", "realtime"},
    "comments": {"core", "communities", "identity", "stories", "realtime"},
    "moderation": {"core", "communities", "identity", "stories", "comments", "realtime"},
    "campaigns": {
        "core",
        "communities",
        "identity",
        "stories",
        "comments",
        "moderation",
        "realtime",
    },
    # The interfaces depend on the domain; nothing depends on them.
    "api": DOMAIN | {"realtime"},
    "embed": DOMAIN | {"realtime", "ops"},
    "ops": DOMAIN | {"realtime"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "parley" and len(parts) > 1:
                found.add(parts[1])
    return found


def app_modules(app: str) -> list[Path]:
    return [
        path
        for path in (PARLEY / app).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_the_layers_beneath_it(app: str) -> None:
    offences = {
        f"{path.relative_to(PARLEY)} imports parley.{other}"
        for path in app_modules(app)
        for other in imported_apps(path) - {app, "cli"}
        if other not in ALLOWED[app]
    }
    assert not offences, sorted(offences)


def test_every_app_is_in_the_map() -> None:
    apps = {p.name for p in PARLEY.iterdir() if (p / "__init__.py").exists() and p.name != "locale"}
    assert apps == set(ALLOWED)


def test_views_never_fetch_protected_rows_directly() -> None:
    """Views and API routers go through access_* functions, selectors and actions."""
    offences = []
    for path in [*PARLEY.glob("api/routers/*.py"), *PARLEY.glob("*/views.py")]:
        text = path.read_text(encoding="utf-8")
        for needle in (
            "Comment.objects.get(",
            "Commenter.objects.get(",
            "CampaignCase.objects.get(",
        ):
            if needle in text:
                offences.append(f"{path.relative_to(PARLEY)}: {needle}")
    assert not offences, offences
