import pytest

from tests.support.moodle_site import installed_moodle, served, setup_course, token


@pytest.fixture(scope="session")
def moodle():
    """(helpers folder, Moodle code folder) of an installed Moodle: ``make test-moodle`` sets them up."""
    return installed_moodle()


@pytest.fixture(scope="session")
def moodle_ws(moodle, tmp_path_factory):
    """(base URL, token): the installed Moodle served on loopback for the session, web services on.
    The token is the course teacher's, whom Moodle's data generator makes with a first course: one
    is made here, so the token never depends on which test ran first."""
    setup_course(moodle, tmp_path_factory.mktemp("teacher"), "teacher", team=False, users=[], submissions=[])
    tok = token(moodle)
    with served(moodle) as base:
        yield base, tok
