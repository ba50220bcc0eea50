import environ
from csp.constants import NONCE, NONE, SELF

from config import env as environment
from config.env import BASE_DIR

SECRET_KEY = environment.SECRET_KEY
DEBUG = bool(environment.DEBUG)
ALLOWED_HOSTS = environment.ALLOWED_HOSTS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "formtools",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files, served as our own static files (no CDN): the API documentation page.
    "drf_spectacular_sidecar",
    "config.apps.PlatformConfig",
    "procurement",
    "questionnaire",
    "clauses",
    "registers",
    "analytics",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Under /api/, errors answered by the middleware below (413, 503…) become problem+json too.
    "api.middleware.ProblemJsonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "procurement.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "procurement.middleware.CurrentOrganisationMiddleware",
    "procurement.middleware.SecondFactorMiddleware",
    # Last, so that its process_exception sees a view's exception first.
    "config.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "procurement.context_processors.current_organisation",
                "procurement.context_processors.skiplinks",
                "config.legal.legal_context",
            ],
            "builtins": ["procurement.templatetags.french"],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": environ.Env.db_url_config(environment.DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent submissions and uploads on SQLite (`make run`): readers never wait for the writer (WAL), and a
    # transaction takes the write lock when it starts (IMMEDIATE), waiting up to 20 s for it, instead of failing
    # at once with "database is locked" when two transactions that have read both want to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not environment.DATABASE_JIT:
    # PostgreSQL compiles (JIT) each query whose estimated cost passes jit_above_cost, at every run; the raw export
    # and the indicators pass it. Over 1,000,000 responses, compiling the export's query took 3.2 s of its 4.5 s,
    # and no measured query ran faster with JIT (benchmarks/README.md, "JIT de PostgreSQL coupé").
    connection_options = DATABASES["default"].setdefault("OPTIONS", {})
    connection_options["options"] = f"{connection_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "procurement.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Staff sessions end after 8 hours of inactivity, and with the browser.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Reverse proxies whose X-Forwarded-For header names the client (procurement.http.client_ip).
TRUSTED_PROXIES = environment.TRUSTED_PROXIES

# Login throttling: after this many failures for one email (or one IP), wait.
LOGIN_MAX_FAILURES = 5
LOGIN_LOCKOUT_SECONDS = 15 * 60
# Password-reset requests (procurement.accounts.services.PasswordResetThrottle): beyond these, within the window,
# nothing is sent and the page answers as usual. An IP is shared by a whole office: it gets more.
PASSWORD_RESET_MAX_PER_EMAIL = 5
PASSWORD_RESET_MAX_PER_IP = 20
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60

# Second factor (TOTP): any member may enrol; organisation and platform administrators must: they hold every right.
SECOND_FACTOR_REQUIRED_FOR_ADMINS = True

# Data protection: annex drafts untouched for this many days are deleted with their files (purge_annex_drafts).
ANNEX_DRAFT_RETENTION_DAYS = 90
# The copy of an uploaded cahier des charges, kept so that the buyer may move the texts from the preview without
# uploading it again, is deleted after this many days (purge_stamped_uploads); the stamped document stays.
STAMPED_UPLOAD_RETENTION_DAYS = 7

# Annex (candidate questionnaire): attachments, and abuse limits per IP address (questionnaire.ratelimit):
# for each action, at most N requests per window of S seconds; beyond, a French 429 page. Generous on purpose:
# many candidates may share one company proxy, and the deadline load test (benchmarks/load) runs from one address.
ANNEX_MAX_ATTACHMENTS = 5
ANNEX_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ANNEX_RATE_LIMITS = {
    "draft": (600, 60 * 60),  # step saves and new drafts
    "submit": (60, 60 * 60),  # final submissions
    "email": (10, 60 * 60),  # receipt resends and resume links by email
}
# A CSRF failure on an annex page keeps what was typed in the draft (questionnaire.views.csrf_failure).
CSRF_FAILURE_VIEW = "questionnaire.views.csrf_failure"

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The candidates' light stylesheet is built from the DSFR when static files are looked for
# (config/candidate_assets.py).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.candidate_assets.CandidateAssetsFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Request bodies (procurement.uploads): the largest file any page accepts (imports, cahiers des charges) and the
# largest body (the annex's attachments step); beyond, the body stops streaming in and a French page answers 413.
UPLOAD_MAX_FILE_BYTES = 20 * 1024 * 1024
UPLOAD_MAX_REQUEST_BYTES = ANNEX_MAX_ATTACHMENTS * ANNEX_MAX_ATTACHMENT_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "procurement.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The form fields of a body, files excluded (Django refuses more with a 400), and the size up to which an uploaded
# file stays in memory (larger ones stream to a temporary file, never beyond UPLOAD_MAX_FILE_BYTES).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = environ.Env.email_url_config(environment.EMAIL_URL)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = environment.DEFAULT_FROM_EMAIL

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no REDIS_URL, tasks run in process (eagerly).
REDIS_URL = environment.REDIS_URL
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
    # Statistics jobs (analytics.services.enqueue): connecting to a missing broker gives up after one retry
    # (kombu otherwise retries forever), so a page that queues a job fails it within seconds instead of hanging.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Statistics jobs: publishing retries at most twice, about one second in all, then the job is marked failed.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TIMEZONE = TIME_ZONE
# Statistics jobs (analytics): the computation's time limit, and when the sweeper (sweep_indicator_jobs, every
# 5 minutes from Celery beat) fails a job: running without heartbeat, or queued without starting, for that long.
ANALYTICS_JOB_SOFT_TIME_LIMIT_SECONDS = 10 * 60
ANALYTICS_JOB_HEARTBEAT_TIMEOUT_MINUTES = 15
ANALYTICS_JOB_QUEUE_TIMEOUT_MINUTES = 15

# The REST API (app `api`, docs/api.md): bearer tokens of an organisation, one capability per operation, errors as
# application/problem+json; each token may make API_RATE_LIMIT[0] calls per window of API_RATE_LIMIT[1] seconds
# (counted in the cache: with several web processes, a shared cache such as Redis makes them count together).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.HasCapability"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_RATE_LIMIT = (600, 60)
SPECTACULAR_SETTINGS = {
    "TITLE": "API Égalité commande publique",
    "DESCRIPTION": (
        "Les marchés, les réponses à l'annexe égalité, les indicateurs, les heures des clauses d'insertion et les "
        "cahiers des charges d'une organisation, pour ses propres logiciels (profil d'acheteur, outil de suivi des "
        "marchés, outil des facilitateurs). Chaque appel porte un jeton de l'organisation (« Authorization: "
        "Bearer <jeton> ») ; chaque erreur est un `application/problem+json` (RFC 9457) dont `detail` dit en "
        "français quoi faire. Guide et exemples : docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Content-Security-Policy: no inline script anywhere; the DSFR scripts carry a nonce (`request.csp_nonce`).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# django-dsfr marks the text of its components (alerts, so Django messages) as safe unless told otherwise:
# messages quote what users typed (a market's reference), so they are escaped like any other text.
DSFR_CONTENT_IS_SAFE = False
# No `integrity` checksums on the DSFR files: django-dsfr computes them on its own copies, and the production
# storage rewrites the `url()` of the stylesheets to hashed names, so browsers refused the DSFR CSS. The files
# are served from our own origin under hashed names: the checksums guarded nothing.
DSFR_USE_INTEGRITY_CHECKSUMS = False

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

PLATFORM_NAME = "Égalité commande publique"
# Shown by authenticator apps next to the code.
OTP_TOTP_ISSUER = PLATFORM_NAME
PLATFORM_BASE_URL = environment.PLATFORM_BASE_URL
MARKETS_PER_PAGE = 20
# The platform's operator and host (Mentions légales, personal-data notice, accessibility statement).
PLATFORM_OPERATOR_NAME = environment.PLATFORM_OPERATOR_NAME
PLATFORM_OPERATOR_ADDRESS = environment.PLATFORM_OPERATOR_ADDRESS
PLATFORM_PUBLICATION_DIRECTOR = environment.PLATFORM_PUBLICATION_DIRECTOR
PLATFORM_CONTACT_EMAIL = environment.PLATFORM_CONTACT_EMAIL
PLATFORM_HOST_NAME = environment.PLATFORM_HOST_NAME
PLATFORM_HOST_ADDRESS = environment.PLATFORM_HOST_ADDRESS

# Public registers (registers/http.py): the published Egapro index and the company register, each reached only
# through its configured base URL (off when empty: the default, so `make run` works offline). Every call gives up
# after REGISTERS_TIMEOUT_SECONDS in all (2 s: a candidate never waits longer); answers are cached
# REGISTERS_CACHE_SECONDS; after REGISTERS_BREAKER_FAILURES failures in a row a source is left alone for
# REGISTERS_BREAKER_SECONDS (the circuit breaker: pages say the source is down, nothing waits), and a 429 leaves it
# alone for its Retry-After (at most REGISTERS_RETRY_AFTER_MAX_SECONDS). The company register allows 7 requests a
# second per address: COMPANY_REGISTER_MAX_PER_SECOND keeps under it.
EGAPRO_API_BASE_URL = environment.EGAPRO_API_BASE_URL
COMPANY_REGISTER_BASE_URL = environment.COMPANY_REGISTER_BASE_URL
REGISTERS_TIMEOUT_SECONDS = environment.REGISTERS_TIMEOUT_SECONDS
REGISTERS_CACHE_SECONDS = 24 * 60 * 60
REGISTERS_BREAKER_FAILURES = 3
REGISTERS_BREAKER_SECONDS = 60
REGISTERS_RETRY_AFTER_MAX_SECONDS = 15 * 60
COMPANY_REGISTER_MAX_PER_SECOND = 7
# The published indexes file (« index-egalite-fh », XLSX), fetched and loaded each night at 03:15 by Celery beat
# (registers.fetch_egapro_file) when set, in production; empty: no nightly fetch.
EGAPRO_FILE_URL = environment.EGAPRO_FILE_URL
EGAPRO_FILE_TIMEOUT_SECONDS = 120
EGAPRO_FILE_MAX_BYTES = 200 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
