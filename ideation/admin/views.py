"""Administration: organisations, residences, users and roles, invitation codes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ideation.admin import bp
from ideation.admin.forms import (
    KIND_LABELS,
    ROLE_LABELS,
    InvitationForm,
    OrganisationForm,
    ResidenceForm,
    UserAdminForm,
)
from ideation.auth.forms import EmptyForm
from ideation.auth.models import User
from ideation.core.numbers import parse_id, parse_page
from ideation.domain import permissions as rules
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from ideation.moderation.audit import audit
from ideation.orgs.models import Invitation, Organisation, Residence
from ideation.orgs.services import create_invitation
from ideation.privacy.forms import AdminEraseForm
from ideation.privacy.services import erase_account, is_erased
from ideation.security import current_actor, require

PER_PAGE = 20


@bp.before_request
@login_required
def _admin_area_only():
    require(rules.can_open_admin_area(current_actor()))


def _page() -> int:
    return parse_page(request.args.get("page"))


@bp.route("/")
def index():
    """The administration home: what this account may manage."""
    return render_template("admin/index.html")


# --- organisations -----------------------------------------------------------------


@bp.route("/organisations")
def organisations():
    """List organisations with their number of residences and accounts."""
    require(rules.can_administer(current_actor()))
    rows = db.paginate(
        select(Organisation).order_by(Organisation.name), page=_page(), per_page=PER_PAGE
    )
    ids = [o.id for o in rows.items]
    # Two grouped counts for the whole page, not two queries per organisation.
    n_residences = dict(
        db.session.execute(
            select(Residence.organisation_id, func.count())
            .where(Residence.organisation_id.in_(ids))
            .group_by(Residence.organisation_id)
        ).all()
    )
    n_users = dict(
        db.session.execute(
            select(User.organisation_id, func.count())
            .where(User.organisation_id.in_(ids))
            .group_by(User.organisation_id)
        ).all()
    )
    return render_template(
        "admin/organisations.html",
        rows=rows,
        n_residences=n_residences,
        n_users=n_users,
        kinds=KIND_LABELS,
    )


@bp.route("/organisations/nouvelle", methods=["GET", "POST"])
@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
def organisation_form(org_id: int | None = None):
    """Create or edit an organisation."""
    require(rules.can_administer(current_actor()))
    org = db.get_or_404(Organisation, org_id) if org_id else None
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        clash = db.session.scalar(
            select(Organisation).where(
                Organisation.slug == form.slug.data, Organisation.id != (org_id or 0)
            )
        )
        if clash:
            form.slug.errors.append(_("Cet identifiant est déjà pris."))
        else:
            created = org is None
            if org is None:
                org = Organisation()
                db.session.add(org)
            org.name = form.name.data
            org.slug = form.slug.data
            org.kind = OrganisationKind(form.kind.data)
            audit(
                current_user,
                "organisation.create" if created else "organisation.update",
                org,
                details={"slug": org.slug, "kind": org.kind.value},
            )
            db.session.commit()
            flash(_("Organisation enregistrée."), "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, org=org)


# --- residences --------------------------------------------------------------------


def _organisation_choices() -> list[tuple[int, str]]:
    return [
        (o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
    ]


@bp.route("/residences")
def residences():
    """List residences, filtered by organisation."""
    require(rules.can_administer(current_actor()))
    query = (
        select(Residence)
        .options(joinedload(Residence.organisation))
        .order_by(Residence.city, Residence.name)
    )
    org_id = parse_id(request.args.get("organisation"))
    if org_id:
        query = query.where(Residence.organisation_id == org_id)
    rows = db.paginate(query, page=_page(), per_page=PER_PAGE)
    return render_template(
        "admin/residences.html", rows=rows, organisations=_organisation_choices(), org_id=org_id
    )


@bp.route("/residences/nouvelle", methods=["GET", "POST"])
@bp.route("/residences/<int:residence_id>", methods=["GET", "POST"])
def residence_form(residence_id: int | None = None):
    """Create or edit a residence."""
    require(rules.can_administer(current_actor()))
    residence = db.get_or_404(Residence, residence_id) if residence_id else None
    form = ResidenceForm(obj=residence)
    form.organisation_id.choices = _organisation_choices()
    if form.validate_on_submit():
        created = residence is None
        if residence is None:
            residence = Residence()
            db.session.add(residence)
        residence.organisation_id = form.organisation_id.data
        residence.name = form.name.data
        residence.city = form.city.data
        residence.quartier = form.quartier.data or None
        audit(
            current_user,
            "residence.create" if created else "residence.update",
            residence,
            details={"city": residence.city},
        )
        db.session.commit()
        flash(_("Résidence enregistrée."), "success")
        return redirect(url_for("admin.residences"))
    return render_template("admin/residence_form.html", form=form, residence=residence)


# --- users -------------------------------------------------------------------------


@bp.route("/utilisateurs")
def users():
    """Search accounts by name or e-mail, filter by role and organisation."""
    require(rules.can_administer(current_actor()))
    query = (
        select(User)
        .options(joinedload(User.organisation))
        .order_by(User.created_at.desc(), User.id.desc())
    )
    q = (request.args.get("q") or "").strip()[:100]
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.display_name).like(like), User.email.like(like)))
    role = request.args.get("role")
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    org_id = parse_id(request.args.get("organisation"))
    if org_id:
        query = query.where(User.organisation_id == org_id)
    rows = db.paginate(query, page=_page(), per_page=PER_PAGE)
    return render_template(
        "admin/users.html",
        rows=rows,
        q=q,
        role=role,
        org_id=org_id,
        roles=ROLE_LABELS,
        organisations=_organisation_choices(),
    )


@bp.route("/utilisateurs/<int:user_id>", methods=["GET", "POST"])
def user_form(user_id: int):
    """Change an account's role, organisation or active flag."""
    require(rules.can_administer(current_actor()))
    user = db.get_or_404(User, user_id)
    form = UserAdminForm(obj=user)
    form.organisation_id.choices = _organisation_choices()
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != Role.ADMIN or not form.active.data):
            form.role.errors.append(
                _("Vous ne pouvez pas retirer vos propres droits d'administration.")
            )
        else:
            was_active = user.active
            before = {
                "role": user.role.value,
                "organisation_id": user.organisation_id,
                "active": user.active,
            }
            user.role = Role(form.role.data)
            user.organisation_id = form.organisation_id.data
            user.active = form.active.data
            if was_active and not user.active:
                user.rotate_session_token()  # a deactivated account is signed out everywhere
            after = {
                "role": user.role.value,
                "organisation_id": user.organisation_id,
                "active": user.active,
            }
            changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
            if changes:
                audit(current_user, "user.update", user, details=changes)
            db.session.commit()
            flash(_("Compte mis à jour."), "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        roles=ROLE_LABELS,
        erase_form=AdminEraseForm(prefix="erase"),
        erased=is_erased(user),
    )


@bp.route("/utilisateurs/<int:user_id>/supprimer", methods=["POST"])
def user_erase(user_id: int):
    """Erase an account at its owner's request (RGPD): personal data blanked, content kept."""
    require(rules.can_administer(current_actor()))
    user = db.get_or_404(User, user_id)
    erase_form = AdminEraseForm(prefix="erase")
    if erase_form.validate_on_submit():
        if user.id == current_user.id:
            erase_form.form_errors.append(
                _("Pour supprimer votre propre compte, passez par « Mes données ».")
            )
        elif is_erased(user):
            erase_form.form_errors.append(_("Ce compte est déjà supprimé."))
        else:
            erase_account(
                user, actor=current_user._get_current_object(), reason=erase_form.reason.data
            )
            db.session.commit()
            flash(_("Compte supprimé : ses données personnelles sont effacées."), "success")
            return redirect(url_for("admin.users"))
    form = UserAdminForm(formdata=None, obj=user)  # this POST carries only the erase form
    form.organisation_id.choices = _organisation_choices()
    form.role.data = user.role.value
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        roles=ROLE_LABELS,
        erase_form=erase_form,
        erased=is_erased(user),
    )


# --- invitations -------------------------------------------------------------------


@bp.route("/invitations")
def invitations():
    """Invitation codes of the organisations this account manages."""
    actor = current_actor()
    query = (
        select(Invitation)
        .options(joinedload(Invitation.organisation), joinedload(Invitation.residence))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    if not rules.is_admin(actor):
        query = query.where(Invitation.organisation_id == actor.organisation_id)
    rows = db.paginate(query, page=_page(), per_page=PER_PAGE)
    return render_template("admin/invitations.html", rows=rows, roles=ROLE_LABELS, form=EmptyForm())


@bp.route("/invitations/nouvelle", methods=["GET", "POST"])
def invitation_form():
    """Create an invitation code for one's own organisation (admins: any)."""
    actor = current_actor()
    form = InvitationForm()
    if rules.is_admin(actor):
        form.organisation_id.choices = _organisation_choices()
    else:
        org = db.session.get(Organisation, actor.organisation_id)
        form.organisation_id.choices = [(org.id, org.name)] if org else []
    residences = db.session.scalars(
        select(Residence)
        .where(Residence.organisation_id.in_([c[0] for c in form.organisation_id.choices]))
        .order_by(Residence.name)
    ).all()
    form.residence_id.choices = [(0, _("— Toutes —"))] + [(r.id, r.label) for r in residences]
    form.role.choices = [
        (r.value, ROLE_LABELS[r]) for r in Role if r in rules.grantable_roles(actor)
    ]
    if form.validate_on_submit():
        require(rules.can_manage_invitations(actor, form.organisation_id.data))
        residence_id = form.residence_id.data or None
        if residence_id and not any(
            r.id == residence_id and r.organisation_id == form.organisation_id.data
            for r in residences
        ):
            form.residence_id.errors.append(
                _("Cette résidence n'appartient pas à l'organisation choisie.")
            )
        else:
            invitation = create_invitation(
                organisation_id=form.organisation_id.data,
                residence_id=residence_id,
                role=Role(form.role.data),
                days_valid=form.days_valid.data,
                max_uses=form.max_uses.data,
                created_by_id=actor.id,
            )
            audit(
                current_user,
                "invitation.create",
                invitation,
                details={"role": invitation.role.value, "max_uses": invitation.max_uses},
            )
            db.session.commit()
            flash(_("Code créé : %(code)s", code=invitation.code), "success")
            return redirect(url_for("admin.invitations"))
    return render_template("admin/invitation_form.html", form=form)


@bp.route("/invitations/<int:invitation_id>/desactiver", methods=["POST"])
def invitation_deactivate(invitation_id: int):
    """Stop a code from being used (a flyer was lost or the campaign is over)."""
    invitation = db.get_or_404(Invitation, invitation_id)
    require(rules.can_manage_invitations(current_actor(), invitation.organisation_id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    invitation.active = False
    audit(current_user, "invitation.deactivate", invitation)
    db.session.commit()
    flash(_("Code désactivé."), "success")
    return redirect(url_for("admin.invitations"))
