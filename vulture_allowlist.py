"""Names vulture reports as unused that are used where it cannot look.

vulture reads Python only: it does not see Jinja templates, string keys of app.config,
hooks that Flask, SQLAlchemy or WTForms call by name, nor the tests. Each entry says
who uses the name. Views, template globals, CLI commands and request hooks are skipped
by decorator (`[tool.vulture]` in pyproject.toml), not listed here.

Run: `vulture ideation config.py wsgi.py vulture_allowlist.py` (part of `make lint`).
This file is parsed by vulture, never imported: `_` stands for any object.
"""

# ruff: noqa: B018, F821

# config.py: Flask and its extensions read configuration by key (app.config["MAIL_PORT"],
# Flask-Babel's BABEL_*, Flask-Limiter's RATELIMIT_*, Flask-Login's REMEMBER_COOKIE_*).
_.SECRET_KEY, _.SQLALCHEMY_DATABASE_URI, _.SQLALCHEMY_ENGINE_OPTIONS, _.SITE_NAME, _.BASE_URL
_.ALLOW_SELF_REGISTRATION, _.BABEL_DEFAULT_LOCALE, _.BABEL_DEFAULT_TIMEZONE, _.LANGUAGES
_.MAX_CONTENT_LENGTH, _.WTF_CSRF_TIME_LIMIT, _.WTF_CSRF_ENABLED, _.TESTING, _.DEBUG
_.SESSION_COOKIE_HTTPONLY, _.SESSION_COOKIE_SAMESITE, _.SESSION_COOKIE_SECURE
_.SESSION_COOKIE_NAME, _.PREFERRED_URL_SCHEME, _.HSTS
_.REMEMBER_COOKIE_HTTPONLY, _.REMEMBER_COOKIE_SAMESITE, _.REMEMBER_COOKIE_DURATION
_.REMEMBER_COOKIE_SECURE, _.REMEMBER_COOKIE_NAME
_.RATELIMIT_STORAGE_URI, _.RATELIMIT_HEADERS_ENABLED, _.RATELIMIT_LOGIN
_.RATELIMIT_LOGIN_ACCOUNT, _.RATELIMIT_REGISTER, _.RATELIMIT_RESET, _.RATELIMIT_SECOND_FACTOR
_.RATELIMIT_IDEAS, _.RATELIMIT_COMMENTS, _.RATELIMIT_REPORTS, _.REPORT_THRESHOLD
_.REQUIRE_SECOND_FACTOR, _.PASSWORD_HASH_METHOD, _.VERIFY_TOKEN_MAX_AGE, _.RESET_TOKEN_MAX_AGE
_.MAIL_SERVER, _.MAIL_PORT, _.MAIL_USERNAME, _.MAIL_PASSWORD, _.MAIL_USE_TLS, _.MAIL_USE_SSL
_.MAIL_DEFAULT_SENDER, _.MAIL_CONSOLE, _.MAIL_MAX_ATTEMPTS

# ideation/app.py: Flask-Login reads these settings and User.is_active (auth/models.py).
_.login_view, _.login_message, _.login_message_category, _.is_active, _.get_id

# ideation/db_types.py: SQLAlchemy's TypeDecorator protocol, called by the engine.
_.impl, _.cache_ok, _.process_bind_param, _.process_result_value

# WTForms: a Field's `widget` renders it (pilots/forms.py); these form fields exist to be
# rendered and validated (auth/register.html, reset.html, change_password.html,
# ideas/form.html's "save draft" button, privacy/erase.html's confirmation box).
_.widget, _.password_confirm, _.save_draft, _.confirm

# Model columns: read by templates (description_html, hidden_reason, merged_into,
# actor_name, target_label, computed_at) or kept for the record and read by SQL only
# (who edited a revision, who resolved a report, the outbox's last error and send time,
# which update an indicator value came with).
_.description_html, _.hidden_reason, _.merged_into, _.editor_id, _.resolved_by_id
_.actor_name, _.target_label, _.last_error, _.sent_at, _.update_id, _.computed_at

# Values handed to templates (dashboard/index.html, voting/results.html,
# pilots/_charts.html).
_.overdue, _.turnout, _.target_y, _.baseline_y, _.series_count, _.polyline

# Used by the tests only, on purpose: code_at gives the code an authenticator app shows
# (tests/unit/test_totp.py, tests/requests/test_second_factor.py); delivery_for reads one
# person's notification choice (tests/requests/test_notifications.py).
_.code_at, _.delivery_for

# Rules that only templates call (through `perm.`), so a shown button is one that works:
# ideas/show.html and comments/_thread.html.
_.can_see_status_reason, _.support_needs_login, _.has_discussion, _.comment_needs_login

# The voting registry's extension points: a new method registers itself; the tests add
# and remove a fake fourth method with them (tests/fake_vote_method.py).
_.register, _.unregister

# config.py: settings read by name from app.config (sessions store, trusted hosts and
# proxies, the development key file) by ideation/app.py and ideation/auth/sessions.py.
_.SECRET_KEY_FILE, _.TRUSTED_HOSTS, _.TRUSTED_HOSTS_FROM_BASE_URL, _.PROXY_X_FOR
_.PROXY_X_PROTO, _.SESSION_STORE, _.SESSION_REDIS_URL, _.SESSION_REDIS_PREFIX
_.SESSION_RECORD_LIFETIME, _.GENERATE_SECRET_KEY

# config.py: registration ceilings read by name (ideation/auth/views.py _register_checks).
_.RATELIMIT_REGISTER_CODE, _.RATELIMIT_REGISTER_ATTEMPTS

# auth/models.py: who verified a person in person, kept for the record (read by SQL).
_.verified_by_id

# core/numbers.py: Werkzeug's converter protocol (regex, part_isolating, to_python, to_url).
_.regex, _.part_isolating, _.to_python, _.to_url

# config.py: the task queue's settings, read by name (ideation/core/queue.py,
# ideation/mail/services.py claim_due).
_.MAIL_CLAIM_TIMEOUT, _.QUEUE_URL, _.QUEUE_IMMEDIATE

# core/queue.py: attributes Huey reads on its storage configuration.
_.storage_kwargs, _.storage

# ideation/ideas/services.py: Flask-SQLAlchemy's Pagination.__init__ calls IdeaPage's hooks.
_._query_items, _._query_count

# config.py: the page cache settings, read by ideation/core/cache.py.
_.PAGE_CACHE_URL, _.PAGE_CACHE_PREFIX, _.PAGE_CACHE_TTL

# config.py: the publisher's details that fill the shipped site pages (ideation/pages/services.py).
_.PUBLISHER_NAME, _.PUBLISHER_ADDRESS, _.HOSTING_PROVIDER, _.CONTACT_EMAIL
_.ACCESSIBILITY_STATEMENT_DATE

# pages/models.py: who rewrote a page last, kept for the record (read by SQL).
_.updated_by_id

# participation/services.py: fields the "Mes participations" template reads.
_.votes_cast
# templates/outreach/index.html: the sent messages list shows whom and how many.
_.scope_label, _.recipients_count
# config.py: issue 16's settings, read by name (Flask-Limiter's fallback and storage
# options, ideation/mail/services.py, core/logs.py, core/health.py, core/outage.py, doctor).
_.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED, _.RATELIMIT_STORAGE_OPTIONS, _.MAIL_TIMEOUT
_.LOG_FORMAT, _.HEALTH_QUEUE_BACKLOG_MAX, _.OUTAGE_RETRY_AFTER, _.UPLOADS_DIR

# core/logs.py and core/outage.py: attributes of flask.g (the request id, its start, and
# Flask-Login's cached user); tasks.py: a Huey start-up hook.
_.request_id, _.request_started, _._login_user, _.catch_up_on_start
# core/images.py, core/uploads.py: attributes Pillow, Werkzeug and our templates read.
_.MAX_IMAGE_PIXELS, _.max_content_length, _.upload_body_too_large
# config.py: the photo settings, read by name (core/uploads.py, core/storage.py).
_.UPLOAD_MAX_BODY, _.PHOTO_STORAGE_URL, _.S3_ENDPOINT_URL, _.S3_REGION
# Sanitised HTML read only by templates: editions' programme, pilots' lessons (issue 12).
_.programme_html, _.lessons_html, _.costs_html, _.conditions_html
# dashboard/services.py: the copies an organisation made, read by the dashboard template.
_.adopted

# WTForms calls validate_<field> methods by name (fabrique/forms.py EditionForm).
_.validate_ends_on

# Workshops (issue 13): what the templates read (rules, sanitised minutes, places left, the
# attendance list's statuses), WTForms' validate_<field> methods, and the columns kept for
# the record of each registration (who checked whom in, when; read by SQL and the export).
_.workshop_needs_login, _.places_left, _.holds_place, _.minutes_html
_.validate_ends, _.validate_residence_id
_.promoted_at, _.cancelled_at, _.checked_in_at, _.checked_in_by_id

# Assisted participation (issue 13): the consent boxes WTForms validates, the record kept
# of each assisted account (wording, when the code was drawn, who opened it; read by the
# account's template) and what templates read.
_.consent, _.consent_wording, _.claim_issued_at, _.created_by, _.claimable, _.RATELIMIT_CLAIM
# Printed posters (issue 13): the QR code a poster template draws (templates/printed/).
_.qr
# Verified households (issue 13): the limit read through app.config, and who used a
# dwelling letter (the tie to the dwelling, read by SQL and the tests).
_.DWELLING_MAX_ACCOUNTS, _.used_by_id

# Votes in person (issue 14): the foundation on main, used by the desks area's services
# and views as they are built; the columns are read by the closure record and templates.
_.opened_by_id, _.opened_at, _.closed_by_id, _.sheets_received, _.record_frozen_at
_.ballot_id, _.printed_at, _.settled_at, _.desk, _.entries, _.sheet_id, _.reading
_.entered_at, _.sheet, _.assessor, _.marked_by_id, _.marked_at
_.CHANNEL_LABELS, _.IN_PERSON, _.FIRST_ENTRY, _.DISPUTED, _.AGREED, _.BLANK, _.SPOILT
_.EXCESS, _.RANKED, _.can_open_desk, _.can_work_desk, _.ballot_order, _.voter_seed
_.sheet_seed, _.hold_vote, _.cast_at_desk, _.mark_paper_voter, _.cast_paper_ballot
_.get_from_hint_text  # SQLAlchemy calls it (ideation/core/sql.py)
