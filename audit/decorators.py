"""A decorator for views that serve personal data or a document."""

import functools

from .services import access_log


def logs_access(action: str, *, lookup):
    """Record the read after the view answered 2xx, so a refused request is not logged as a
    read. `lookup(request, **kwargs)` returns `(obj, application)`; it runs after the view,
    so the view's own permission check has already passed.

        @login_required
        @logs_access("download_document", lookup=lambda r, pk: (doc := get(pk), doc.application))
        def document_download(request, pk): ...
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                obj, application = lookup(request, *args, **kwargs)
                access_log(request=request, action=action, obj=obj, application=application)
            return response

        return wrapped

    return decorator
