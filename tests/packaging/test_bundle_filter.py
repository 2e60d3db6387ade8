"""What the bundle leaves out (packaging/bundle_filter.py), without building one."""

from __future__ import annotations

import pytest

from tests.packaging.scripts import load_script

bundle_filter = load_script("bundle_filter")


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/translations/qt_fr.qm", False),
        ("PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ],
)
def test_qt_files_by_name(dest, kept):
    assert bundle_filter.wanted((dest, "/src/" + dest, "BINARY")) is kept


def test_tests_and_docs_of_dependencies_are_left_out_but_not_code():
    assert not bundle_filter.wanted(("somelib/tests/data.json", "x", "DATA"))
    assert not bundle_filter.wanted(("somelib/docs/index.html", "x", "DATA"))
    assert bundle_filter.wanted(("leaddesk/migrations/versions/0001.py", "x", "DATA"))


def test_libraries_only_a_dropped_plugin_links_go_with_it():
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/qxcb", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/s/qgtk3", "BINARY"),
        ("libQt6XcbQpa.so.6", "/s/xcbqpa", "BINARY"),
        ("libgtk-3.so.0", "/s/gtk", "BINARY"),
        ("libcairo.so.2", "/s/cairo", "BINARY"),
        ("libxkbcommon.so.0", "/s/xkb", "BINARY"),
        ("mod.cpython-311-x86_64-linux-gnu.so", "/s/mod", "EXTENSION"),
        ("libffi.so.8", "/s/ffi", "BINARY"),
    ]
    links = {
        "/s/qxcb": ["libQt6XcbQpa.so.6"],
        "/s/xcbqpa": ["libxkbcommon.so.0"],
        "/s/qgtk3": ["libgtk-3.so.0"],
        "/s/gtk": ["libcairo.so.2"],
        "/s/mod": ["libffi.so.8"],
    }
    symlinks = [
        ("libcairo.so", "libcairo.so.2", "SYMLINK"),
        ("libffi.so", "libffi.so.8", "SYMLINK"),
    ]

    (kept_binaries, kept_links), dropped = bundle_filter.prune(
        [binaries, symlinks], lambda path: links.get(path, [])
    )

    assert {dest for dest, _src, _kind in kept_binaries} == {
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libQt6XcbQpa.so.6",
        "libxkbcommon.so.0",
        "mod.cpython-311-x86_64-linux-gnu.so",
        "libffi.so.8",
    }
    assert kept_links == [("libffi.so", "libffi.so.8", "SYMLINK")]
    assert {entry[0] for entry in dropped} == {
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "libgtk-3.so.0",
        "libcairo.so.2",
        "libcairo.so",
    }
