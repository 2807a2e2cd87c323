import pytest

from applications import services
from tests.factories.applicant import eligible_application


@pytest.fixture
def submitted():
    """An application that passed every rule, submitted: in screening."""
    app = eligible_application()
    services.application_submit(application=app, by=app.created_by)
    return app
