"""The architecture rules: the core imports no Qt, and lint passes (ruff TID251 bans Qt outside hoscase/gui)."""

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import hoscase

ROOT = Path(__file__).resolve().parent.parent


def test_core_modules_import_without_qt():
    core = [m.name for m in pkgutil.walk_packages(hoscase.__path__, "hoscase.")
            if ".gui" not in m.name and not m.name.endswith("__main__")]
    code = (
        "import importlib, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"core pulled in Qt: {result.stdout}"


def test_ruff_lint_passes():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    result = subprocess.run([ruff, "check", "."], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
