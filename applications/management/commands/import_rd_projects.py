"""manage.py import_rd_projects FILE.csv: load NTIS-style R&D projects.

The work is done by applications/imports.py; this command adds the progress bar and the report."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from applications.imports import COLUMNS, PARTICIPANT_FIELDS, ImportRefused, import_rd_projects


class Command(BaseCommand):
    help = (
        "Import national R&D projects from an NTIS-style CSV file (UTF-8), all or nothing. "
        f"Header: {','.join(COLUMNS)}. Dates YYYY-MM-DD; result_grade one of excellent, "
        "successful, ordinary, insufficient, failed, ongoing (or 우수, 성공, 보통, 미흡, 실패, "
        f"진행중); participants joined by ';', each {'|'.join(PARTICIPANT_FIELDS)} with role "
        "lead_org, participant_org, pi or researcher. Projects are upserted on ntis_number and "
        "an updated project's participants are replaced. If any row is bad, every bad row is "
        "reported with its line number and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file to import")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, no_progress=False, **options):
        bars = []

        def progress_factory(label, total):
            bar = tqdm(
                total=total,
                desc=label,
                unit="rows",
                disable=no_progress or options.get("verbosity", 1) == 0,
                file=self.stderr._out,
            )
            bars.append(bar)
            return bar.update

        started = time.perf_counter()
        try:
            result = import_rd_projects(source=file, progress_factory=progress_factory)
        except FileNotFoundError as exc:
            raise CommandError(_("No such file: %(file)s") % {"file": file}) from exc
        except ImportRefused as exc:
            self.stderr.write(exc.report())
            raise CommandError(exc.message) from exc
        finally:
            for bar in bars:
                bar.close()
        summary = _(
            "%(rows)d projects read: %(created)d new, %(updated)d updated, "
            "%(participants)d participants (%(seconds).2f s)."
        ) % {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "participants": result.participants,
            "seconds": time.perf_counter() - started,
        }
        self.stdout.write(self.style.SUCCESS(summary))
        if result.method:
            self.stdout.write(_("Method: %(method)s") % {"method": result.method})
