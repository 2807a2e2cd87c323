"""One way to hand a stored file or generated data to the browser: always as a download,
never rendered by the browser in the site's origin (see SECURITY.md, "Uploads")."""

import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from applications.uploads import clean_original_name


def _ascii_fallback(filename: str) -> str:
    """An ASCII-only stand-in for old clients; the real name travels in filename*."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    safe = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in folded).strip(" ._")
    ext = filename.rsplit(".", 1)[-1] if "." in filename else ""
    if not safe or safe == ext:
        safe = f"download.{ext}" if ext.isascii() and ext.isalnum() else "download"
    return safe


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII filename and the UTF-8 name per RFC 5987/6266."""
    name = clean_original_name(filename)
    return f"attachment; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{quote(name)}"


def attachment_response(file, filename: str, content_type: str) -> HttpResponse:
    """Serve `file` (a file object, bytes or str) as a download named `filename`.

    The caller has already checked permission and written its access_log row. The response
    cannot be sniffed into HTML, framed, or run scripts even if opened directly, and no
    cache keeps a copy."""
    if isinstance(file, str):
        file = file.encode("utf-8")
    if isinstance(file, bytes):
        response = HttpResponse(file, content_type=content_type)
    else:
        response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
