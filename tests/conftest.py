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
