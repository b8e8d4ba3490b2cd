"""Privacy operations: export one's data, erase an account, warn and anonymise inactive ones.

They read and change models and flush; the view (or the CLI command) commits once.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import delete, func, or_, select, update

from ideation.assisted.models import AssistedAccount
from ideation.auth.models import User, erased_email
from ideation.challenges.models import Challenge
from ideation.comments.models import Comment
from ideation.core import audit as audit_log
from ideation.core.audit import AuditEntry
from ideation.db_types import utcnow
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaAnswer, IdeaRevision, Support
from ideation.mail.models import Email, EmailStatus
from ideation.mail.services import queue_email
from ideation.moderation.models import Report
from ideation.notifications.models import Notification, NotificationPreference
from ideation.orgs.models import Invitation
from ideation.photos.services import erase_photos_of
from ideation.photos.services import export_of as photos_export
from ideation.pilots.models import Pilot, PilotFollower, PilotUpdate, VolunteerOffer
from ideation.voting.models import Ballot
from ideation.workshops import services as workshop_services
from ideation.workshops.models import Workshop, WorkshopRegistration

ERASED_NAME = "Participant·e supprimé·e"
EXPORT_FILENAME = "mes-donnees-fabrique.json"

# The audit log's vocabulary lives with moderation; erasure adds its own action to it.
audit_log.ACTIONS.setdefault("user.erase", _l("Compte supprimé (données personnelles effacées)"))


def is_erased(user: User) -> bool:
    return user.is_erased


# --- export -------------------------------------------------------------------------


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _value(enum_or_str: Any) -> Any:
    return getattr(enum_or_str, "value", enum_or_str)


def export_data(user: User) -> dict[str, Any]:
    """Everything the account owns, as plain JSON values: a fixed number of queries.

    Other people's personal data stays out: no names, e-mails or ids of other accounts,
    only the titles of the ideas, challenges and pilots the user's data points to.
    """
    uid = user.id
    session = db.session

    ideas = session.execute(
        select(Idea, Challenge.title)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Idea.author_id == uid)
        .order_by(Idea.created_at, Idea.id)
    ).all()
    revisions: dict[int, list[dict[str, Any]]] = {}
    for rev in session.scalars(
        select(IdeaRevision)
        .join(Idea, Idea.id == IdeaRevision.idea_id)
        .where(Idea.author_id == uid)
        .order_by(IdeaRevision.created_at, IdeaRevision.id)
    ):
        revisions.setdefault(rev.idea_id, []).append(
            {
                "title": rev.title,
                "summary": rev.summary,
                "body": rev.body_source,
                "saved_at": _when(rev.created_at),
            }
        )

    supports = session.execute(
        select(Support.created_at, Idea.id, Idea.title)
        .join(Idea, Idea.id == Support.idea_id)
        .where(Support.user_id == uid)
        .order_by(Support.created_at, Support.id)
    ).all()
    comments = session.execute(
        select(Comment, Idea.title)
        .join(Idea, Idea.id == Comment.idea_id)
        .where(Comment.author_id == uid)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    reports = session.scalars(
        select(Report).where(Report.reporter_id == uid).order_by(Report.created_at, Report.id)
    ).all()
    ballots = session.execute(
        select(Ballot, Challenge.title)
        .join(Challenge, Challenge.id == Ballot.challenge_id)
        .where(Ballot.voter_id == uid)
        .order_by(Ballot.created_at, Ballot.id)
    ).all()
    ranked_ids = {i for ballot, _t in ballots for group in ballot.ranking or [] for i in group}
    idea_titles = (
        dict(session.execute(select(Idea.id, Idea.title).where(Idea.id.in_(ranked_ids))).all())
        if ranked_ids
        else {}
    )
    notifications = session.scalars(
        select(Notification)
        .where(Notification.user_id == uid)
        .order_by(Notification.created_at, Notification.id)
    ).all()
    preferences = session.scalars(
        select(NotificationPreference)
        .where(NotificationPreference.user_id == uid)
        .order_by(NotificationPreference.kind)
    ).all()
    followed = session.execute(
        select(PilotFollower.created_at, Pilot.id, Pilot.title)
        .join(Pilot, Pilot.id == PilotFollower.pilot_id)
        .where(PilotFollower.user_id == uid)
        .order_by(PilotFollower.created_at, PilotFollower.id)
    ).all()
    offers = session.execute(
        select(
            VolunteerOffer.created_at,
            VolunteerOffer.what,
            VolunteerOffer.idea_id,
            Idea.title,
            VolunteerOffer.pilot_id,
            Pilot.title,
        )
        .outerjoin(Idea, Idea.id == VolunteerOffer.idea_id)
        .outerjoin(Pilot, Pilot.id == VolunteerOffer.pilot_id)
        .where(VolunteerOffer.user_id == uid)
        .order_by(VolunteerOffer.created_at, VolunteerOffer.id)
    ).all()
    registrations = session.execute(
        select(WorkshopRegistration, Workshop.title, Workshop.starts_at)
        .join(Workshop, Workshop.id == WorkshopRegistration.workshop_id)
        .where(WorkshopRegistration.user_id == uid)
        .order_by(Workshop.starts_at, WorkshopRegistration.id)
    ).all()
    # An account opened for the person at a workshop or an office: what they agreed to.
    assisted = session.scalars(
        select(AssistedAccount).where(AssistedAccount.user_id == uid)
    ).first()
    # What staff accounts wrote or run: team answers, points d'étape, pilots, challenges, codes.
    answers = session.scalars(
        select(IdeaAnswer)
        .where(IdeaAnswer.author_id == uid)
        .order_by(IdeaAnswer.created_at, IdeaAnswer.id)
    ).all()
    updates = session.execute(
        select(PilotUpdate, Pilot.title)
        .join(Pilot, Pilot.id == PilotUpdate.pilot_id)
        .where(PilotUpdate.author_id == uid)
        .order_by(PilotUpdate.created_at, PilotUpdate.id)
    ).all()
    pilots = session.scalars(
        select(Pilot)
        .where(or_(Pilot.owner_id == uid, Pilot.created_by_id == uid))
        .order_by(Pilot.id)
    ).all()
    challenges = session.scalars(
        select(Challenge).where(Challenge.created_by_id == uid).order_by(Challenge.id)
    ).all()
    invitations = session.scalars(
        select(Invitation).where(Invitation.created_by_id == uid).order_by(Invitation.id)
    ).all()
    # Actions only: the labels and reasons of audit rows may name other people.
    actions = session.execute(
        select(
            AuditEntry.action, AuditEntry.target_type, AuditEntry.target_id, AuditEntry.created_at
        )
        .where(AuditEntry.actor_id == uid)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).all()

    return {
        "format": "fabrique-export/1",
        "exported_at": _when(utcnow()),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "role": _value(user.role),
            "organisation": user.organisation.name if user.organisation else None,
            "residence": user.residence.label if user.residence else None,
            "locale": user.locale,
            "created_at": _when(user.created_at),
            "last_login_at": _when(user.last_login_at),
            "newsletter_consent_at": _when(user.newsletter_consent_at),
            "email_verified": user.email_verified,
            "second_factor_enabled": bool(user.totp_secret),
            "inactivity_warned_at": _when(user.inactivity_warned_at),
        },
        "ideas": [
            {
                "id": idea.id,
                "challenge": challenge_title,
                "title": idea.title,
                "summary": idea.summary,
                "body": idea.body_source,
                "status": _value(idea.status),
                "status_reason": idea.status_reason,
                "created_at": _when(idea.created_at),
                "submitted_at": _when(idea.submitted_at),
                "published_at": _when(idea.published_at),
                "edited_at": _when(idea.edited_at),
                "supports_count": idea.supports_count,
                "comments_count": idea.comments_count,
                "revisions": revisions.get(idea.id, []),
            }
            for idea, challenge_title in ideas
        ],
        "supports": [
            {"idea_id": idea_id, "idea": title, "created_at": _when(created)}
            for created, idea_id, title in supports
        ],
        "comments": [
            {
                "id": c.id,
                "idea_id": c.idea_id,
                "idea": idea_title,
                "reply_to": c.parent_id,
                "body": c.body_source,
                "created_at": _when(c.created_at),
                "edited_at": _when(c.edited_at),
                "deleted_at": _when(c.deleted_at),
                "hidden": c.hidden_at is not None,
            }
            for c, idea_title in comments
        ],
        "reports": [
            {
                "idea_id": r.idea_id,
                "comment_id": r.comment_id,
                "reason": _value(r.reason),
                "details": r.details,
                "status": _value(r.status),
                "created_at": _when(r.created_at),
                "resolved_at": _when(r.resolved_at),
            }
            for r in reports
        ],
        "ballots": [
            {
                "challenge": challenge_title,
                "ranking": [
                    [idea_titles.get(i, f"#{i}") for i in group] for group in ballot.ranking or []
                ],
                "receipt": ballot.receipt,
                "created_at": _when(ballot.created_at),
                "updated_at": _when(ballot.updated_at),
            }
            for ballot, challenge_title in ballots
        ],
        "notifications": [
            {
                "kind": _value(n.kind),
                "title": n.title,
                "body": n.body,
                "link": n.link,
                "created_at": _when(n.created_at),
                "read_at": _when(n.read_at),
                "emailed_at": _when(n.emailed_at),
            }
            for n in notifications
        ],
        "notification_preferences": {_value(p.kind): _value(p.delivery) for p in preferences},
        "pilots_followed": [
            {"pilot_id": pilot_id, "pilot": title, "since": _when(created)}
            for created, pilot_id, title in followed
        ],
        "help_offered": [
            {
                "what": what,
                "idea_id": idea_id,
                "idea": idea_title,
                "pilot_id": pilot_id,
                "pilot": pilot_title,
                "created_at": _when(created),
            }
            for created, what, idea_id, idea_title, pilot_id, pilot_title in offers
        ],
        "workshops": [
            {
                "workshop_id": r.workshop_id,
                "workshop": title,
                "starts_at": _when(starts_at),
                "status": _value(r.status),
                "registered_at": _when(r.created_at),
                "checked_in_at": _when(r.checked_in_at),
            }
            for r, title, starts_at in registrations
        ],
        "assisted_account": None
        if assisted is None
        else {
            "consent_wording": assisted.consent_wording,
            "consent_at": _when(assisted.consent_at),
            "phone": assisted.phone,
            "workshop_id": assisted.workshop_id,
            "claimed_at": _when(assisted.claimed_at),
        },
        "team_answers": [
            {
                "idea_id": a.idea_id,
                "body": a.body_source,
                "created_at": _when(a.created_at),
                "updated_at": _when(a.updated_at),
            }
            for a in answers
        ],
        "pilot_updates": [
            {
                "pilot_id": u.pilot_id,
                "pilot": title,
                "happened_on": _when(u.happened_on),
                "body": u.body_source,
                "new_status": _value(u.new_status),
                "new_progress": u.new_progress,
                "created_at": _when(u.created_at),
            }
            for u, title in updates
        ],
        "pilots": [
            {
                "id": p.id,
                "title": p.title,
                "owner": p.owner_id == uid,
                "created_by_me": p.created_by_id == uid,
            }
            for p in pilots
        ],
        "challenges_created": [
            {"slug": c.slug, "title": c.title, "created_at": _when(c.created_at)}
            for c in challenges
        ],
        "invitations_created": [
            {
                "code": i.code,
                "role": _value(i.role),
                "max_uses": i.max_uses,
                "uses": i.uses,
                "expires_at": _when(i.expires_at),
                "created_at": _when(i.created_at),
            }
            for i in invitations
        ],
        "moderation_actions": [
            {"action": action, "target_type": target_type, "target_id": target_id, "at": _when(at)}
            for action, target_type, target_id, at in actions
        ],
        # The photos the person sent (their files were stripped of EXIF and GPS at upload).
        "photos": photos_export(uid),
    }


def export_json(user: User) -> str:
    return json.dumps(export_data(user), ensure_ascii=False, indent=2)


# --- erasure ------------------------------------------------------------------------

# werkzeug's check_password_hash() answers False for a value without "method$salt$hash".
UNUSABLE_PASSWORD_PREFIX = "!erased!"


def erase_account(user: User, *, actor: User | None, reason: str = "") -> None:
    """Blank the account's personal data and end its sessions; keep its contributions.

    Ideas, comments, supports and ballots stay (so discussions read on and tallies never
    move) and now show the blanked display name. Notifications, preferences, followed
    pilots, offers of help, the newsletter's consent and the e-mails still addressed to the old address go. `actor` is the user
    themself, an administrator, or None for the inactivity job. The audit row is written
    after the blanking, so it holds no name or address.
    """
    old_email, old_name = user.email, user.display_name
    user.email = erased_email(user.id)
    user.display_name = ERASED_NAME
    user.password_hash = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(16)
    user.totp_secret = None
    user.totp_last_step = None
    user.residence_id = None
    user.email_verified = False
    user.active = False
    user.inactivity_warned_at = None
    user.newsletter_consent_at = None
    user.rotate_session_token()  # every session and remember-me cookie stops working
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(
        delete(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    db.session.execute(delete(PilotFollower).where(PilotFollower.user_id == user.id))
    db.session.execute(delete(VolunteerOffer).where(VolunteerOffer.user_id == user.id))
    # An assisted account keeps the record that someone opened it with consent, without
    # the phone, and its card's code stops working.
    db.session.execute(
        update(AssistedAccount)
        .where(AssistedAccount.user_id == user.id)
        .values(phone="", claim_hash=None)
    )
    # Places at workshops to come go back to the waiting list (the first in line is told);
    # past attendance stays, counted under the blanked name.
    workshop_services.cancel_upcoming_of(user)
    # Photos show the person's home, neighbours, sometimes faces: they go, files included
    # (removed by a job once the erasure commits).
    erase_photos_of(user.id)
    # The outbox holds copies of the old address and name: pending ones must not leave any
    # more, and sent or failed ones have no reason to stay.
    db.session.execute(delete(Email).where(func.lower(Email.recipient) == old_email.lower()))
    _redact_pending_emails(old_name)
    _redact_audit(user.id)
    db.session.flush()
    who = (
        "self"
        if actor is not None and actor.id == user.id
        else ("admin" if actor else "inactivity")
    )
    audit_log.audit(actor, "user.erase", user, reason=reason, details={"by": who})


# Shorter names would be found inside unrelated words of other people's e-mails.
_REDACT_MIN_LENGTH = 3


def _redact_pending_emails(name: str) -> int:
    """E-mails not sent yet to other people that name the erased person get the
    placeholder instead (a reply notice, a digest); returns how many changed."""
    if len(name or "") < _REDACT_MIN_LENGTH or name == ERASED_NAME:
        return 0
    escaped = str(escape(name))
    changed = 0
    for email in db.session.scalars(
        select(Email).where(
            Email.status == EmailStatus.PENDING,
            or_(
                Email.subject.contains(name, autoescape=True),
                Email.body_text.contains(name, autoescape=True),
                Email.body_html.contains(escaped, autoescape=True),
            ),
        )
    ):
        email.subject = email.subject.replace(name, ERASED_NAME)
        email.body_text = email.body_text.replace(name, ERASED_NAME)
        email.body_html = email.body_html.replace(escaped, str(escape(ERASED_NAME)))
        changed += 1
    return changed


def _redact_audit(user_id: int) -> None:
    """Earlier audit rows keep their ids and actions but lose the erased person's name:
    as the one who acted, and as the account acted upon."""
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.actor_id == user_id)
        .values(actor_name=ERASED_NAME)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.target_type == "user", AuditEntry.target_id == user_id)
        .values(target_label=ERASED_NAME)
        .execution_options(synchronize_session=False)
    )


# --- inactive accounts --------------------------------------------------------------


def _last_activity():  # type: ignore[no-untyped-def]
    return func.coalesce(User.last_login_at, User.created_at)


def accounts_to_warn(days: int, now: datetime | None = None) -> list[User]:
    """Active accounts without a login for `days` (and created that long ago), not yet warned.

    A warning older than the last login no longer counts: the account came back since.
    """
    cutoff = (now or utcnow()) - timedelta(days=days)
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.created_at <= cutoff,
                _last_activity() <= cutoff,
                or_(
                    User.inactivity_warned_at.is_(None),
                    User.inactivity_warned_at < User.last_login_at,
                ),
            )
            .order_by(User.id)
        )
    )


def warn_inactive(days: int, grace: int, now: datetime | None = None) -> int:
    """Queue the warning e-mail to each account to warn and record when; returns how many."""
    now = now or utcnow()
    users = accounts_to_warn(days, now)
    deadline = now + timedelta(days=grace)
    for user in users:
        with force_locale(user.locale or "fr"):
            queue_email(
                user.email,
                _("Votre compte Fabrique sera bientôt anonymisé"),
                "inactivity_warning",
                user=user,
                deadline=deadline,
                login_link=url_for("auth.login", _external=True),
                data_link=url_for("privacy.index", _external=True),
            )
        user.inactivity_warned_at = now
    db.session.flush()
    return len(users)


def accounts_to_anonymise(days: int, grace: int, now: datetime | None = None) -> list[User]:
    """Accounts warned more than `grace` days ago, with no login since, and inactive for `days`."""
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    warned_before = now - timedelta(days=grace)
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.inactivity_warned_at.is_not(None),
                User.inactivity_warned_at <= warned_before,
                _last_activity() <= cutoff,
                or_(User.last_login_at.is_(None), User.last_login_at < User.inactivity_warned_at),
            )
            .order_by(User.id)
        )
    )


def anonymise_inactive(days: int, grace: int, now: datetime | None = None) -> int:
    """Erase every account that was warned and did not come back; returns how many."""
    users = accounts_to_anonymise(days, grace, now)
    for user in users:
        erase_account(user, actor=None, reason="inactivity")
    return len(users)
