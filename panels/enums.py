from django.db import models
from django.utils.translation import gettext_lazy as _
