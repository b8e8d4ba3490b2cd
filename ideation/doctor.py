"""`flask doctor`: is this a sound production installation? Each finding in plain words.

Checks the configuration the app was built with (FLASK_CONFIG and the environment),
then reaches each part: the database (and whether its migrations are applied), every
Redis the configuration uses, the SMTP relay, the queue, and the directories it writes.
Nothing is changed, except a test file written and removed in each directory. Never
prints a password, a key or a URL's credentials.
"""

from __future__ import annotations

import os
import smtplib
import tempfile
from dataclasses import dataclass
from urllib.parse import urlsplit

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text

from ideation.core import health
from ideation.extensions import db

OK, WARN, ERROR = "ok", "attention", "erreur"
KNOWN_WEAK_KEYS = {
    "change-me",
    "changeme",
    "secret",
    "dev",
    "testing-secret-key-not-for-production",
}


@dataclass(frozen=True)
class Finding:
    level: str
    topic: str
    text: str


def _hide(url: str) -> str:
    """A URL without its password."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def _secret_key(app: Flask) -> list[Finding]:
    key = app.config.get("SECRET_KEY") or ""
    if not os.environ.get("SECRET_KEY"):
        return [Finding(ERROR, "clé secrète", "SECRET_KEY n'est pas définie dans l'environnement.")]
    if len(key) < 32 or key in KNOWN_WEAK_KEYS:
        return [
            Finding(
                ERROR,
                "clé secrète",
                "SECRET_KEY est trop courte ou connue : tirez-en une de 48 caractères au moins "
                '(python3 -c "import secrets; print(secrets.token_urlsafe(48))").',
            )
        ]
    return [Finding(OK, "clé secrète", f"définie ({len(key)} caractères).")]


def _mode(app: Flask) -> list[Finding]:
    found = []
    if app.debug or not app.config.get("SESSION_COOKIE_SECURE"):
        found.append(
            Finding(
                ERROR,
                "mode",
                "Ce n'est pas la configuration de production : FLASK_CONFIG=production.",
            )
        )
    else:
        found.append(Finding(OK, "mode", "configuration de production."))
    base = app.config.get("BASE_URL", "")
    if not base.startswith("https://"):
        found.append(
            Finding(
                WARN,
                "adresse",
                f"BASE_URL ({base}) n'est pas en https : les cookies sécurisés ne passeront pas.",
            )
        )
    if app.config.get("MAIL_CONSOLE"):
        found.append(
            Finding(
                ERROR, "e-mails", "MAIL_CONSOLE est actif : les e-mails sont affichés, pas envoyés."
            )
        )
    return found


def _hosts(app: Flask) -> list[Finding]:
    hosts = app.config.get("TRUSTED_HOSTS") or []
    expected = urlsplit(app.config.get("BASE_URL", "")).hostname
    if not hosts:
        return [
            Finding(
                ERROR, "hôtes", "TRUSTED_HOSTS est vide : le site répond pour n'importe quel nom."
            )
        ]
    if expected and expected not in hosts:
        return [
            Finding(
                ERROR,
                "hôtes",
                f"TRUSTED_HOSTS ({', '.join(hosts)}) ne contient pas {expected}, le nom de BASE_URL.",
            )
        ]
    return [Finding(OK, "hôtes", f"le site ne répond que pour : {', '.join(hosts)}.")]


def _proxy(app: Flask) -> list[Finding]:
    hops = int(app.config.get("PROXY_X_FOR") or 0)
    if hops == 0:
        return [
            Finding(
                WARN,
                "proxy",
                "PROXY_HOPS=0 : les adresses des visiteurs sont celles du proxy s'il y en a un "
                "(les limites de tentatives compteraient tout le monde ensemble). "
                "Mettez PROXY_HOPS=1 derrière un nginx.",
            )
        ]
    if hops > 2:
        return [
            Finding(
                WARN,
                "proxy",
                f"PROXY_HOPS={hops} : rare ; un visiteur pourrait choisir son adresse.",
            )
        ]
    return [Finding(OK, "proxy", f"{hops} proxy cru(s) pour X-Forwarded-For.")]


def _database(app: Flask) -> list[Finding]:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    found = []
    try:
        with db.engine.connect() as conn:
            conn.execute(text("select 1"))
            current = MigrationContext.configure(conn).get_current_revision()
    except Exception as error:  # noqa: BLE001  (said in words below)
        return [
            Finding(
                ERROR, "base de données", f"injoignable ({_hide(url)}) : {type(error).__name__}."
            )
        ]
    if db.engine.dialect.name != "postgresql":
        found.append(
            Finding(
                WARN,
                "base de données",
                "SQLite : bien pour un essai, PostgreSQL pour plusieurs serveurs.",
            )
        )
    directory = app.extensions["migrate"].directory
    head = ScriptDirectory(directory).get_current_head()
    if current != head:
        found.append(
            Finding(
                ERROR,
                "base de données",
                f"migrations en retard ({current} au lieu de {head}) : lancez flask db upgrade.",
            )
        )
    else:
        found.append(Finding(OK, "base de données", f"joignable, migrations à jour ({head})."))
    return found


def _redis(app: Flask) -> list[Finding]:
    found = []
    urls = health.redis_urls()
    for purpose, url in urls.items():
        problem = health.ping_redis(url)
        if problem:
            found.append(
                Finding(
                    ERROR,
                    "redis",
                    f"{purpose} : {_hide(url)} ne répond pas ({problem.split(':')[0]}).",
                )
            )
        else:
            found.append(Finding(OK, "redis", f"{purpose} : {_hide(url)} répond."))
    if app.config.get("RATELIMIT_STORAGE_URI", "").startswith("memory://"):
        found.append(
            Finding(
                WARN,
                "redis",
                "limites de tentatives en mémoire : chaque processus compte à part. Donnez REDIS_URL.",
            )
        )
    return found


def _smtp(app: Flask) -> list[Finding]:
    cfg = app.config
    where = f"{cfg['MAIL_SERVER']}:{cfg['MAIL_PORT']}"
    try:
        cls = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
        with cls(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=5) as smtp:
            if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            smtp.noop()
    except (OSError, smtplib.SMTPException) as error:
        return [
            Finding(
                ERROR,
                "smtp",
                f"le relais {where} ne répond pas ({type(error).__name__}) : les e-mails attendront dans la file.",
            )
        ]
    return [Finding(OK, "smtp", f"le relais {where} répond.")]


def _queue(app: Flask) -> list[Finding]:
    if app.config.get("QUEUE_IMMEDIATE"):
        return [
            Finding(
                WARN,
                "file de tâches",
                "QUEUE_IMMEDIATE : les tâches tournent dans la requête (lent).",
            )
        ]
    check = health.check_queue()
    url = app.config.get("QUEUE_URL", "")
    if check.state != health.OK:
        return [Finding(ERROR, "file de tâches", f"{_hide(url)} : {check.detail or check.state}.")]
    found = [
        Finding(
            OK,
            "file de tâches",
            f"{_hide(url)} : {check.detail}. Lancez huey_consumer ideation.tasks.huey.",
        )
    ]
    if url.startswith("sqlite:///"):
        found.append(
            Finding(
                WARN,
                "file de tâches",
                "file SQLite : un seul serveur possible. Donnez REDIS_URL pour plusieurs.",
            )
        )
    return found


def _writable(topic: str, path: str | None) -> list[Finding]:
    if not path:
        return []
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-"):
            pass
    except OSError as error:
        return [Finding(ERROR, topic, f"{path} n'est pas inscriptible ({error.strerror}).")]
    return [Finding(OK, topic, f"{path} est inscriptible.")]


def examine(app: Flask) -> list[Finding]:
    """Every finding, in the order a person fixes them."""
    with app.app_context():
        return [
            *_mode(app),
            *_secret_key(app),
            *_hosts(app),
            *_proxy(app),
            *_database(app),
            *_redis(app),
            *_smtp(app),
            *_queue(app),
            *_writable("stockage", app.instance_path),
            *_writable("fichiers envoyés", app.config.get("UPLOADS_DIR")),
        ]
