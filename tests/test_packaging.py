"""Installable like a desktop app: the wheel carries ui/, db/ and resources/ and works from any folder;
the frozen bundle (slow, needs PyInstaller) starts, renders a view and prints a letter."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hoscase import __version__

ROOT = Path(__file__).resolve().parent.parent


def _run(args, *, cwd, env=None, timeout=120):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    args = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        args.append("--no-build-isolation")  # offline and quick; otherwise pip fetches hatchling
    _run(args, cwd=out, timeout=300)
    wheels = list(out.glob("hoscase-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_carries_the_data_folders(wheel):
    assert wheel.name.startswith(f"hoscase-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in sorted(ROOT.glob("db/*.sql")):
        assert f"hoscase/_data/db/{path.name}" in names
    assert "hoscase/_data/db/001_initial.sql" in names
    assert "hoscase/_data/ui/style.qss" in names or any(n.startswith("hoscase/_data/ui/") for n in names)
    for path in sorted(ROOT.glob("ui/*.ui")):
        assert f"hoscase/_data/ui/{path.name}" in names
    for required in ("resources/icons/hoscase.svg", "resources/icons/hoscase-256.png",
                     "resources/help/user-guide.md", "resources/letters/stage1-acknowledgement.txt",
                     "resources/fonts/DejaVuSans.ttf"):
        assert f"hoscase/_data/{required}" in names, required
    assert "hoscase/paths.py" in names and "hoscase/first_run.py" in names
    assert not any(n.startswith(("tests/", "hoscase/_data/.venv")) or "__pycache__" in n for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "hoscase = hoscase.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_unpacked_wheel_works_from_another_folder(wheel, tmp_path):
    """As after `pip install`: the package and its data found without the checkout, from any working folder."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen", "HOSCASE_DB": str(elsewhere / "x")}
    probe = ("import hoscase, hoscase.paths as p; print(hoscase.__file__); "
             "print(p.data_dir('db')); print(p.data_dir('ui')); print(p.resource_path('help', 'user-guide.md'))")
    lines = _run([sys.executable, "-c", probe], cwd=elsewhere, env=env).stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        assert Path(line).resolve().is_relative_to(site.resolve()), line
    assert Path(lines[1]).joinpath("001_initial.sql").is_file()

    # The command line from the unpacked wheel: a database made, a case added, a letter printed.
    db = elsewhere / "office.sqlite3"
    cli = [sys.executable, "-c", "import sys; from hoscase.cli import main; sys.exit(main())", "--db", str(db)]
    assert _run([*cli[:3], "--version"], cwd=elsewhere, env=env).stdout.strip() == f"hoscase {__version__}"
    _run([*cli, "init"], cwd=elsewhere, env=env)
    first_run = (
        "import sys; from hoscase.store import Store; from hoscase.first_run import save_first_run\n"
        "with Store(sys.argv[1]) as store:\n"
        "    save_first_run(store, {'name': 'Ludlow Almshouse Charity', 'address': 'Mill Street, Ludlow SY8 1AA',"
        " 'homes': 42, 'phone': '01584 872 000', 'signatory': 'Margaret Hughes', 'signatory_role': 'Clerk',"
        " 'handlers': [{'name': 'Priya Shah', 'role': 'Complaints officer'}]}, 'test')\n"
    )
    _run([sys.executable, "-c", first_run, str(db)], cwd=elsewhere, env=env)
    added = _run([*cli, "case", "add", "--resident", "Ann Example", "--address", "1 Mill Terrace, Ludlow",
                  "--received", "2026-11-02", "--channel", "phone", "--category", "Repairs",
                  "--definition", "The kitchen tap leaks.", "--outcome-sought", "A working tap.",
                  "--handler", "Priya Shah"], cwd=elsewhere, env=env)
    reference = next(word for word in added.stdout.split() if word.startswith("C-"))
    pdf = elsewhere / "ack.pdf"
    _run([*cli, "letter", reference.strip(":,."), "stage1-acknowledgement", "-o", str(pdf)], cwd=elsewhere, env=env)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "Ludlow Almshouse Charity" in text and "Mill Street" in text  # the first run's letterhead


def test_desktop_entry_and_icons_are_consistent():
    entry = (ROOT / "packaging" / "linux" / "hoscase.desktop").read_text(encoding="utf-8")
    assert entry.startswith("[Desktop Entry]")
    fields = dict(line.split("=", 1) for line in entry.splitlines()[1:] if "=" in line)
    assert fields["Type"] == "Application" and fields["Exec"].split()[0] == "hoscase"
    assert fields["Icon"] == "hoscase" and fields["Terminal"] == "false"
    for size in (16, 32, 48, 64, 128, 256):
        png = ROOT / "resources" / "icons" / f"hoscase-{size}.png"
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == size and int.from_bytes(data[20:24], "big") == size
    spec = (ROOT / "packaging" / "hoscase.spec").read_text(encoding="utf-8")
    for folder in ('"ui"', '"db"', '"resources"'):
        assert folder in spec
    assert "console=False" in spec and "QtWebEngineCore" in spec


# --- the frozen app (slow) ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                    reason="PyInstaller is not installed (pip install -e '.[packaging]')")
def test_frozen_bundle_starts_renders_a_view_and_prints_a_letter(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("packaging/build.sh needs bash")
    env = {**os.environ, "PYTHON": sys.executable, "HOSCASE_DIST": str(tmp_path / "dist"),
           "HOSCASE_WORK": str(tmp_path / "work")}
    _run(["bash", str(ROOT / "packaging" / "build.sh")], cwd=ROOT, env=env, timeout=900)
    app = tmp_path / "dist" / "hoscase" / ("hoscase.exe" if sys.platform == "win32" else "hoscase")
    assert app.is_file()
    bundle = app.parent / "_internal"
    for required in ("db/001_initial.sql", "ui/style.qss", "resources/help/user-guide.md",
                     "resources/letters/stage1-acknowledgement.txt"):
        assert (bundle / required).is_file(), required
    assert not list(bundle.rglob("*WebEngine*")), "QtWebEngine should be left out"

    work = tmp_path / "run"
    work.mkdir()
    run_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HOSCASE_DB")}
    run_env["QT_QPA_PLATFORM"] = "offscreen"
    db = work / "demo.sqlite3"
    assert _run([str(app), "--version"], cwd=work, env=run_env).stdout.strip() == f"hoscase {__version__}"
    _run([str(app), "--db", str(db), "init", "--demo"], cwd=work, env=run_env, timeout=300)

    shot = work / "worklist.png"
    _run([str(app), "--db", str(db), "screenshot", "--view", "worklist", "-o", str(shot)], cwd=work, env=run_env)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == 1280

    listed = _run([str(app), "--db", str(db), "case", "list"], cwd=work, env=run_env).stdout.split()
    reference = next(word for word in listed if word.startswith("C-"))
    pdf = work / "letter.pdf"
    _run([str(app), "--db", str(db), "letter", reference, "stage1-acknowledgement", "-o", str(pdf)], cwd=work,
         env=run_env)
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert reference in text
