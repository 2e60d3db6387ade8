"""Say clearly why a window cannot open, instead of letting Qt abort.

On Linux, Qt's X11 plugin needs a few system libraries that a fresh Debian or
Ubuntu lacks; without them Qt prints a cryptic message and aborts the process.
We look for them first and name the packages to install.
"""

from __future__ import annotations

import ctypes
import os
import sys

from leaddesk.errors import SystemRequirementError

# (shared library, Debian/Ubuntu package)
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
)


def _loadable(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def missing_xcb_packages() -> list[str]:
    return [package for library, package in XCB_LIBRARIES if not _loadable(library)]


def chosen_platform(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The Qt platform plugin that will be used on Linux ('xcb', 'wayland', ...)."""
    explicit = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if explicit:
        return explicit
    if environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "xcb"


def check_can_show_window() -> None:
    """Raise SystemRequirementError when a window cannot be shown on this machine."""
    if not sys.platform.startswith("linux"):
        return
    platform = chosen_platform()
    if platform != "xcb":
        return
    if not os.environ.get("DISPLAY"):
        raise SystemRequirementError(
            "No display was found (DISPLAY is not set); run LeadDesk on a desktop, or use "
            "'leaddesk screenshot board.png' and the other commands without a window."
        )
    missing = missing_xcb_packages()
    if missing:
        raise SystemRequirementError(
            "LeadDesk needs system libraries to open a window on X11 that are missing here; "
            f"install them with: sudo apt install {' '.join(missing)}"
        )
