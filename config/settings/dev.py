from .base import *  # noqa: F403

DEBUG = True
# Only for the local development server; production.py requires a real one.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
