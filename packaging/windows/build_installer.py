"""Compile the Windows installer with makensis: `make installer-windows`.

  python packaging/windows/build_installer.py [dist/leaddesk] [--from-linux-bundle]

On Windows, after `make bundle`, it packs dist/leaddesk (LeadDesk.exe,
leaddesk-cli.exe, _internal/) into dist/LeadDesk-VERSION-setup.exe.

With --from-linux-bundle (CI on Linux, where PyInstaller cannot make Windows
executables) it first lays the Linux bundle out under the Windows names in
build/windows-layout and compiles that: the script, its pages, registry
entries and file list are checked, and the installer is as big as a real one
would be, but it installs nothing that runs. With --stub the folder holds only
empty files under those names, for a quick installer that Wine can install
and uninstall (test_installer_wine.sh). Warnings are errors (-WX).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
import version as versions  # noqa: E402


def windows_layout(linux_bundle: Path) -> Path:
    """The Linux bundle under the names the Windows bundle has (hard links, no copies)."""
    layout = ROOT / "build" / "windows-layout"
    shutil.rmtree(layout, ignore_errors=True)
    shutil.copytree(linux_bundle / "_internal", layout / "_internal", copy_function=os.link)
    for name in ("LeadDesk.exe", "leaddesk-cli.exe"):
        os.link(linux_bundle / "leaddesk-cli", layout / name)
    return layout


def stub_layout() -> Path:
    """Empty files under the Windows bundle's names: what an install moves about."""
    layout = ROOT / "build" / "windows-stub"
    shutil.rmtree(layout, ignore_errors=True)
    (layout / "_internal").mkdir(parents=True)
    for name in ("LeadDesk.exe", "leaddesk-cli.exe", "_internal/python311.dll"):
        (layout / name).write_bytes(b"")
    return layout


def makensis() -> str:
    found = shutil.which("makensis")
    if found:
        return found
    default = Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
    candidate = default / "NSIS" / "makensis.exe"
    if candidate.is_file():
        return str(candidate)
    raise SystemExit("makensis not found: install NSIS (Debian: apt-get install nsis)")


def build(bundle: Path, icon: Path, out: Path, target: str | None = None) -> Path:
    for name in ("LeadDesk.exe", "leaddesk-cli.exe", "_internal"):
        if not (bundle / name).exists():
            raise SystemExit(f"{bundle} has no {name}: not a Windows bundle folder")
    version = versions.version()
    four = ".".join(map(str, versions.windows_version(version)))
    setup = out / f"LeadDesk-{version}-setup.exe"
    defines = {
        "VERSION": version,
        "VERSION4": four,
        "BUNDLE": str(bundle),
        "ICON": str(icon),
        "OUTFILE": str(setup),
    }
    if target:
        defines["TARGET"] = target
    # Options start with / on Windows' makensis and with - elsewhere; - works on both
    # since NSIS 3.
    command = [makensis(), "-WX", "-V2", *(f"-D{key}={value}" for key, value in defines.items())]
    subprocess.run([*command, str(HERE / "leaddesk.nsi")], check=True)
    return setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=ROOT / "dist" / "leaddesk")
    parser.add_argument("--icon", type=Path, default=ROOT / "build" / "icons" / "leaddesk.ico")
    parser.add_argument("--from-linux-bundle", action="store_true")
    parser.add_argument("--stub", action="store_true")
    parser.add_argument("--target", help="NSIS target, e.g. amd64-unicode (default: x86-unicode)")
    parser.add_argument("--out", type=Path, help="folder for the setup (default: the bundle's)")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    out = (args.out or bundle.parent).resolve()
    if args.stub:
        bundle = stub_layout()
    elif args.from_linux_bundle:
        bundle = windows_layout(bundle)
    out.mkdir(parents=True, exist_ok=True)
    setup = build(bundle, args.icon.resolve(), out, args.target)
    print(f"{setup} ({setup.stat().st_size / 1_000_000:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
