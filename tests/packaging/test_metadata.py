"""Packaging metadata agrees with itself: one version, the tested Pythons, the license, the changelog."""

from __future__ import annotations

import ast
import re

import pytest
import tomllib

from tests.conftest import ROOT

pytestmark = pytest.mark.packaging

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _noxfile_pythons() -> list[str]:
    for node in ast.parse((ROOT / "noxfile.py").read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PYTHONS" for t in node.targets):
            pythons: list[str] = ast.literal_eval(node.value)
            return pythons
    raise AssertionError("noxfile.py has no PYTHONS")


def _version() -> str:
    m = re.search(r'^__version__ = "([^"]+)"$', (ROOT / "gorillacompat" / "__init__.py").read_text(), re.M)
    assert m, "gorillacompat/__init__.py sets no __version__"
    return m.group(1)


def test_one_version_source() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "gorillacompat.__version__"}
    assert "version=" not in (ROOT / "setup.py").read_text().replace(" ", "")


def test_a_classifier_for_each_tested_python() -> None:
    pythons = _noxfile_pythons()
    classified = [
        c.rsplit(" :: ", 1)[1]
        for c in PYPROJECT["project"]["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert classified == pythons
    assert PYPROJECT["project"]["requires-python"] == f">={pythons[0]}"


def test_spdx_license_and_its_file() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "BSD-3-Clause"
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("BSD 3-Clause License")
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]  # superseded by SPDX
    assert project["urls"]


def test_the_changelog_follows_keep_a_changelog_and_the_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n")
    releases = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.M)
    assert releases and releases[0][0] in ("Unreleased", _version())
    for name, date in releases:
        assert name == "Unreleased" or (re.fullmatch(r"\d+\.\d+\.\d+", name) and date), name
    released = [name for name, _ in releases if name != "Unreleased"]
    if released:  # the newest release is the version the package says it is, or older
        newest = tuple(int(x) for x in released[0].split("."))
        assert newest <= tuple(int(x) for x in _version().split("."))
    for heading in re.findall(r"^### (.+)$", text, re.M):
        assert heading in ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"), heading


def test_the_deprecation_policy_is_in_the_docs() -> None:
    policy = (ROOT / "docs" / "deprecation.md").read_text()
    assert "DeprecationWarning" in policy
    assert "deprecation" in (ROOT / "docs" / "index.md").read_text()
