"""End-to-end tests share the Qt-test fixtures (a real office, contexts with workers)."""

from tests.ui.conftest import PASSWORD, ui_office, ui_office_template  # noqa: F401
