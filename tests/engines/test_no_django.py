"""The engines run without Django: importing them loads no Django and needs no settings.

What they may import is the import-linter contract in pyproject.toml (``lint-imports``); this
test only proves the packages load in a bare interpreter, as the command lines do.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def test_engines_import_without_django_or_settings():
    code = (
        "import sys, tandem.engines.pairing, tandem.engines.scheduling; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert proc.stdout.strip() == "[]"
