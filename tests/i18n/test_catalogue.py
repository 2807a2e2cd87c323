"""The Korean catalogue covers every string the code marks for translation: extracting the
messages again (as `make messages-update` does) into a copy of the catalogue must leave no
entry untranslated or fuzzy, and every translation keeps its msgid's placeholders."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "tests", "bench", "var", "test-artifacts", "node_modules", "static"]
ENTRY = re.compile(
    r'^(?P<flags>(?:#.*\n)*)(?:msgctxt "(?P<ctx>(?:[^"\\]|\\.)*)"\n)?'
    r'msgid "(?P<id>(?:[^"\\]|\\.)*)"\n(?P<rest>(?:(?:"|msgid_plural|msgstr).*\n?)*)',
    re.M,
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]")


def entries(text: str):
    """(flags, msgid, [msgstr...]) for each live entry, continuation lines joined."""
    for block in text.split("\n\n"):
        if not block.strip() or block.lstrip().startswith("#~"):
            continue
        joined = re.sub(r'"\n"', "", block.strip() + "\n")
        match = ENTRY.search(joined)
        if not match or match["id"] == "":
            continue
        plural = re.search(r'^msgid_plural "((?:[^"\\]|\\.)*)"', match["rest"], re.M)
        strings = re.findall(r'^msgstr(?:\[\d\])? "((?:[^"\\]|\\.)*)"', match["rest"], re.M)
        yield match["flags"], match["id"] + (plural[1] if plural else ""), strings


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Extract the messages afresh into a copy of the committed catalogue. makemessages
    writes into the locale folder nearest each source file, so it runs on a copy of the
    source tree: the committed catalogue is never touched."""
    if not shutil.which("xgettext"):
        pytest.fail("gettext is not installed (apt-get install gettext; `make test` does it).")
    root = tmp_path_factory.mktemp("tree")
    base = Path(settings.BASE_DIR)
    for child in base.iterdir():
        if child.is_dir() and child.name not in IGNORE and not child.name.startswith("."):
            shutil.copytree(child, root / child.name, ignore=shutil.ignore_patterns("*.mo"))
    previous = os.getcwd()
    os.chdir(root)
    try:
        with override_settings(LOCALE_PATHS=[str(root / "locale")]):
            call_command(
                "makemessages",
                locale=["ko"],
                ignore_patterns=IGNORE,
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(previous)
    return (root / "locale" / "ko" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")


def test_every_marked_string_has_a_korean_translation(extracted):
    missing = [msgid for _, msgid, strings in entries(extracted) if not all(strings)]
    assert missing == [], f"{len(missing)} strings have no Korean translation: {missing[:20]}"


def test_no_translation_is_left_fuzzy(extracted):
    fuzzy = [
        msgid for flags, msgid, _ in entries(extracted) if re.search(r"^#,.*fuzzy", flags, re.M)
    ]
    assert fuzzy == [], f"fuzzy (unchecked) translations: {fuzzy[:20]}"


def test_the_catalogue_is_not_empty_and_keeps_placeholders():
    text = CATALOGUE.read_text(encoding="utf-8")
    found = list(entries(text))
    assert len(found) > 1000
    wrong = [
        msgid
        for _, msgid, strings in found
        for string in strings
        if string and set(PLACEHOLDER.findall(string)) != set(PLACEHOLDER.findall(msgid))
    ]
    assert wrong == []
    # msgfmt's own check: python-format strings, header, plural forms.
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext is not installed (apt-get install gettext; `make test` does it)."
    result = subprocess.run(  # noqa: S603 - a fixed command on the project's own file
        [msgfmt, "--check", "-o", "/dev/null", str(CATALOGUE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
