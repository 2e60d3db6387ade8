"""The version as each package format spells it (packaging/version.py)."""

from __future__ import annotations

import pytest

from leaddesk import __version__
from tests.packaging.scripts import load_script

version = load_script("version")


def test_the_version_is_read_from_the_package():
    assert version.version() == __version__


@pytest.mark.parametrize(
    ("text", "debian", "windows"),
    [
        ("0.1.0", "0.1.0", (0, 1, 0, 0)),
        ("1.2", "1.2", (1, 2, 0, 0)),
        ("0.2.0rc1", "0.2.0~rc1", (0, 2, 0, 0)),
    ],
)
def test_debian_and_windows_spellings(text, debian, windows):
    assert version.debian_version(text) == debian
    assert version.windows_version(text) == windows


def test_the_tag_must_name_the_version(capsys):
    assert version.main(["--check-tag", f"v{__version__}"]) == 0
    assert version.main(["--check-tag", "v99.0.0"]) == 1
    assert "does not match" in capsys.readouterr().out


def test_windows_version_file_names_product_company_and_version():
    text = version.windows_version_file("1.2.3")
    assert "filevers=(1, 2, 3, 0)" in text
    assert "StringStruct('ProductName', 'LeadDesk')" in text
    assert "StringStruct('CompanyName', 'LeadDesk developers')" in text
    assert "StringStruct('ProductVersion', '1.2.3')" in text
