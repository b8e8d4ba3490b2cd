"""Pilot projects: the public list and page; promotion, edition, indicators, updates, follow."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import format_currency, gettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideation.core.charts import line_chart
from ideation.core.forms import EmptyForm
from ideation.core.loaders import or_404
from ideation.core.numbers import parse_id
from ideation.core.security import current_actor, require
from ideation.core.storage import StorageError
from ideation.core.time import today
from ideation.core.transitions import refusal_message
from ideation.core.uploads import accepts_upload, body_too_large
from ideation.domain import permissions as rules
from ideation.domain.fabrique import MATURITY_LABELS, Maturity, maturity
from ideation.domain.idea_states import IdeaStatus, TransitionRefused
from ideation.domain.permissions import Scope
from ideation.domain.pilot_states import FINAL, LABELS, PilotStatus, next_choices
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.ideas.services import load_idea
from ideation.photos import services as photo_services
from ideation.photos.forms import read_photo
from ideation.photos.models import PhotoOwner
from ideation.pilots import search, services
from ideation.pilots.forms import (
    FollowForm,
    IndicatorForm,
    LessonsForm,
    PilotForm,
    VolunteerForm,
    update_form_for,
)
from ideation.pilots.models import Pilot

bp = Blueprint("pilots", __name__)

# --- words and numbers for templates --------------------------------------------------


@bp.app_template_global()
def pilot_status_label(status: PilotStatus) -> str:
    return gettext(LABELS[PilotStatus(status)])


@bp.app_template_global()
def euros(amount: Decimal | None) -> str:
    """An amount in euros the way the reader's language writes it (« 1 250,50 € »)."""
    return format_currency(amount or Decimal("0"), "EUR")


@bp.app_template_global()
def pilot_is_late(pilot: Pilot) -> bool:
    return services.is_late(pilot)


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


# --- public pages --------------------------------------------------------------------


@bp.route("/projets-pilotes")
def index():
    """Every pilot as a card, filtered by landlord, status, theme or residence."""
    filters = services.PilotFilters(
        organisation=_int_arg("bailleur"),
        status=request.args.get("statut") or None,
        theme=_int_arg("theme"),
        residence=_int_arg("residence"),
        edition=_int_arg("edition"),
        page=_int_arg("page") or 1,
    )
    rows = services.list_pilots(filters)
    values = services.pilot_filter_values(filters)
    args = {
        k: v
        for k, v in {
            "bailleur": filters.organisation,
            "statut": filters.status,
            "theme": filters.theme,
            "residence": filters.residence,
            "edition": filters.edition,
        }.items()
        if v
    }
    return render_template(
        "pilots/index.html",
        editions=values.editions,
        rows=rows,
        filters=filters,
        landlords=values.landlords,
        residences=values.residences,
        themes=values.houses,
        statuses=values.statuses,
        args=args,
    )


@bp.route("/projets-pilotes/<int:pilot_id>")
def show(pilot_id: int):
    """One pilot: where it comes from, its timeline, progress, indicators and budget."""
    pilot = services.load_pilot(pilot_id)
    actor = current_actor()
    measured = services.indicators(pilot.id)
    updates = services.timeline(pilot.id)
    photo_scope = Scope(organisation_id=pilot.organisation_id)
    charts = {
        ind.id: line_chart([(v.measured_on, v.value) for v in ind.values], ind.baseline, ind.target)
        for ind in measured
    }
    return render_template(
        "pilots/show.html",
        pilot=pilot,
        ideas=services.pilot_ideas(pilot.id),
        updates=updates,
        update_photos=photo_services.photos_of(
            PhotoOwner.PILOT_UPDATE,
            [u.id for u in updates],
            with_hidden=rules.can_moderate(actor, photo_scope),
        ),
        photo_scope=photo_scope,
        indicators=measured,
        charts=charts,
        following=services.is_following(pilot.id, actor.id),
        followers=services.followers_count(pilot.id),
        follow_form=FollowForm() if actor.is_authenticated else None,  # no token for visitors
        late=services.is_late(pilot),
        **volunteering(actor, pilot=pilot),
        adoptions=services.adoptions(pilot.id),
        own_copy=_own_copy(pilot),
    )


def _own_copy(pilot: Pilot) -> int | None:
    """The id of the reader's landlord's copy of this pilot (or of its original), if any."""
    actor = current_actor()
    if not rules.can_adopt_pilot(actor, pilot.organisation_id) or actor.organisation_id is None:
        return None
    return services.copy_in(actor.organisation_id, services.original_of(pilot).id)


@bp.app_template_global()
def maturity_label(value: Maturity | None) -> str:
    return gettext(MATURITY_LABELS[value]) if value else gettext("Arrêté")


# --- the library of innovations ------------------------------------------------------


@bp.route("/innovations")
def library():
    """Every pilot of every landlord, searchable in French, by house, landlord, maturity, edition."""
    q = (request.args.get("q") or "").strip()[:200]
    filters = services.LibraryFilters(
        q=q,
        house=_int_arg("maison"),
        organisation=_int_arg("bailleur"),
        maturity=request.args.get("maturite") or None,
        edition=_int_arg("edition"),
        page=_int_arg("page") or 1,
    )
    rows = services.library(filters, search.matching_ids(search.terms(q)))
    taken_up = services.adoption_counts([p.id for p in rows.items])
    args = {
        k: v
        for k, v in {
            "q": filters.q,
            "maison": filters.house,
            "bailleur": filters.organisation,
            "maturite": filters.maturity,
            "edition": filters.edition,
        }.items()
        if v
    }
    return render_template(
        "pilots/library.html",
        rows=rows,
        filters=filters,
        taken_up=taken_up,
        maturities={p.id: maturity(p.status, taken_up.get(p.id, 0)) for p in rows.items},
        # Only the landlords, houses and editions some pilot holds (one grouped query).
        **_library_choices(filters),
        maturity_choices=list(Maturity),
        args=args,
    )


def _library_choices(filters: services.LibraryFilters) -> dict:
    values = services.pilot_filter_values(
        services.PilotFilters(
            organisation=filters.organisation, theme=filters.house, edition=filters.edition
        )
    )
    return {"landlords": values.landlords, "houses": values.houses, "editions": values.editions}


@bp.route("/projets-pilotes/<int:pilot_id>/fiche")
def sheet(pilot_id: int):
    """The pilot on one printable A4 page, with a title and summary that share well."""
    pilot = services.load_pilot(pilot_id)
    adoptions = services.adoptions(pilot.id)
    return render_template(
        "pilots/sheet.html",
        pilot=pilot,
        adoptions=adoptions,
        maturity=maturity(pilot.status, len(adoptions)),
        indicators=services.indicators(pilot.id),
    )


@bp.route("/projets-pilotes/<int:pilot_id>/reprendre", methods=["POST"])
@login_required
def adopt(pilot_id: int):
    """A landlord manager takes up another landlord's pilot in her organisation."""
    pilot = services.load_pilot(pilot_id)
    actor = current_actor()
    require(rules.can_adopt_pilot(actor, pilot.organisation_id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        copy = services.adopt(pilot, current_user)
    except services.AlreadyAdopted as already:
        db.session.rollback()
        flash(_("Votre organisme a déjà repris ce projet : le voici."), "warning")
        target = already.copy_id or pilot.id
        return redirect(url_for("pilots.show", pilot_id=target))
    db.session.commit()
    flash(
        _(
            "Le projet est repris par votre organisme. Complétez ses résidences, ses dates et "
            "son budget."
        ),
        "success",
    )
    return redirect(url_for("pilots.show", pilot_id=copy.id))


@bp.route("/projets-pilotes/<int:pilot_id>/enseignements", methods=["GET", "POST"])
@login_required
def lessons(pilot_id: int):
    """At evaluation, the landlord writes what was learnt, what it cost, what made it work."""
    pilot = services.load_pilot(pilot_id)
    require(rules.can_write_lessons(current_actor(), pilot.organisation_id, pilot.status))
    form = LessonsForm()
    if not form.is_submitted():
        form.lessons.data = pilot.lessons_source
        form.costs.data = pilot.costs_source
        form.conditions.data = pilot.conditions_source
    if form.validate_on_submit():
        services.write_lessons(
            pilot,
            services.LessonsData(
                lessons=_text(form.lessons.data),
                costs=_text(form.costs.data),
                conditions=_text(form.conditions.data),
            ),
        )
        db.session.commit()
        flash(_("Merci : ce que vous avez appris aidera les autres bailleurs."), "success")
        return redirect(url_for("pilots.show", pilot_id=pilot.id, _anchor="appris"))
    return render_template("pilots/lessons_form.html", pilot=pilot, form=form)


# --- promotion and edition -----------------------------------------------------------


def _organisation_choices(idea: Idea) -> list:
    """The landlords the pilot may be given to: the challenge's own, or (regional challenge)
    every landlord the facilitator may promote for."""
    actor = current_actor()
    orgs = services.landlords()
    if idea.challenge.organisation_id is not None:
        orgs = [o for o in orgs if o.id == idea.challenge.organisation_id]
    return [
        o for o in orgs if rules.can_promote_idea(actor, idea.status, idea.challenge.scope, o.id)
    ]


def _prepare(form: PilotForm, organisation_ids: list[int]) -> None:
    residences = services.residences_of(organisation_ids)
    several = len(organisation_ids) > 1
    form.residence_ids.choices = [
        (r.id, f"{r.label} — {r.organisation.name}" if several else r.label) for r in residences
    ]
    form.owner_id.choices = [(0, _("— À désigner plus tard —"))] + [
        (
            u.id,
            f"{u.display_name} — {u.organisation.name}"
            if several and u.organisation
            else u.display_name,
        )
        for u in services.possible_owners(organisation_ids)
    ]
    form.partner_ids.choices = [(o.id, o.name) for o in services.partners()]


def _data(form: PilotForm, organisation_id: int) -> services.PilotData:
    return services.PilotData(
        title=form.title.data,
        description=(form.description.data or "").replace("\r\n", "\n").strip(),
        organisation_id=organisation_id,
        residence_ids=sorted(set(form.residence_ids.data or [])),
        owner_id=form.owner_id.data or None,
        planned_start=form.planned_start.data,
        planned_end=form.planned_end.data,
        budget_planned=form.budget_planned.data,
        budget_spent=form.budget_spent.data,
        partner_ids=sorted(set(form.partner_ids.data or [])),
    )


def _field_for(error: TransitionRefused) -> str | None:
    """Put a domain refusal next to the field it is about."""
    text = error.message
    if "résidences" in text:
        return "residence_ids"
    if "responsable" in text:
        return "owner_id"
    if "fin prévue" in text:
        return "planned_end"
    if "montant" in text.lower():
        return "budget_planned"
    if "partenaires" in text:
        return "partner_ids"
    return None


def _show_refusal(form, error: TransitionRefused) -> None:  # type: ignore[no-untyped-def]
    name = _field_for(error)
    if name and hasattr(form, name):
        getattr(form, name).errors = [*getattr(form, name).errors, refusal_message(error)]
    else:
        form.form_errors.append(refusal_message(error))


@bp.route("/idees/<int:idea_id>/projet-pilote", methods=["GET", "POST"])
@login_required
def promote(idea_id: int):
    """A facilitator turns a selected idea into a pilot run by a landlord."""
    idea = load_idea(idea_id)
    actor = current_actor()
    require(rules.can_promote_idea(actor, idea.status, idea.challenge.scope))
    organisations = _organisation_choices(idea)
    require(bool(organisations))
    form = PilotForm()
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    _prepare(form, [o.id for o in organisations])
    grouped = services.groupable_ideas(idea)
    form.grouped_ids.choices = [(i.id, i.title) for i in grouped]
    if not form.is_submitted():
        form.title.data = idea.title
        form.description.data = idea.summary
        form.budget_planned.data = Decimal("0")
        form.budget_spent.data = Decimal("0")
        form.organisation_id.data = organisations[0].id
    if form.validate_on_submit():
        org_ids = {o.id for o in organisations}
        chosen = set(form.grouped_ids.data or [])
        if form.organisation_id.data not in org_ids:
            form.organisation_id.errors = [_("Choisissez dans la liste.")]
        elif chosen - {i.id for i in grouped}:
            form.grouped_ids.errors = [_("Choisissez dans la liste.")]
        else:
            try:
                pilot = services.promote(
                    idea,
                    current_user,
                    _data(form, form.organisation_id.data),
                    [i for i in grouped if i.id in chosen],
                )
            except TransitionRefused as refused:
                db.session.rollback()
                _show_refusal(form, refused)
            else:
                db.session.commit()
                flash(
                    _(
                        "Le projet pilote est créé. Les personnes qui ont proposé, soutenu ou classé "
                        "l'idée le suivent."
                    ),
                    "success",
                )
                return redirect(url_for("pilots.show", pilot_id=pilot.id))
    return render_template(
        "pilots/form.html", form=form, idea=idea, pilot=None, several=len(organisations) > 1
    )


@bp.route("/projets-pilotes/<int:pilot_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(pilot_id: int):
    """The landlord changes the pilot's description, residences, owner, dates and budget."""
    pilot = services.load_pilot(pilot_id)
    require(rules.can_edit_pilot(current_actor(), pilot.organisation_id))
    form = PilotForm(obj=pilot)
    del form.organisation_id  # a pilot stays with its landlord: no field, nothing to assign
    del form.grouped_ids
    _prepare(form, [pilot.organisation_id])
    if not form.is_submitted():
        form.description.data = pilot.description_source
        form.residence_ids.data = [r.id for r in pilot.residences]
        form.owner_id.data = pilot.owner_id or 0
        form.partner_ids.data = [o.id for o in pilot.partners]
    if form.validate_on_submit():
        try:
            services.update_pilot(pilot, _data(form, pilot.organisation_id))
        except TransitionRefused as refused:
            db.session.rollback()
            _show_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("Modifications enregistrées."), "success")
            return redirect(url_for("pilots.show", pilot_id=pilot.id))
    return render_template("pilots/form.html", form=form, idea=None, pilot=pilot, several=False)


@bp.route("/projets-pilotes/<int:pilot_id>/indicateurs", methods=["GET", "POST"])
@login_required
def indicators(pilot_id: int):
    """The landlord lists the pilot's indicators and adds one (name, unit, baseline, target)."""
    pilot = services.load_pilot(pilot_id)
    require(rules.can_edit_pilot(current_actor(), pilot.organisation_id))
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            services.add_indicator(
                pilot, form.name.data, form.unit.data or "", form.baseline.data, form.target.data
            )
        except TransitionRefused as refused:
            db.session.rollback()
            form.name.errors = [*form.name.errors, refusal_message(refused)]
        else:
            db.session.commit()
            flash(
                _("Indicateur ajouté. Vous pourrez noter ses valeurs à chaque point d'étape."),
                "success",
            )
            return redirect(url_for("pilots.indicators", pilot_id=pilot.id))
    return render_template(
        "pilots/indicators.html", pilot=pilot, form=form, indicators=services.indicators(pilot.id)
    )


@bp.route("/projets-pilotes/<int:pilot_id>/point-d-etape", methods=["GET", "POST"])
@login_required
@accepts_upload
def new_update(pilot_id: int):
    """The landlord's people post a dated update, maybe with a photo; followers are told."""
    pilot = services.load_pilot(pilot_id)
    require(rules.can_post_pilot_update(current_actor(), pilot.organisation_id, pilot.owner_id))
    measured = services.indicators(pilot.id)
    form = update_form_for(measured)
    form.new_status.choices = [("", _("— Pas de changement —"))] + [
        (s.value, pilot_status_label(s)) for s in next_choices(pilot.status)
    ]
    status = 200
    if not form.is_submitted():
        form.happened_on.data = today()
    else:
        valid = form.validate()
        photo_fine, upload = read_photo(form)
        chosen = form.new_status.data or None
        # Any known status goes to the machine, which explains a refused move in words.
        if valid and chosen is not None and chosen not in {s.value for s in PilotStatus}:
            form.new_status.errors = [_("Choisissez dans la liste.")]
        elif valid and photo_fine:
            values = {
                ind.id: getattr(form, f"indicator_{ind.id}").data
                for ind in measured
                if getattr(form, f"indicator_{ind.id}").data is not None
            }
            data = services.UpdateData(
                happened_on=form.happened_on.data,
                body=form.body.data.replace("\r\n", "\n").strip(),
                new_status=PilotStatus(chosen) if chosen else None,
                reason=form.reason.data,
                new_progress=form.new_progress.data,
                values=values,
            )
            try:
                update = services.post_update(pilot, current_user, data)
                if upload is not None:
                    photo_services.attach(
                        PhotoOwner.PILOT_UPDATE,
                        update.id,
                        current_user,
                        upload.prepared,
                        upload.alt_text,
                    )
            except TransitionRefused as refused:
                db.session.rollback()
                target = form.reason if "raison" in refused.message else form.new_status
                target.errors = [*target.errors, refusal_message(refused)]
            except StorageError as error:
                db.session.rollback()
                form.photo.errors = [*form.photo.errors, photo_services.storage_message(error)]
                status = 507
            else:
                db.session.commit()
                flash(
                    _("Point d'étape publié. Les personnes qui suivent le projet sont prévenues."),
                    "success",
                )
                return redirect(
                    url_for("pilots.show", pilot_id=pilot.id, _anchor=f"etape-{update.id}")
                )
    if body_too_large():
        status = 413
    return render_template(
        "pilots/update_form.html",
        pilot=pilot,
        form=form,
        indicators=measured,
        final=pilot.status in FINAL,
    ), status


@bp.route("/projets-pilotes/<int:pilot_id>/suivre", methods=["POST"])
@login_required
def follow(pilot_id: int):
    """Follow a pilot (be told of each update) or stop following it."""
    pilot = or_404(db.session.get(Pilot, pilot_id))
    require(rules.can_follow_pilot(current_actor()))
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    on = form.action.data == "follow"
    services.set_following(pilot, current_user.id, on)
    db.session.commit()
    if on:
        flash(_("Vous suivez ce projet : vous serez prévenu·e de chaque point d'étape."), "success")
    else:
        flash(_("Vous ne suivez plus ce projet."), "success")
    return redirect(url_for("pilots.show", pilot_id=pilot.id))


# --- volunteering ("Je veux aider", issue 12) ---------------------------------------------


def volunteering(actor: rules.Actor, *, idea: Idea | None = None, pilot: Pilot | None = None):  # type: ignore[no-untyped-def]
    """What an idea or pilot page shows of the offers of help: the public count, the
    reader's own offer and the form, and the list for those the rule lets see it."""
    scope: rules.Scope | None
    if idea is not None:
        key = {"idea_id": idea.id}
        pilot_of = services.pilot_of_idea(idea.id) if idea.status == IdeaStatus.PILOTED else None
        scope = idea.challenge.scope
        may_offer = rules.can_volunteer_on_idea(
            actor, idea.challenge.current_phase(), idea.status, scope, hidden=idea.is_hidden
        )
        org_id, owner_id = (
            (pilot_of.organisation_id, pilot_of.owner_id) if pilot_of else (None, None)
        )
    else:
        assert pilot is not None
        key = {"pilot_id": pilot.id}
        scope = pilot.challenge.scope if pilot.challenge else None
        may_offer = rules.can_volunteer_on_pilot(actor, services.pilot_is_open(pilot))
        org_id, owner_id = pilot.organisation_id, pilot.owner_id
    sees = rules.can_see_volunteers(actor, org_id, owner_id, scope)
    mine = services.my_offer(actor.id, **key)
    form = None
    if may_offer and mine is None:
        form = VolunteerForm()
        # A refused offer comes back here after its redirect: what was typed, and why not.
        draft = session.get(_DRAFT_KEY)
        if draft and draft.get("target") == _draft_target(key):
            session.pop(_DRAFT_KEY)
            form.what.data = draft.get("what", "")
            form.what.errors = list(draft.get("errors", []))
    return {
        "offers_count": services.offers_count(**key),
        "my_offer": mine,
        "may_offer": may_offer,
        "volunteer_form": form,
        "withdraw_form": EmptyForm() if mine is not None else None,
        "volunteers": services.offers(**key) if sees else None,
    }


_DRAFT_KEY = "volunteer_draft"


def _draft_target(key: dict[str, int]) -> str:
    ((kind, target_id),) = key.items()
    return f"{kind}:{target_id}"


def _offer(back: str, allowed: bool, **key: int):  # type: ignore[no-untyped-def]
    require(allowed)
    form = VolunteerForm()
    if not form.validate_on_submit():
        if not form.what.errors:
            abort(400)  # not the offer's fault: an expired or missing token
        # The page shows the form again with the text kept and the error on the field.
        session[_DRAFT_KEY] = {
            "target": _draft_target(key),
            "what": (form.what.data or "")[:5000],
            "errors": [str(e) for e in form.what.errors],
        }
        flash(
            _("Votre proposition d'aide n'est pas encore enregistrée : voyez ci-dessous."), "error"
        )
        return redirect(back)
    what = " ".join((form.what.data or "").split())
    if services.offer_help(current_user.id, what, **key):
        flash(
            _(
                "Merci ! Votre proposition d'aide est enregistrée. L'équipe du projet peut vous contacter."
            ),
            "success",
        )
    else:
        flash(_("Vous avez déjà proposé votre aide ici."), "success")
    db.session.commit()
    return redirect(back)


def _withdraw(back: str, **key: int):  # type: ignore[no-untyped-def]
    if not EmptyForm().validate_on_submit():
        abort(400)
    if services.withdraw_offer(current_user.id, **key):
        flash(_("Votre proposition d'aide est retirée."), "success")
    db.session.commit()
    return redirect(back)


@bp.route("/idees/<int:idea_id>/aider", methods=["POST"])
@login_required
def volunteer_idea(idea_id: int):
    """« Je veux aider » on an idea: a short offer, seen by the people who run it."""
    idea = load_idea(idea_id)
    allowed = rules.can_volunteer_on_idea(
        current_actor(),
        idea.challenge.current_phase(),
        idea.status,
        idea.challenge.scope,
        hidden=idea.is_hidden,
    )
    back = url_for("ideas.show", idea_id=idea.id, _anchor="aider")
    return _offer(back, allowed, idea_id=idea.id)


@bp.route("/idees/<int:idea_id>/aider/retirer", methods=["POST"])
@login_required
def withdraw_idea_offer(idea_id: int):
    """Take back one's offer of help on an idea, in one tap."""
    idea = load_idea(idea_id)
    return _withdraw(url_for("ideas.show", idea_id=idea.id, _anchor="aider"), idea_id=idea.id)


@bp.route("/projets-pilotes/<int:pilot_id>/aider", methods=["POST"])
@login_required
def volunteer_pilot(pilot_id: int):
    """« Je veux aider » on a pilot: a short offer; the volunteer follows the pilot."""
    pilot = services.load_pilot(pilot_id)
    allowed = rules.can_volunteer_on_pilot(current_actor(), services.pilot_is_open(pilot))
    back = url_for("pilots.show", pilot_id=pilot.id, _anchor="aider")
    return _offer(back, allowed, pilot_id=pilot.id)


@bp.route("/projets-pilotes/<int:pilot_id>/aider/retirer", methods=["POST"])
@login_required
def withdraw_pilot_offer(pilot_id: int):
    """Take back one's offer of help on a pilot, in one tap."""
    pilot = services.load_pilot(pilot_id)
    return _withdraw(url_for("pilots.show", pilot_id=pilot.id, _anchor="aider"), pilot_id=pilot.id)
