import os

import pytest


def require(module: str, extra: str):
    """Import an optional heavy module; in CI (CI=true) a missing one fails instead of skipping."""
    try:
        return __import__(module)
    except ImportError as err:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{module} is required in CI: install the '{extra}' extra ({err})")
        pytest.skip(f"{module} not installed (pip install -e '.[{extra}]')")


@pytest.fixture(scope="session")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    return require("keras", "train")


@pytest.fixture(scope="session")
def soffice():
    """The real LibreOffice; in CI a missing one fails the test instead of skipping it."""
    from xlcnn.files.libreoffice import find_soffice

    path = find_soffice()
    if path is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("LibreOffice (soffice) is required in CI: make test installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice not installed")
    return path


@pytest.fixture(scope="session")
def uno_python(soffice):
    """A Python with LibreOffice's `uno` module (Debian: python3-uno), to edit files in LibreOffice."""
    import subprocess

    for candidate in (os.environ.get("XLCNN_UNO_PYTHON"), "/usr/bin/python3", "/usr/local/bin/python3"):
        if candidate and os.path.exists(candidate):
            if subprocess.run([candidate, "-c", "import uno"], capture_output=True).returncode == 0:
                return candidate
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("python3-uno is required in CI: make test installs it")
    pytest.skip("no Python with the uno module (apt-get install python3-uno)")


LIBREOFFICE_FIXTURES = {"soffice", "uno_python"}


def pytest_collection_modifyitems(config, items):
    """A test that takes LibreOffice or Keras through its fixtures is marked so (make test-fast leaves
    them out): the fixture is where the need is declared, so the mark cannot be forgotten."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & LIBREOFFICE_FIXTURES:
            item.add_marker(pytest.mark.libreoffice)
        if "keras" in names:
            item.add_marker(pytest.mark.keras)
