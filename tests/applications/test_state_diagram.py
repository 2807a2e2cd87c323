from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from applications.management.commands.state_diagram import (
    END,
    START,
    readme_block,
    render_doc,
    render_mermaid,
    render_readme_block,
    replace_block,
)

BASE = Path(settings.BASE_DIR)


def test_readme_state_diagram_matches_the_code():
    readme = (BASE / "README.md").read_text(encoding="utf-8")
    assert readme_block(readme) == render_readme_block(), (
        "README.md's state diagram is out of date: run `python manage.py state_diagram --write`."
    )


def test_docs_state_diagram_matches_the_code():
    doc = (BASE / "docs" / "state-diagram.md").read_text(encoding="utf-8")
    assert doc == render_doc(), (
        "docs/state-diagram.md is out of date: run `python manage.py state_diagram --write`."
    )


def test_mermaid_has_every_transition_edge():
    lines = render_mermaid().splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> draft" in lines
    assert "    draft --> submitted: submit" in lines
    assert "    awaiting_decision --> certified: certify" in lines
    assert "    objection --> in_review: accept_objection" in lines
    assert sum(1 for line in lines if ": withdraw" in line) == 4
    assert sum(1 for line in lines if "-->" in line and ": " in line) == 20


def test_replace_block_keeps_the_text_around_the_markers():
    text = f"before\n{START}\nold\n{END}\nafter\n"
    assert replace_block(text, "NEW") == "before\nNEW\nafter\n"


def test_replace_block_without_markers_is_a_clear_error():
    with pytest.raises(CommandError, match="state-diagram:start"):
        replace_block("no markers here", "NEW")


def test_command_prints_the_diagram():
    out = StringIO()
    call_command("state_diagram", stdout=out)
    assert out.getvalue() == render_mermaid()


def test_command_check_passes_when_up_to_date():
    out = StringIO()
    call_command("state_diagram", "--check", stdout=out)
    assert out.getvalue().strip() == "The state diagram is up to date."


def test_command_write_then_check_in_a_copy(tmp_path, settings):
    (tmp_path / "README.md").write_text(f"# Title\n\n{START}\n{END}\n\nrest\n", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="Out of date: README.md, docs/state-diagram.md"):
        call_command("state_diagram", "--check", stdout=StringIO())

    call_command("state_diagram", "--write", stdout=StringIO())

    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme == f"# Title\n\n{render_readme_block()}\n\nrest\n"
    assert (tmp_path / "docs" / "state-diagram.md").read_text(encoding="utf-8") == render_doc()
    call_command("state_diagram", "--check", stdout=StringIO())
