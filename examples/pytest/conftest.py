import pytest

from localtrail_testing import Localtrail


@pytest.fixture(scope="session")
def localtrail():
    """One localtrail for the session, on a free port, in memory."""
    trail = Localtrail()
    yield trail
    trail.stop()


@pytest.fixture
def trail(localtrail):
    """The session's localtrail, with a fresh history for each test."""
    localtrail.reset()
    return localtrail
