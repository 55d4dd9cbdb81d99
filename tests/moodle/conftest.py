import pytest

from tests.support.moodle_site import installed_moodle, served, token


@pytest.fixture(scope="session")
def moodle():
    """(helpers folder, Moodle code folder) of an installed Moodle: ``make test-moodle`` sets them up."""
    return installed_moodle()


@pytest.fixture(scope="session")
def moodle_ws(moodle):
    """(base URL, token): the installed Moodle served on loopback for the session, web services on."""
    tok = token(moodle)
    with served(moodle) as base:
        yield base, tok
