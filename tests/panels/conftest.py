import pytest

from tests.factories.reviews import make_panel


@pytest.fixture
def panel(db):
    """An application in review with 3 accepted experts who signed the pledge."""
    return make_panel()


@pytest.fixture
def expert(panel):
    return panel.assignments[0].expert.user


@pytest.fixture
def assignment(panel):
    return panel.assignments[0]
