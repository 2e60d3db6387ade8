"""Pack the bundle folder into the download and say how big both are.

`make bundle` runs this after PyInstaller:

  python packaging/bundle_report.py dist/leaddesk [--archive OUT.tar.gz]

It prints the installed size of the folder, the size of the compressed archive
(a .tar.gz on Linux and macOS, a .zip on Windows), and the largest parts, so a
change that makes the download grow shows in every build log. On Linux it
fails when the folder or the archive is over its target.
"""

from __future__ import annotations

import argparse
import os
import sys
import tarfile
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import version as versions

MB = 1_000_000
# Targets of issue #14 for the Linux bundle (installed folder, download).
FOLDER_TARGET_MB = 150
ARCHIVE_TARGET_MB = 65


def files(folder: Path) -> list[Path]:
    """Every regular file, without following links (a link costs nothing)."""
    return [
        Path(top) / name
        for top, _dirs, names in os.walk(folder)
        for name in names
        if not (Path(top) / name).is_symlink()
    ]


def part_of(relative: Path) -> str:
    """The name a file is counted under: its library, or its Python package."""
    parts = relative.parts
    if parts[0] != "_internal":
        return str(relative)
    if len(parts) == 2:
        return parts[1]
    if parts[1] == "PySide6" and len(parts) > 3 and parts[2] == "Qt":
        return "/".join(parts[1:5]) if parts[3] == "lib" else "/".join(parts[1:4])
    return parts[1]


def largest_parts(folder: Path, count: int = 12) -> list[tuple[str, int]]:
    sizes: Counter[str] = Counter()
    for path in files(folder):
        sizes[part_of(path.relative_to(folder))] += path.stat().st_size
    return sizes.most_common(count)


def default_archive(folder: Path) -> Path:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    machine = os.uname().machine if hasattr(os, "uname") else "x86_64"
    suffix = ".zip" if sys.platform == "win32" else ".tar.gz"
    return folder.parent / f"leaddesk-{versions.version()}-{system}-{machine}{suffix}"


def write_archive(folder: Path, archive: Path) -> None:
    top = f"leaddesk-{versions.version()}"
    archive.unlink(missing_ok=True)
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
            for path in sorted(files(folder)):
                out.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
        return
    with tarfile.open(archive, "w:gz", compresslevel=9) as out:
        out.add(folder, arcname=top, filter=_normalised)


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # The same files make the same archive, whoever built it.
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--archive", type=Path)
    args = parser.parse_args(argv)
    folder: Path = args.folder
    archive: Path = args.archive or default_archive(folder)
    write_archive(folder, archive)
    folder_size = sum(path.stat().st_size for path in files(folder))
    archive_size = archive.stat().st_size
    print(f"bundle folder   {folder_size / MB:6.1f} MB  {folder}")
    print(f"download        {archive_size / MB:6.1f} MB  {archive}")
    print("largest parts:")
    for name, size in largest_parts(folder):
        print(f"  {size / MB:6.1f} MB  {name}")
    if not sys.platform.startswith("linux"):
        return 0
    over = [
        f"{what} {size / MB:.1f} MB is over {target} MB"
        for what, size, target in (
            ("the folder", folder_size, FOLDER_TARGET_MB),
            ("the download", archive_size, ARCHIVE_TARGET_MB),
        )
        if size > target * MB
    ]
    for sentence in over:
        print(f"bundle_report: {sentence}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
