"""Build the Linux .deb from the bundle folder: `make deb` (after `make bundle`).

  python packaging/linux/build_deb.py [dist/leaddesk] [--icons build/icons]

Lays the package out as
  /opt/leaddesk/                       the PyInstaller folder, as built
  /usr/bin/leaddesk                    -> /opt/leaddesk/leaddesk-cli
  /usr/share/applications/org.leaddesk.LeadDesk.desktop
  /usr/share/metainfo/org.leaddesk.LeadDesk.metainfo.xml
  /usr/share/icons/hicolor/*/apps/leaddesk.{png,svg}
  /usr/share/doc/leaddesk/copyright
and packs it with `dpkg-deb` into dist/leaddesk_VERSION_ARCH.deb.

The bundle carries its own Qt and most of the libraries Qt links; the few it
links from the system are the package's Depends. The build fails when the
bundle links a library that is neither inside it nor named below, so a new
dependency cannot ship undeclared.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
import version as versions  # noqa: E402

APP_ID = "org.leaddesk.LeadDesk"
# Libraries the bundle links but does not carry -> the Debian package that has them.
SYSTEM_LIBRARIES = {
    "ld-linux-x86-64.so.2": "libc6",
    "ld-linux-aarch64.so.1": "libc6",
    "libc.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libm.so.6": "libc6",
    "libpthread.so.0": "libc6",
    # QtNetwork (one window per database, over a local socket) links the resolver.
    "libresolv.so.2": "libc6",
    "librt.so.1": "libc6",
    "libutil.so.1": "libc6",
    # Qt's GUI library links OpenGL and EGL even when it paints offscreen.
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    # The X11 platform plugin (PyInstaller never bundles libxcb itself).
    "libxcb.so.1": "libxcb1",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    # The Wayland platform plugin.
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
# PySide6's wheels are built for glibc 2.34 and later (manylinux_2_34).
VERSIONED = {"libc6": "libc6 (>= 2.34)"}
# Bundled libraries the build machine had (libxcb-cursor0) are inside; a font
# is not, and Qt draws no text without one.
RECOMMENDS = "fonts-dejavu-core | fonts-liberation2"


def linked_from_system(bundle: Path) -> set[str]:
    """Libraries any ELF file of the bundle links that the bundle does not carry."""
    carried: set[str] = set()
    needed: set[str] = set()
    for top, _dirs, names in os.walk(bundle):
        for name in names:
            path = Path(top) / name
            carried.add(name)
            if path.is_symlink() or path.read_bytes()[:4] != b"\x7fELF":
                continue
            dynamic = subprocess.run(
                ["readelf", "-d", str(path)], capture_output=True, text=True, check=False
            ).stdout
            for line in dynamic.splitlines():
                if "(NEEDED)" in line:
                    needed.add(line.rsplit("[", 1)[1].rstrip("]"))
    return needed - carried


def depends(bundle: Path) -> str:
    unknown = sorted(linked_from_system(bundle) - SYSTEM_LIBRARIES.keys())
    if unknown:
        raise SystemExit(
            "the bundle links libraries it does not carry and the .deb does not declare: "
            + ", ".join(unknown)
            + " (add them to SYSTEM_LIBRARIES in packaging/linux/build_deb.py)"
        )
    packages = sorted(set(SYSTEM_LIBRARIES.values()))
    return ", ".join(VERSIONED.get(package, package) for package in packages)


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def release_date() -> str:
    # Reproducible builds set SOURCE_DATE_EPOCH; otherwise the day of the build.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        if epoch
        else datetime.datetime.now(datetime.UTC)
    )
    return moment.date().isoformat()


def lay_out(bundle: Path, icons: Path, root: Path) -> None:
    version = versions.version()
    shutil.copytree(bundle, root / "opt" / "leaddesk", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "leaddesk").symlink_to("/opt/leaddesk/leaddesk-cli")
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy(HERE / f"{APP_ID}.desktop", share / "applications")
    (share / "metainfo").mkdir()
    metainfo = (HERE / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    metainfo = metainfo.replace("@VERSION@", version).replace("@DATE@", release_date())
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo, encoding="utf-8")
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "icons" / "leaddesk.svg", scalable)
    doc = share / "doc" / "leaddesk"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: LeadDesk\n\n"
        "Files: *\n"
        f"Copyright: {versions.COMPANY}\n"
        "License: MIT\n\n"
        "Files: opt/leaddesk/_internal/*\n"
        "Copyright: the authors of each bundled library\n"
        "License: various\n"
        " Each bundled Python library's licence is in its *.dist-info folder under\n"
        " /opt/leaddesk/_internal; Qt and PySide6 are under the LGPL-3.0, and\n"
        " LeadDesk's Help > About lists every library with its licence.\n",
        encoding="utf-8",
    )


def control(root: Path, bundle: Path) -> str:
    size_kb = (
        sum(
            (Path(top) / name).lstat().st_size for top, _d, names in os.walk(root) for name in names
        )
        // 1024
    )
    return (
        "Package: leaddesk\n"
        f"Version: {versions.debian_version(versions.version())}\n"
        f"Architecture: {architecture()}\n"
        # No real address is published yet; .invalid can never deliver mail.
        f"Maintainer: {versions.COMPANY} <maintainers@leaddesk.invalid>\n"
        f"Installed-Size: {size_kb}\n"
        f"Depends: {depends(bundle)}\n"
        f"Recommends: {RECOMMENDS}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: offline lead tracker for small sales teams\n"
        " LeadDesk keeps your sales leads in a local database and shows them on a\n"
        " board of cold, warm and hot leads, with scores that explain themselves,\n"
        " follow-ups with reminders, CSV import and Excel-safe export.\n"
    )


def build(bundle: Path, icons: Path, out_dir: Path) -> Path:
    if not (bundle / "leaddesk-cli").is_file():
        raise SystemExit(f"No bundle at {bundle}: run `make bundle` first.")
    staging = ROOT / "build" / "deb"
    shutil.rmtree(staging, ignore_errors=True)
    root = staging / "root"
    lay_out(bundle, icons, root)
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(control(root, bundle), encoding="utf-8")
    for top, dirs, _names in os.walk(root):
        for name in dirs:
            (Path(top) / name).chmod(0o755)
    package = out_dir / (
        f"leaddesk_{versions.debian_version(versions.version())}_{architecture()}.deb"
    )
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(package)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=ROOT / "dist" / "leaddesk")
    parser.add_argument("--icons", type=Path, default=ROOT / "build" / "icons")
    args = parser.parse_args(argv)
    package = build(args.bundle.resolve(), args.icons, args.bundle.resolve().parent)
    print(f"{package} ({package.stat().st_size / 1_000_000:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
