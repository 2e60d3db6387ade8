"""What the spec leaves out of the bundle, and the pruning that does it.

PyInstaller's PySide6 hooks collect every Qt plugin of the categories QtGui
may use, every Qt translation, and every library those plugins link. LeadDesk
is English only, paints its own cards, reads and writes no image format but PNG
(built into QtGui) and its SVG icon, opens no network connection and prints
nothing, so most of that is dead weight. What stays, by why:

- platforms: xcb and wayland (a Linux desktop), windows, cocoa, offscreen
  (`leaddesk screenshot` and the smoke test); the rest (eglfs, vnc, linuxfb...)
  are for kiosks and embedded boards.
- platformthemes: xdgdesktopportal only. It gives native file dialogs through
  the desktop portal over D-Bus; the GTK 3 theme would do the same by linking
  GTK, cairo, pango, atk and gdk-pixbuf into the bundle (about 20 MB).
- imageformats: svg (the icon) and ico; iconengines: svg.
- platforminputcontexts: compose (dead keys) and ibus (input methods for
  names in other scripts); the virtual keyboard is a Qt Quick plugin.
- Translations: none. LeadDesk's own strings are English, so Qt's dialogs
  must be too, whatever the system locale.

On Linux, after the plugins go, every shared library that no remaining binary
links (directly or through another) goes too: that is how the GTK stack
leaves. The spec imports this module; it imports nothing from PyInstaller at
module level so it can be read and tested on its own.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath

# (dest_name, source_path, typecode), as in PyInstaller's TOC lists.
Entry = tuple[str, str, str]

# PySide6's Linux and macOS wheels keep Qt under PySide6/Qt/, the Windows wheels
# directly under PySide6/.
_QT_PLUGIN = re.compile(r"^PySide6/(Qt/)?plugins/(?P<category>[^/]+)/(?P<file>[^/]+)$")
_QT_TRANSLATION = re.compile(r"^PySide6/(Qt/)?translations/")
DROPPED_PLUGIN_CATEGORIES = frozenset(
    {
        "designer",
        "egldeviceintegrations",
        "generic",
        "networkinformation",
        "position",
        "printsupport",
        "qmllint",
        "qmltooling",
        "sqldrivers",
        "tls",
        "vectorimageformats",
        "wayland-graphics-integration-server",
    }
)
# category -> plugins kept; a category not named here and not dropped stays whole
# (styles, xcbglintegrations, the wayland client's shell and decorations).
KEPT_PLUGINS = {
    "platforms": {"qxcb", "qwayland", "qwindows", "qcocoa", "qoffscreen"},
    "platformthemes": {"qxdgdesktopportal"},
    "imageformats": {"qsvg", "qico"},
    "iconengines": {"qsvgicon"},
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
}
# Qt libraries only the dropped plugins use; on Windows and macOS there is no
# link-time pruning, so they are named here.
DROPPED_QT_LIBRARIES = ("Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport", "Qt6Pdf", "Qt6Quick")
# Directories of dependencies that hold tests, examples or documentation.
_DROPPED_DATA = re.compile(r"(^|/)(tests?|testing|examples?|docs?)/", re.IGNORECASE)
_PLUGIN_STEM = re.compile(r"^(lib)?(?P<stem>.+?)(_debug)?\.(so|dll|dylib)$")


def _plugin_kept(plugin: re.Match[str]) -> bool:
    category, filename = plugin.group("category"), plugin.group("file")
    if category in DROPPED_PLUGIN_CATEGORIES:
        return False
    kept = KEPT_PLUGINS.get(category)
    if kept is None:
        return True
    match = _PLUGIN_STEM.match(filename)
    return match is not None and match.group("stem") in kept


def wanted(entry: Entry) -> bool:
    """False for a file the bundle leaves out by name."""
    dest = entry[0].replace("\\", "/")
    plugin = _QT_PLUGIN.match(dest)
    if plugin:
        return _plugin_kept(plugin)
    if _QT_TRANSLATION.match(dest):
        return False
    name = PurePosixPath(dest).name
    if any(library in name for library in DROPPED_QT_LIBRARIES):
        return False
    return not (entry[2] == "DATA" and _DROPPED_DATA.search(dest))


def _is_root(entry: Entry) -> bool:
    """Binaries loaded by Python or Qt themselves, not merely linked by another."""
    dest, _src, kind = entry
    name = PurePosixPath(dest).name
    return (
        kind == "EXTENSION"
        or _QT_PLUGIN.match(dest.replace("\\", "/")) is not None
        # libpython is loaded by the bootloader, the other two by Qt with
        # dlopen on some builds: never seen as linked by anything
        or name.startswith(("libpython", "libdbus-1", "libxcb-cursor"))
    )


def linked_closure(
    binaries: Sequence[Entry], imports_of: Callable[[str], Iterable[str]]
) -> set[str]:
    """Destination names of the binaries reachable from the roots through linking."""
    by_name = {PurePosixPath(dest).name: (dest, src) for dest, src, kind in binaries}
    reached: set[str] = set()
    queue = [dest for dest, src, kind in binaries if _is_root((dest, src, kind))]
    while queue:
        dest = queue.pop()
        if dest in reached:
            continue
        reached.add(dest)
        name = PurePosixPath(dest).name
        src = by_name.get(name, (dest, ""))[1]
        for needed in imports_of(src) if src else ():
            target = by_name.get(PurePosixPath(needed).name)
            if target is not None and target[0] not in reached:
                queue.append(target[0])
    return reached


def _link_target(entry: Entry) -> str:
    dest, target, _kind = entry
    return posixpath.normpath(posixpath.join(posixpath.dirname(dest), target))


def prune(
    tocs: Sequence[list[Entry]],
    imports_of: Callable[[str], Iterable[str]] | None,
) -> tuple[list[list[Entry]], list[Entry]]:
    """The TOC lists without what LeadDesk does not use, and the entries dropped.

    ``imports_of(path)`` lists the libraries a binary links; with None (Windows,
    macOS) only the name rules apply.
    """
    kept = [[entry for entry in toc if wanted(entry)] for toc in tocs]
    if imports_of is not None:
        binaries = [entry for toc in kept for entry in toc if entry[2] in ("BINARY", "EXTENSION")]
        reachable = linked_closure(binaries, imports_of)
        kept = [
            [e for e in toc if e[2] not in ("BINARY", "EXTENSION") or e[0] in reachable]
            for toc in kept
        ]
    # A symlink whose target went must go with it.
    present = {entry[0] for toc in kept for entry in toc}
    kept = [[e for e in toc if e[2] != "SYMLINK" or _link_target(e) in present] for toc in kept]
    remaining = {entry for toc in kept for entry in toc}
    dropped = [entry for toc in tocs for entry in toc if entry not in remaining]
    return kept, dropped
