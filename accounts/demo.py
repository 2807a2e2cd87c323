"""Demo data for this app; see applications/management/commands/seed_demo.py."""


def seed_accounts(ctx) -> None:
    """Filled in by this app's demo work; must stay idempotent."""
