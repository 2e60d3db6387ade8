"""LeadDesk's version as each package format spells it, read from leaddesk/__init__.py.

`leaddesk/__init__.py` is the one place the version is written; the spec, the
.deb, the Windows installer and the release workflow all ask this module.

Usage:
  python packaging/version.py              0.1.0      (the version itself)
  python packaging/version.py --debian     0.1.0      (0.2.0rc1 -> 0.2.0~rc1)
  python packaging/version.py --windows    0.1.0.0    (four numbers)
  python packaging/version.py --check-tag v0.1.0      exit 1 unless the tag names it
  python packaging/version.py --windows-version-file OUT.txt
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_VERSION = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
_PEP440 = re.compile(r"^(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?$")

PRODUCT = "LeadDesk"
COMPANY = "LeadDesk developers"
DESCRIPTION = "LeadDesk, an offline lead tracker for small sales teams"


def version() -> str:
    found = _VERSION.search((ROOT / "leaddesk" / "__init__.py").read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit("leaddesk/__init__.py has no __version__ line")
    return found.group(1)


def _parts(text: str) -> tuple[list[int], str]:
    match = _PEP440.match(text)
    if match is None:
        raise SystemExit(f"version {text!r} is not N.N.N with an optional a/b/rc suffix")
    pre = f"{match.group(2)}{match.group(3)}" if match.group(2) else ""
    return [int(number) for number in match.group(1).split(".")], pre


def debian_version(text: str) -> str:
    """A pre-release sorts before its release in dpkg only with a tilde."""
    numbers, pre = _parts(text)
    return ".".join(map(str, numbers)) + (f"~{pre}" if pre else "")


def windows_version(text: str) -> tuple[int, int, int, int]:
    """Four numbers, as Windows version resources and NSIS's VIProductVersion need."""
    numbers, _pre = _parts(text)
    padded = [*numbers, 0, 0, 0, 0][:4]
    return padded[0], padded[1], padded[2], padded[3]


def windows_version_file(text: str) -> str:
    """A PyInstaller version file (the exe's Properties -> Details on Windows)."""
    four = windows_version(text)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": text,
        "InternalName": "LeadDesk",
        "LegalCopyright": f"© {COMPANY}, MIT licence",
        "OriginalFilename": "LeadDesk.exe",
        "ProductName": PRODUCT,
        "ProductVersion": text,
    }
    string_structs = ",\n".join(
        f"          StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={four},
    prodvers={four},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def main(argv: list[str]) -> int:
    text = version()
    if not argv:
        print(text)
    elif argv == ["--debian"]:
        print(debian_version(text))
    elif argv == ["--windows"]:
        print(".".join(map(str, windows_version(text))))
    elif len(argv) == 2 and argv[0] == "--check-tag":
        tag = argv[1].removeprefix("refs/tags/")
        if tag != f"v{text}":
            print(f"tag {tag} does not match leaddesk/__init__.py ({text}): expected v{text}")
            return 1
        print(f"tag {tag} matches version {text}")
    elif len(argv) == 2 and argv[0] == "--windows-version-file":
        Path(argv[1]).write_text(windows_version_file(text), encoding="utf-8")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
