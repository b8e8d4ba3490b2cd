"""Workshops: public list and page, registration, the .ics file; for the hosts the
attendance list, check-in at the door and the minutes; the facilitators' form."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ideation.auth.models import User
from ideation.core.forms import EmptyForm
from ideation.core.security import current_actor, require, require_participation
from ideation.core.storage import StorageError
from ideation.core.time import paris_clock, paris_day, paris_moment
from ideation.core.uploads import accepts_upload, body_too_large
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.workshops import ACTIVE, STATUS_LABELS, RegistrationStatus, calendar_file
from ideation.extensions import db
from ideation.mail.links import external_url
from ideation.photos import services as photo_services
from ideation.photos.forms import read_photo
from ideation.photos.models import PhotoOwner
from ideation.workshops import services
from ideation.workshops.forms import MinutesForm, WorkshopForm
from ideation.workshops.models import Workshop

bp = Blueprint("workshops", __name__)


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _started(workshop: Workshop) -> bool:
    return workshop.started(utcnow())


@bp.app_template_global()
def registration_label(status: RegistrationStatus) -> str:
    """A registration's status in the reader's language."""
    return _(STATUS_LABELS[status])


# --- public pages --------------------------------------------------------------------


@bp.route("/ateliers")
def index():
    """Every workshop to come, the soonest first, then those already held."""
    return render_template(
        "workshops/index.html",
        upcoming=services.upcoming(limit=None),
        past=services.past(),
        can_create=rules.can_create_workshop(current_actor()),
    )


@bp.route("/ateliers/<int:workshop_id>")
def show(workshop_id: int):
    """A workshop: when, where, who hosts, places left, sign up or cancel, the minutes."""
    workshop = services.load_workshop(workshop_id)
    actor = current_actor()
    now = utcnow()
    started = workshop.started(now)
    mine = services.registration_of(workshop.id, actor.id)
    scope = services.photo_scope(workshop)
    challenges = [
        c
        for c in workshop.challenges
        if rules.can_view_challenge(actor, c.current_phase(now), c.scope)
    ]
    return render_template(
        "workshops/show.html",
        workshop=workshop,
        challenges=challenges,
        mine=mine,
        position=services.waiting_position(mine) if mine is not None else None,
        started=started,
        ended=workshop.ended(now),
        active=mine is not None and mine.status in ACTIVE,
        form=EmptyForm() if actor.is_authenticated else None,
        photos=photo_services.photos_of(
            PhotoOwner.WORKSHOP, [workshop.id], with_hidden=rules.can_moderate(actor, scope)
        )[workshop.id],
        photo_scope=scope,
    )


@bp.route("/ateliers/<int:workshop_id>/atelier.ics")
def calendar(workshop_id: int):
    """The workshop as a calendar file (RFC 5545), to add to a phone's calendar."""
    workshop = services.load_workshop(workshop_id)
    page = external_url("workshops.show", workshop_id=workshop.id)
    body = calendar_file(
        uid=f"atelier-{workshop.id}@{page.split('/')[2]}",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        summary=workshop.title,
        description=f"{workshop.description_source}\n\n{page}".strip(),
        location=workshop.place_label,
        url=page,
        now=workshop.updated_at or workshop.created_at,
    )
    return Response(
        body.encode("utf-8"),
        mimetype="text/calendar",
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="atelier-{workshop.id}.ics"',
        },
    )


@bp.route("/ateliers/<int:workshop_id>/inscription", methods=["POST"])
@login_required
def register(workshop_id: int):
    """A participant signs up; when it is full, they join the waiting list."""
    workshop = services.load_workshop(workshop_id)
    require_participation(rules.can_register_workshop, _started(workshop))
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("workshops.show", workshop_id=workshop.id))
    status = services.register(workshop, _me())
    db.session.commit()
    if status == RegistrationStatus.WAITING:
        flash(
            _(
                "L'atelier est complet : vous êtes sur la liste d'attente. "
                "Si une place se libère, elle est pour vous et vous êtes prévenu·e."
            ),
            "info",
        )
    else:
        flash(_("Vous êtes inscrit·e. Ajoutez l'atelier à votre agenda."), "success")
    return redirect(url_for("workshops.show", workshop_id=workshop.id))


@bp.route("/ateliers/<int:workshop_id>/desinscription", methods=["POST"])
@login_required
def cancel(workshop_id: int):
    """A participant gives their place (or their turn in line) back."""
    workshop = services.load_workshop(workshop_id)
    mine = services.registration_of(workshop.id, current_actor().id)
    active = mine is not None and mine.status in ACTIVE
    require(rules.can_cancel_registration(current_actor(), active, _started(workshop)))
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("workshops.show", workshop_id=workshop.id))
    services.cancel(workshop, _me())
    db.session.commit()
    flash(_("Vous êtes désinscrit·e. Merci d'avoir laissé la place."), "success")
    return redirect(url_for("workshops.show", workshop_id=workshop.id))


# --- for the hosts -------------------------------------------------------------------


def _require_host(workshop: Workshop) -> None:
    require(rules.can_run_workshop(current_actor(), workshop.host_ids, workshop.created_by_id))


@bp.route("/ateliers/<int:workshop_id>/presences")
@login_required
def attendance(workshop_id: int):
    """The attendance list, printable, with a check-in button per person."""
    workshop = services.load_workshop(workshop_id)
    _require_host(workshop)
    return render_template(
        "workshops/attendance.html",
        workshop=workshop,
        rows=services.attendance(workshop.id),
        form=EmptyForm(),
        ended=workshop.ended(utcnow()),
    )


@bp.route("/ateliers/<int:workshop_id>/presences/<int:registration_id>", methods=["POST"])
@login_required
def check_in(workshop_id: int, registration_id: int):
    """A host marks one person present at the door (one tap, once)."""
    workshop = services.load_workshop(workshop_id)
    _require_host(workshop)
    registration = services.load_registration(workshop, registration_id)
    if EmptyForm().validate_on_submit():
        name = registration.user.display_name
        if services.check_in(registration.id, _me()):
            db.session.commit()
            flash(_("%(name)s est noté·e présent·e.", name=name), "success")
        else:
            flash(_("%(name)s était déjà noté·e présent·e.", name=name), "info")
    return redirect(
        url_for("workshops.attendance", workshop_id=workshop.id, _anchor=f"p{registration.id}")
    )


@bp.route("/ateliers/<int:workshop_id>/absences", methods=["POST"])
@login_required
def mark_absent(workshop_id: int):
    """After the workshop, the hosts record that those not checked in did not come."""
    workshop = services.load_workshop(workshop_id)
    require(
        rules.can_mark_absent(
            current_actor(), workshop.host_ids, workshop.created_by_id, workshop.ended(utcnow())
        )
    )
    if EmptyForm().validate_on_submit():
        absent = services.mark_absent(workshop)
        db.session.commit()
        flash(
            ngettext(
                "%(num)d personne notée absente.", "%(num)d personnes notées absentes.", absent
            ),
            "success",
        )
    return redirect(url_for("workshops.attendance", workshop_id=workshop.id))


@bp.route("/ateliers/<int:workshop_id>/compte-rendu", methods=["GET", "POST"])
@login_required
@accepts_upload
def minutes(workshop_id: int):
    """The hosts write the minutes once the workshop has begun, maybe with a photo of the
    room or the flip chart; they show on its page."""
    workshop = services.load_workshop(workshop_id)
    require(
        rules.can_write_minutes(
            current_actor(), workshop.host_ids, workshop.created_by_id, _started(workshop)
        )
    )
    form = MinutesForm()
    status = 200
    if not form.is_submitted():
        form.minutes.data = workshop.minutes_source
    else:
        valid = form.validate()
        photo_fine, upload = read_photo(
            form, photo_services.count_of(PhotoOwner.WORKSHOP, workshop.id)
        )
        if valid and photo_fine:
            source = (form.minutes.data or "").replace("\r\n", "\n")
            try:
                services.save_minutes(_me(), workshop, source)
                if upload is not None:
                    photo_services.attach(
                        PhotoOwner.WORKSHOP, workshop.id, _me(), upload.prepared, upload.alt_text
                    )
            except StorageError as error:
                db.session.rollback()
                form.photo.errors = [*form.photo.errors, photo_services.storage_message(error)]
                status = 507
            else:
                db.session.commit()
                flash(_("Le compte rendu est publié sur la page de l'atelier."), "success")
                return redirect(url_for("workshops.show", workshop_id=workshop.id))
    if body_too_large():
        status = 413
    return (
        render_template("workshops/minutes_form.html", workshop=workshop, form=form),
        status,
    )


# --- the facilitators' form ------------------------------------------------------------


def _form_page(found: Workshop | None):  # type: ignore[no-untyped-def]
    actor = current_actor()
    if found is None:
        require(rules.can_create_workshop(actor))
    else:
        require(rules.can_edit_workshop(actor, found.host_ids, found.created_by_id))
    form = WorkshopForm()
    none = [(0, _("— Aucune —"))]
    residences = services.residence_choices()
    form.residence_id.choices = none + [(r.id, r.label) for r in residences]
    editions = services.edition_choices()
    form.edition_id.choices = none + [(e.id, e.name) for e in editions]
    houses = services.house_choices()
    form.house_id.choices = none + [
        (h.id, f"{h.name} ({h.edition.name})" if h.edition else h.name) for h in houses
    ]
    challenges = services.challenge_choices()
    form.challenge_ids.choices = [(c.id, c.title) for c in challenges]
    hosts = services.host_choices()
    form.host_ids.choices = [(u.id, u.display_name) for u in hosts]
    if request.method == "GET" and found is not None:
        form.title.data = found.title
        form.description.data = found.description_source
        form.day.data = paris_day(found.starts_at)
        form.starts.data = paris_clock(found.starts_at)
        form.ends.data = paris_clock(found.ends_at)
        form.residence_id.data = found.residence_id or 0
        form.room.data = found.room
        form.address.data = found.address
        form.capacity.data = found.capacity
        form.edition_id.data = found.edition_id or 0
        form.house_id.data = found.house_id or 0
        form.challenge_ids.data = [c.id for c in found.challenges]
        form.host_ids.data = [u.id for u in found.hosts]
    elif request.method == "GET":
        form.host_ids.data = [actor.id] if actor.id in {u.id for u in hosts} else []
    if form.validate_on_submit():
        ok = True
        for select_field, allowed in (
            (form.residence_id, {0} | {r.id for r in residences}),
            (form.edition_id, {0} | {e.id for e in editions}),
            (form.house_id, {0} | {h.id for h in houses}),
        ):
            if select_field.data not in allowed:
                select_field.errors.append(_("Choisissez dans la liste."))
                ok = False
        for multi, allowed in (
            (form.challenge_ids, {c.id for c in challenges}),
            (form.host_ids, {u.id for u in hosts}),
        ):
            if any(i not in allowed for i in multi.data or []):
                multi.errors.append(_("Choisissez dans la liste."))
                ok = False
        if ok:
            data = services.WorkshopData(
                title=form.title.data,
                description=(form.description.data or "").replace("\r\n", "\n"),
                edition_id=form.edition_id.data or None,
                house_id=form.house_id.data or None,
                challenge_ids=list(form.challenge_ids.data or []),
                residence_id=form.residence_id.data or None,
                room=form.room.data or "",
                address=(form.address.data or "").strip(),
                starts_at=paris_moment(form.day.data, form.starts.data),
                ends_at=paris_moment(form.day.data, form.ends.data),
                capacity=form.capacity.data,
                host_ids=list(form.host_ids.data or []),
            )
            try:
                saved = services.save_workshop(_me(), found, data)
            except services.CapacityBelowRegistrations:
                db.session.rollback()
                form.capacity.errors.append(
                    _("Plus de personnes sont déjà inscrites : gardez au moins autant de places.")
                )
            else:
                db.session.commit()
                flash(_("L'atelier est enregistré."), "success")
                return redirect(url_for("workshops.show", workshop_id=saved.id))
    return render_template("workshops/form.html", form=form, workshop=found)


@bp.route("/ateliers/nouveau", methods=["GET", "POST"])
@login_required
def create():
    """A facilitator or an admin plans a workshop."""
    return _form_page(None)


@bp.route("/ateliers/<int:workshop_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(workshop_id: int):
    """Those who run the workshop change its place, time, capacity or hosts."""
    return _form_page(services.load_workshop(workshop_id))
