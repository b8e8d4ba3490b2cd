"""Notify users in the app and, by their preference, by e-mail now or in a daily digest.

Other areas call `notify()` / `notify_many()` inside their own transaction: the
notification rows and outbox e-mails commit (or roll back) with the action.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any, cast

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import escape
from sqlalchemy import CursorResult, func, insert, select, update

from ideation.auth.models import User
from ideation.auth.sessions import account_fact
from ideation.db_types import utcnow
from ideation.extensions import db
from ideation.mail.links import absolute, external_url
from ideation.mail.models import Email, EmailStatus
from ideation.mail.services import clean_header, queue_email
from ideation.notifications.models import (
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
)

DEFAULT_DELIVERY = Delivery.DIGEST
# Results are news a voter waits for: told at once unless they chose otherwise.
# A place at a workshop and its reminder are of the day: told at once by default too.
DEFAULT_BY_KIND = {
    NotificationKind.VOTE_CLOSED: Delivery.IMMEDIATE,
    NotificationKind.WORKSHOP_PROMOTED: Delivery.IMMEDIATE,
    NotificationKind.WORKSHOP_REMINDER: Delivery.IMMEDIATE,
}
ALL_KINDS = "*"

KIND_LABELS = {
    NotificationKind.IDEA_PUBLISHED: _l("Mon idée est publiée"),
    NotificationKind.IDEA_REJECTED: _l("Mon idée est refusée"),
    NotificationKind.IDEA_HIDDEN: _l("Mon idée ou mon commentaire est masqué"),
    NotificationKind.IDEA_MERGED: _l("Mon idée est fusionnée avec une autre"),
    NotificationKind.IDEA_SHORTLISTED: _l("Mon idée est retenue pour le vote"),
    NotificationKind.IDEA_ANSWERED: _l("L'équipe répond à mon idée"),
    NotificationKind.COMMENT_ON_MY_IDEA: _l("Un nouveau commentaire sur mon idée"),
    NotificationKind.REPLY_TO_MY_COMMENT: _l("Une réponse à mon commentaire"),
    NotificationKind.COMMENT_HIDDEN: _l("Mon commentaire est masqué"),
    NotificationKind.VOTE_OPENED: _l("Un vote s'ouvre dans un défi où j'ai participé"),
    NotificationKind.VOTE_CLOSED: _l("Les résultats d'un vote sont publiés"),
    NotificationKind.PILOT_UPDATE: _l("Un projet pilote que je suis avance"),
    NotificationKind.TEAM_MESSAGE: _l(
        "Un message de l'équipe à mon bailleur, ma résidence ou mon défi"
    ),
    NotificationKind.WORKSHOP_PROMOTED: _l("Une place se libère à un atelier où j'attends"),
    NotificationKind.WORKSHOP_REMINDER: _l(
        "Le rappel, la veille d'un atelier où je suis inscrit·e"
    ),
}
DELIVERY_LABELS = {
    Delivery.IMMEDIATE: _l("Tout de suite"),
    Delivery.DIGEST: _l("Un résumé par jour"),
    Delivery.NEVER: _l("Jamais par e-mail"),
}


# --- preferences ----------------------------------------------------------------------


def preferences_for(user_ids: Iterable[int]) -> dict[int, dict[NotificationKind, Delivery]]:
    """Every stored preference of these users, in one query."""
    ids = list(set(user_ids))
    prefs: dict[int, dict[NotificationKind, Delivery]] = defaultdict(dict)
    if ids:
        rows = db.session.execute(
            select(
                NotificationPreference.user_id,
                NotificationPreference.kind,
                NotificationPreference.delivery,
            ).where(NotificationPreference.user_id.in_(ids))
        )
        for user_id, kind, delivery in rows:
            prefs[user_id][kind] = delivery
    return prefs


def delivery_for(user_id: int, kind: NotificationKind) -> Delivery:
    stored = preferences_for([user_id]).get(user_id, {})
    return stored.get(kind, DEFAULT_BY_KIND.get(kind, DEFAULT_DELIVERY))


def set_preference(user_id: int, kind: NotificationKind, delivery: Delivery) -> None:
    pref = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    if pref is None:
        db.session.add(NotificationPreference(user_id=user_id, kind=kind, delivery=delivery))
    else:
        if pref.delivery == Delivery.NEVER and delivery != Delivery.NEVER:
            # Subscribed again: the unsubscribe links of earlier e-mails stop working.
            db.session.execute(
                update(User)
                .where(User.id == user_id)
                .values(unsubscribe_version=User.unsubscribe_version + 1)
            )
        pref.delivery = delivery
    db.session.flush()


# --- unsubscribe tokens -----------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def _token_version(user: User) -> str:
    # Changes when the user subscribes again (unsubscribe_version) and at erasure (the
    # address is blanked), so a link from an older e-mail no longer unsubscribes anyone.
    return hashlib.sha256(f"{user.unsubscribe_version}:{user.email}".encode()).hexdigest()[:16]


def unsubscribe_token(user_id: int, kind: NotificationKind | str = ALL_KINDS) -> str:
    user = db.session.get(User, user_id)
    if user is None:
        raise LookupError(f"no user {user_id}")
    return _serializer().dumps({"u": user_id, "k": str(kind), "v": _token_version(user)})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a valid token of an active account, at its current version."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    kind = data.get("k")
    if kind != ALL_KINDS and kind not in {k.value for k in NotificationKind}:
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("v") != _token_version(user):
        return None
    return user.id, kind


def unsubscribe(user_id: int, kind: str) -> None:
    kinds = list(NotificationKind) if kind == ALL_KINDS else [NotificationKind(kind)]
    for k in kinds:
        set_preference(user_id, k, Delivery.NEVER)


def unsubscribe_url(user_id: int, kind: NotificationKind | str = ALL_KINDS) -> str:
    return external_url("notifications.unsubscribe", token=unsubscribe_token(user_id, kind))


# --- notifying ----------------------------------------------------------------------------


def _absolute(link: str) -> str:
    # BASE_URL, never the request's Host (see ideation/mail/links.py).
    return absolute(link)


def _email_now(user: User, note: Notification) -> None:
    with force_locale(user.locale or "fr"):
        queue_email(
            user.email,
            note.display_title,
            "notification",
            user=user,
            note=note,
            link=_absolute(note.link),
            unsubscribe_link=unsubscribe_url(user.id, note.kind),
            unsubscribe_all_link=unsubscribe_url(user.id),
            list_unsubscribe=unsubscribe_url(user.id, note.kind),
        )
    note.emailed_at = utcnow()


def notify_many(
    users: Iterable[User],
    kind: NotificationKind,
    title: str,
    link: str,
    body: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """Notify several users of the same event (one preference query for all of them)."""
    users = [u for u in {u.id: u for u in users if u is not None and u.active}.values()]
    prefs = preferences_for(u.id for u in users)
    notes = []
    for user in users:
        delivery = prefs.get(user.id, {}).get(kind, DEFAULT_BY_KIND.get(kind, DEFAULT_DELIVERY))
        note = Notification(
            user_id=user.id,
            kind=kind,
            title=title[:200],
            body=body,
            link=link,
            digest_pending=delivery == Delivery.DIGEST,
            actor_id=actor.id if actor is not None else None,
        )
        if actor is not None:
            note.actor = actor
        db.session.add(note)
        if delivery == Delivery.IMMEDIATE:
            _email_now(user, note)
        notes.append(note)
    db.session.flush()
    return notes


def notify(
    user: User,
    kind: NotificationKind,
    title: str,
    link: str,
    body: str = "",
    actor: User | None = None,
) -> Notification | None:
    """Notify one user; nothing for an inactive account. A title that names `actor` is
    stored without the name and rendered from the user row (Notification.display_title)."""
    notes = notify_many([user], kind, title, link, body, actor)
    return notes[0] if notes else None


# --- the notification centre ---------------------------------------------------------------


def _unread(user_id: Any) -> Any:
    """The count of a user's unread notifications (a number or the users.id column)."""
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def unread_count(user_id: int) -> int:
    return db.session.scalar(_unread(user_id)) or 0


# The header shows it on every page: read with the account by the user loader.
account_fact("unread_notifications", lambda users_id: _unread(users_id).scalar_subquery())


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one (or all) of this user's notifications read; returns how many changed."""
    query = update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    # Session.execute is typed as returning a Result; an UPDATE gives a CursorResult (rowcount).
    result = cast(CursorResult[Any], db.session.execute(query.values(read_at=utcnow())))
    return result.rowcount or 0


# --- daily digest --------------------------------------------------------------------------


def build_digests() -> int:
    """One e-mail per user gathering their pending digest notifications; returns the count."""
    pending = db.session.scalars(
        select(Notification)
        .where(Notification.digest_pending.is_(True))
        .order_by(Notification.user_id, Notification.created_at)
    ).all()
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for note in pending:
        by_user[note.user_id].append(note)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(by_user))))}
    # A preference changed to "never" after the event: no e-mail, but the notification stays in the app.
    prefs = preferences_for(by_user)
    sent = 0
    now = utcnow()
    for user_id, notes in by_user.items():
        user = users.get(user_id)
        wanted = [
            n
            for n in notes
            if prefs.get(user_id, {}).get(n.kind, DEFAULT_DELIVERY) == Delivery.DIGEST
        ]
        for note in notes:
            note.digest_pending = False
        if user is None or not user.active or not wanted:
            continue
        with force_locale(user.locale or "fr"):
            queue_email(
                user.email,
                ngettext(
                    "Fabrique : %(num)d nouveauté pour vous",
                    "Fabrique : %(num)d nouveautés pour vous",
                    len(wanted),
                ),
                "digest",
                user=user,
                notes=[(n, _absolute(n.link)) for n in wanted],
                unsubscribe_all_link=unsubscribe_url(user.id),
                preferences_link=_absolute("/notifications/preferences"),
                list_unsubscribe=unsubscribe_url(user.id),
            )
        for note in wanted:
            note.emailed_at = now
        sent += 1
    db.session.flush()
    return sent


# --- bulk (a whole vote's voters, from a queued job) ------------------------------------

BULK_CHUNK = 2000
_NAME = "@@fabrique-name@@"
_UNSUB_KIND = "@@fabrique-unsubscribe-kind@@"
_UNSUB_ALL = "@@fabrique-unsubscribe-all@@"
_TOKEN = "fabrique-token"


def notify_bulk(
    user_ids: Iterable[int],
    kind: NotificationKind,
    texts: Callable[[], tuple[str, str]],
    link: str,
) -> int:
    """Notify many users of one event at a cost that does not grow per person.

    `texts()` returns (title, body) in the current locale; it is called once per
    language, and each e-mail template is rendered once per language with placeholders
    that are then replaced per person (name, unsubscribe links). Rows are inserted in
    bulk, `BULK_CHUNK` users at a time. Returns how many users were notified.
    """
    ids = sorted(set(user_ids))
    now = utcnow()
    serializer = _serializer()
    unsubscribe_prefix = external_url("notifications.unsubscribe", token=_TOKEN)
    by_locale: dict[str, tuple[str, str, str, str]] = {}

    def rendered(locale: str) -> tuple[str, str, str, str]:
        if locale not in by_locale:
            with force_locale(locale):
                title, body = texts()
                title = title[:200]
                note = SimpleNamespace(display_title=title, body=body, kind=kind)
                context = {
                    "user": SimpleNamespace(display_name=_NAME),
                    "note": note,
                    "link": _absolute(link),
                    "unsubscribe_link": _UNSUB_KIND,
                    "unsubscribe_all_link": _UNSUB_ALL,
                }
                text = render_template("emails/notification.txt", **context)
                html = render_template("emails/notification.html", **context)
            by_locale[locale] = (title, body, text, html)
        return by_locale[locale]

    def unsubscribe_link(user_id: int, version: str, which: str) -> str:
        token = serializer.dumps({"u": user_id, "k": which, "v": version})
        return unsubscribe_prefix.replace(_TOKEN, token)

    told = 0
    for start in range(0, len(ids), BULK_CHUNK):
        chunk = ids[start : start + BULK_CHUNK]
        users = db.session.execute(
            select(
                User.id, User.email, User.display_name, User.locale, User.unsubscribe_version
            ).where(User.id.in_(chunk), User.active.is_(True))
        ).all()
        prefs = preferences_for(chunk)
        notes: list[dict[str, Any]] = []
        emails: list[dict[str, Any]] = []
        for user in users:
            delivery = prefs.get(user.id, {}).get(kind, DEFAULT_BY_KIND.get(kind, DEFAULT_DELIVERY))
            title, body, text, html = rendered(user.locale or "fr")
            immediate = delivery == Delivery.IMMEDIATE
            notes.append(
                {
                    "user_id": user.id,
                    "kind": kind,
                    "title": title,
                    "body": body,
                    "link": link,
                    "created_at": now,
                    "digest_pending": delivery == Delivery.DIGEST,
                    "emailed_at": now if immediate else None,
                }
            )
            if not immediate:
                continue
            version = hashlib.sha256(
                f"{user.unsubscribe_version}:{user.email}".encode()
            ).hexdigest()[:16]
            kind_link = unsubscribe_link(user.id, version, str(kind))
            all_link = unsubscribe_link(user.id, version, ALL_KINDS)
            name = user.display_name
            emails.append(
                {
                    "recipient": clean_header(user.email),
                    "subject": clean_header(title),
                    "body_text": text.replace(_NAME, name)
                    .replace(_UNSUB_KIND, kind_link)
                    .replace(_UNSUB_ALL, all_link),
                    "body_html": html.replace(_NAME, str(escape(name)))
                    .replace(_UNSUB_KIND, str(escape(kind_link)))
                    .replace(_UNSUB_ALL, str(escape(all_link))),
                    "list_unsubscribe": kind_link,
                    "status": EmailStatus.PENDING,
                    "attempts": 0,
                    "created_at": now,
                    "next_attempt_at": now,
                }
            )
        if notes:
            db.session.execute(insert(Notification), notes)
        if emails:
            db.session.execute(insert(Email), emails)
        told += len(notes)
    db.session.flush()
    return told


# --- the newsletter (issue 12) ----------------------------------------------------------
# Separate from service e-mails: only to people who ticked an unchecked box (the time of
# consent is kept), e-mail only, each with a one-click unsubscribe link (RFC 8058).


def set_newsletter_consent(user: User, on: bool) -> None:
    """Record the person's choice; the consent time is kept until they change their mind."""
    if on and user.newsletter_consent_at is None:
        user.newsletter_consent_at = utcnow()
    elif not on:
        user.newsletter_consent_at = None
    db.session.flush()


def _newsletter_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="newsletter")


def _newsletter_version(email: str, consent_at: Any) -> str:
    # A new consent (or an erasure) makes the links of earlier letters worthless.
    stamp = consent_at.isoformat() if consent_at is not None else ""
    return hashlib.sha256(f"{stamp}:{email}".encode()).hexdigest()[:16]


def newsletter_token(user_id: int, email: str, consent_at: Any) -> str:
    return _newsletter_serializer().dumps(
        {"u": user_id, "v": _newsletter_version(email, consent_at)}
    )


def read_newsletter_token(token: str) -> User | None:
    """The subscribed, active account a newsletter unsubscribe link names, if still valid."""
    try:
        data = _newsletter_serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or user.newsletter_consent_at is None:
        return None
    if data.get("v") != _newsletter_version(user.email, user.newsletter_consent_at):
        return None
    return user


def newsletter_bulk(user_ids: Iterable[int], subject: str, body: str) -> int:
    """Queue the newsletter to these people, if they still consent, in bulk: the letter is
    rendered once per language with placeholders replaced per person. Returns the count."""
    ids = sorted(set(user_ids))
    now = utcnow()
    prefix = external_url("notifications.newsletter_unsubscribe", token=_TOKEN)
    by_locale: dict[str, tuple[str, str]] = {}

    def rendered(locale: str) -> tuple[str, str]:
        if locale not in by_locale:
            with force_locale(locale):
                context = {
                    "user": SimpleNamespace(display_name=_NAME),
                    "subject": subject,
                    "body": body,
                    "unsubscribe_link": _UNSUB_KIND,
                    "home": _absolute("/"),
                }
                by_locale[locale] = (
                    render_template("emails/newsletter.txt", **context),
                    render_template("emails/newsletter.html", **context),
                )
        return by_locale[locale]

    sent = 0
    for start in range(0, len(ids), BULK_CHUNK):
        chunk = ids[start : start + BULK_CHUNK]
        rows = db.session.execute(
            select(
                User.id, User.email, User.display_name, User.locale, User.newsletter_consent_at
            ).where(
                User.id.in_(chunk),
                User.active.is_(True),
                User.newsletter_consent_at.is_not(None),
            )
        ).all()
        emails: list[dict[str, Any]] = []
        for row in rows:
            text, html = rendered(row.locale or "fr")
            link = prefix.replace(
                _TOKEN, newsletter_token(row.id, row.email, row.newsletter_consent_at)
            )
            emails.append(
                {
                    "recipient": clean_header(row.email),
                    "subject": clean_header(subject)[:200],
                    "body_text": text.replace(_NAME, row.display_name).replace(_UNSUB_KIND, link),
                    "body_html": html.replace(_NAME, str(escape(row.display_name))).replace(
                        _UNSUB_KIND, str(escape(link))
                    ),
                    "list_unsubscribe": link,
                    "status": EmailStatus.PENDING,
                    "attempts": 0,
                    "created_at": now,
                    "next_attempt_at": now,
                }
            )
        if emails:
            db.session.execute(insert(Email), emails)
        sent += len(emails)
    db.session.flush()
    return sent
