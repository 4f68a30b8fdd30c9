"""The authentication backend that throttles sign-ins (django-axes).

Axes' own backend refuses to run without a request. Sign-ins from the web always carry
one; authenticate() without a request comes only from code (the shell, the test client),
which is not a guessing surface, so this backend lets those through to ModelBackend.
"""

from axes.backends import AxesStandaloneBackend


class WebSignInBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
