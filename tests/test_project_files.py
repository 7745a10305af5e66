"""What the project's own files promise: the demo's links, the package metadata, the site icon."""

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(*args: str, env: dict | None = None) -> str:
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    run = subprocess.run(
        ["make", "-n", "--always-make", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )
    return run.stdout


def test_make_demo_links_e_mails_to_the_address_it_serves():
    commands = make_dry_run("demo", "ADDR=127.0.0.1:9123")
    seed = next(line for line in commands.splitlines() if "seed_demo" in line)
    serve = next(line for line in commands.splitlines() if "runserver" in line)
    assert "TANDEM_BASE_URL=http://127.0.0.1:9123 " in seed
    assert "TANDEM_BASE_URL=http://127.0.0.1:9123 " in serve


def test_make_demo_on_every_interface_links_to_localhost_and_keeps_an_exported_address():
    assert "TANDEM_BASE_URL=http://localhost:9000 " in make_dry_run("demo", "ADDR=0.0.0.0:9000")
    exported = make_dry_run("demo", env={"TANDEM_BASE_URL": "https://tandem.example.org"})
    assert "TANDEM_BASE_URL=https://tandem.example.org " in exported


def test_the_licence_is_an_spdx_expression():
    """A TOML table for ``project.license`` is deprecated (setuptools warns on every install)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert "setuptools>=77" in project["build-system"]["requires"]  # SPDX strings need 77


@pytest.mark.django_db
def test_the_site_icon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page
    assert client.get("/static/favicon.svg").status_code == 200
