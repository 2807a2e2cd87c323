from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def notification_list(request):
    notifications = request.user.notifications.select_related("application")[:100]
    return render(request, "notifications/notification_list.html", {"notifications": notifications})
