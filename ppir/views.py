from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.enums import Role
from accounts.services import user_set_language
from applications.rules import is_programme_staff


def set_language(request):
    """Django's language switch; a signed-in person's choice is also kept on their account,
    so their e-mails and notices come in the language they read the site in."""
    response = i18n.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        user_set_language(user=request.user, language=request.POST.get("language", ""))
    return response


def home(request):
    """Send each signed-in role to its own home page; the public sees the landing page."""
    user = request.user
    if user.is_authenticated:
        if is_programme_staff(user):
            return redirect("admin:index")
        if user.has_role(Role.PPS):
            return redirect("procurement:dashboard")
        if user.has_role(Role.EXPERT):
            return redirect("panels:dashboard")
        if user.has_role(Role.APPLICANT):
            return redirect("applications:list")
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request):
    """JSON status of the database and (when configured) the broker; 503 if any is down."""
    status = {"database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        status["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
            status["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            status["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )
