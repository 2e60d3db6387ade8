"""The import tests' shared helpers fail with pytest's detailed assertion messages too."""

import pytest

pytest.register_assert_rewrite("tests.operations.importing.import_helpers")
