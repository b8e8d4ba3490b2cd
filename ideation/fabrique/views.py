"""The Fabrique's own pages: editions and houses, public; their forms for facilitators."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.challenges.services import visible_challenges
from ideation.core.security import current_actor, require
from ideation.domain import permissions as rules
from ideation.domain.fabrique import PICTOGRAMS
from ideation.domain.idea_states import PUBLIC
from ideation.extensions import db
from ideation.fabrique import services
from ideation.fabrique.forms import EditionForm, HouseForm
from ideation.fabrique.models import Edition, House
from ideation.ideas.models import Idea
from ideation.ideas.services import public_idea_counts
from ideation.pilots.models import Pilot
from ideation.workshops.services import upcoming as upcoming_workshops

bp = Blueprint("fabrique", __name__)

HOUSE_IDEAS = 24  # the house page shows the latest ideas; each challenge page has them all
PILOTS_SHOWN = 60


@bp.app_template_global()
def house_pictogram(house: House) -> str:
    """The character of a house's pictogram ("" when none): from the site's own list."""
    return PICTOGRAMS.get(house.pictogram or "", "")


def _pilots(*conditions) -> list[Pilot]:  # type: ignore[no-untyped-def]
    return list(
        db.session.scalars(
            select(Pilot)
            .where(*conditions)
            .options(joinedload(Pilot.organisation), joinedload(Pilot.house))
            .order_by(Pilot.updated_at.desc(), Pilot.id.desc())
            .limit(PILOTS_SHOWN)
        )
    )


# --- public pages --------------------------------------------------------------------


@bp.route("/editions")
def editions():
    """Every edition of the Fabrique, the latest first."""
    return render_template("fabrique/editions.html", editions=services.editions())


@bp.route("/editions/<slug>")
def edition(slug: str):
    """One edition: its houses, challenges, the pilots born of it and its figures."""
    found = services.load_edition(slug)
    actor = current_actor()
    challenges = visible_challenges(actor, edition_id=found.id)
    counts = public_idea_counts([c.id for c in challenges])
    pilots = _pilots(Pilot.edition_id == found.id)
    adoptions = db.session.scalar(
        select(func.count())
        .select_from(Pilot)
        .where(Pilot.adopted_from_id.in_(select(Pilot.id).where(Pilot.edition_id == found.id)))
    )
    figures = {
        "houses": len(found.houses),
        "challenges": len(challenges),
        "ideas": sum(counts.values()),
        "pilots": len(pilots),
        "adoptions": adoptions or 0,
    }
    return render_template(
        "fabrique/edition.html",
        edition=found,
        challenges=challenges,
        counts=counts,
        pilots=pilots,
        figures=figures,
        upcoming_workshops=upcoming_workshops(edition_id=found.id),
    )


@bp.route("/maisons/<slug>")
def house(slug: str):
    """One house: who runs it, its partners, its challenges, latest ideas and pilots."""
    found = services.load_house(slug)
    actor = current_actor()
    challenges = visible_challenges(actor, house_id=found.id)
    counts = public_idea_counts([c.id for c in challenges])
    readable = [c.id for c in visible_challenges(actor)]
    ideas = list(
        db.session.scalars(
            select(Idea)
            .join(Challenge, Challenge.id == Idea.challenge_id)
            .where(
                Idea.challenge_id.in_(readable or [-1]),
                Idea.status.in_(PUBLIC),
                Idea.hidden_at.is_(None),
                or_(Idea.theme_id == found.id, Challenge.theme_id == found.id),
            )
            .options(joinedload(Idea.challenge), joinedload(Idea.author))
            .order_by(Idea.created_at.desc(), Idea.id.desc())
            .limit(HOUSE_IDEAS)
        )
    )
    return render_template(
        "fabrique/house.html",
        house=found,
        challenges=challenges,
        counts=counts,
        ideas=ideas,
        pilots=_pilots(Pilot.house_id == found.id),
        upcoming_workshops=upcoming_workshops(house_id=found.id),
        can_edit=rules.can_edit_house(actor, frozenset(u.id for u in found.facilitators)),
    )


# --- editions: forms -----------------------------------------------------------------


def _edition_form_page(found: Edition | None):  # type: ignore[no-untyped-def]
    actor = current_actor()
    require(rules.can_manage_editions(actor))
    form = EditionForm(obj=found)
    if found is not None and request.method == "GET":
        form.description.data = found.description_source
        form.programme.data = found.programme_source
    if form.validate_on_submit():
        taken = services.edition_name_taken(form.name.data, found.id if found else None)
        saved = None
        if not taken:
            try:
                saved = services.save_edition(
                    db.session.get(User, actor.id),  # type: ignore[arg-type]
                    found,
                    services.EditionData(
                        name=form.name.data,
                        starts_on=form.starts_on.data,
                        ends_on=form.ends_on.data,
                        place=form.place.data or "",
                        description=(form.description.data or "").replace("\r\n", "\n"),
                        programme=(form.programme.data or "").replace("\r\n", "\n"),
                    ),
                )
            except services.EditionNameTaken:
                taken = True
        if saved is None:
            form.name.errors.append(_("Une édition porte déjà ce nom."))
        else:
            db.session.commit()
            flash(_("L'édition est enregistrée."), "success")
            return redirect(url_for("fabrique.edition", slug=saved.slug))
    return render_template("fabrique/edition_form.html", form=form, edition=found)


@bp.route("/editions/nouvelle", methods=["GET", "POST"])
@login_required
def new_edition():
    """An admin or a facilitator creates an edition."""
    return _edition_form_page(None)


@bp.route("/editions/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit_edition(slug: str):
    """An admin or a facilitator changes an edition's dates, place and texts."""
    return _edition_form_page(services.load_edition(slug))


# --- houses: forms -------------------------------------------------------------------


def _house_form_page(found: House | None):  # type: ignore[no-untyped-def]
    actor = current_actor()
    if found is None:
        require(rules.can_manage_editions(actor))
    else:
        require(rules.can_edit_house(actor, frozenset(u.id for u in found.facilitators)))
    form = HouseForm(obj=found)
    all_editions = services.editions()
    form.edition_id.choices = [(e.id, e.name) for e in all_editions]
    people = services.facilitator_choices()
    form.facilitator_ids.choices = [(u.id, u.display_name) for u in people]
    partners = services.partner_choices()
    form.partner_ids.choices = [(o.id, o.name) for o in partners]
    if request.method == "GET":
        if found is not None:
            form.description.data = found.description_source
            form.facilitator_ids.data = [u.id for u in found.facilitators]
            form.partner_ids.data = [o.id for o in found.partners]
            form.pictogram.data = found.pictogram or ""
        else:
            asked = request.args.get("edition", "")
            match = next((e for e in all_editions if e.slug == asked), None)
            if match is not None:
                form.edition_id.data = match.id
    if form.validate_on_submit():
        ok = True
        if form.edition_id.data not in {e.id for e in all_editions}:
            form.edition_id.errors.append(_("Choisissez dans la liste."))
            ok = False
        for f, allowed in (
            (form.facilitator_ids, {u.id for u in people}),
            (form.partner_ids, {o.id for o in partners}),
        ):
            if any(i not in allowed for i in f.data or []):
                f.errors.append(_("Choisissez dans la liste."))
                ok = False
        if ok:
            saved = services.save_house(
                db.session.get(User, actor.id),  # type: ignore[arg-type]
                found,
                services.HouseData(
                    edition_id=form.edition_id.data,
                    name=form.name.data,
                    description=(form.description.data or "").replace("\r\n", "\n"),
                    colour=form.colour.data or None,
                    pictogram=form.pictogram.data or None,
                    position=form.position.data or 0,
                    facilitator_ids=list(form.facilitator_ids.data or []),
                    partner_ids=list(form.partner_ids.data or []),
                ),
            )
            db.session.commit()
            flash(_("La maison est enregistrée."), "success")
            return redirect(url_for("fabrique.house", slug=saved.slug))
    return render_template("fabrique/house_form.html", form=form, house=found)


@bp.route("/maisons/nouvelle", methods=["GET", "POST"])
@login_required
def new_house():
    """An admin or a facilitator adds a house to an edition."""
    return _house_form_page(None)


@bp.route("/maisons/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit_house(slug: str):
    """The house's facilitators (or an admin) change its name, texts, colour, people."""
    return _house_form_page(services.load_house(slug))
