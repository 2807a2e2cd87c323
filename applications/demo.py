"""Demo data for this app; see applications/management/commands/seed_demo.py."""


def seed_projects_and_rounds(ctx) -> None:
    """Filled in by this app's demo work; must stay idempotent."""


def seed_applications(ctx) -> None:
    """Filled in by this app's demo work; must stay idempotent."""
