"""A minimal Django project serving the same JWT-protected endpoint as the Rust demo."""

import os

SECRET_KEY = 'bench-reference-not-a-secret'
DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
INSTALLED_APPS = [
    'django.contrib.contenttypes',
    'django.contrib.auth',
    'dmr',
]
# No middleware: the comparison is about the auth layer, not Django's default stack.
MIDDLEWARE = []
ROOT_URLCONF = 'benchproj.urls'
WSGI_APPLICATION = 'benchproj.wsgi.application'
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': os.environ.get('DMR_REF_DB', '/tmp/dmr-reference.sqlite3'),
        # persistent connections, as a production deployment would configure them
        'CONN_MAX_AGE': None,
    },
}
USE_TZ = True
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'
# The Rust demo's HS256 secret, so one token works for both.
DEMO_JWT_SECRET = os.environ.get(
    'DMR_DEMO_JWT_SECRET',
    'dmr-demo-secret-change-me-0123456789abcdef',
)
