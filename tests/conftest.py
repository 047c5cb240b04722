"""Shared test set-up. Qt must run offscreen: set before anything imports Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest

from tests.pg_support import private_server


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for this test run (see tests/pg_support.py); started on first use."""
    with private_server() as server:
        if isinstance(server, str):
            pytest.skip(server)
        yield server
