"""Sign-in and sign-out with Django's auth views and the workbench's own page."""

from django.contrib.auth import views as auth_views

sign_in = auth_views.LoginView.as_view(
    template_name="claims/auth/sign_in.html", redirect_authenticated_user=True
)
# Sign-out is a POST (a link or an image could not sign someone out).
sign_out = auth_views.LogoutView.as_view()
