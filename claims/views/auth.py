"""Sign-in and sign-out with Django's auth views and the workbench's own page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils import timezone

sign_in = auth_views.LoginView.as_view(
    template_name="claims/auth/sign_in.html", redirect_authenticated_user=True
)
# Sign-out is a POST (a link or an image could not sign someone out).
sign_out = auth_views.LogoutView.as_view()


def locked_out(request, response=None, credentials=None):
    """django-axes' lockout response: the sign-in page, saying when to try again (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    form = AuthenticationForm(request)
    form.cleaned_data = {}  # an unbound form takes an error only after "cleaning"
    form.add_error(
        None,
        f"Too many failed sign-ins for this account from your address. Try again in "
        f"{minutes} minutes (after {until:%H:%M} {until.tzname()}), or ask an administrator "
        "to unlock it.",
    )
    return render(request, "claims/auth/sign_in.html", {"form": form}, status=429)
