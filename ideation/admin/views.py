"""Administration: organisations, residences, users and roles, invitation codes.

The views parse the form, check the rule, call `ideation.admin.services` and commit.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ideation.admin import services
from ideation.admin.forms import (
    KIND_LABELS,
    ROLE_LABELS,
    InvitationForm,
    OrganisationForm,
    ResidenceForm,
    UserAdminForm,
)
from ideation.auth.models import User
from ideation.core.forms import EmptyForm
from ideation.core.numbers import parse_id, parse_page
from ideation.core.security import current_actor, require
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import N_
from ideation.domain.codes import normalise_readable_code, readable_code_problem
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from ideation.orgs.models import Invitation, Organisation, Residence
from ideation.privacy.forms import AdminEraseForm
from ideation.privacy.services import erase_account, is_erased

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def _admin_area_only():
    require(rules.can_open_admin_area(current_actor()))


def _page() -> int:
    return parse_page(request.args.get("page"))


def _me() -> User:
    # The audit journal stores the real account, not Flask-Login's proxy.
    return current_user._get_current_object()


@bp.route("/")
def index():
    """The administration home: what this account may manage."""
    return render_template("admin/index.html")


# --- organisations -----------------------------------------------------------------


@bp.route("/organisations")
def organisations():
    """List organisations with their number of residences and accounts."""
    require(rules.can_administer(current_actor()))
    listing = services.list_organisations(_page())
    return render_template(
        "admin/organisations.html",
        rows=listing.rows,
        n_residences=listing.n_residences,
        n_users=listing.n_users,
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
        refusal = services.organisation_change_refusal(org, OrganisationKind(form.kind.data))
        if services.slug_taken(form.slug.data, except_id=org_id):
            form.slug.errors.append(_("Cet identifiant est déjà pris."))
        elif refusal:
            form.kind.errors.append(_(refusal))
        else:
            services.save_organisation(
                org,
                name=form.name.data,
                slug=form.slug.data,
                kind=OrganisationKind(form.kind.data),
                partner_label=form.partner_label.data,
                actor=_me(),
            )
            db.session.commit()
            flash(_("Organisation enregistrée."), "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, org=org)


# --- residences --------------------------------------------------------------------


@bp.route("/residences")
def residences():
    """List residences, filtered by organisation."""
    require(rules.can_administer(current_actor()))
    org_id = parse_id(request.args.get("organisation"))
    return render_template(
        "admin/residences.html",
        rows=services.list_residences(_page(), org_id),
        organisations=services.organisation_choices(),
        org_id=org_id,
    )


@bp.route("/residences/nouvelle", methods=["GET", "POST"])
@bp.route("/residences/<int:residence_id>", methods=["GET", "POST"])
def residence_form(residence_id: int | None = None):
    """Create or edit a residence."""
    require(rules.can_administer(current_actor()))
    residence = db.get_or_404(Residence, residence_id) if residence_id else None
    form = ResidenceForm(obj=residence)
    form.organisation_id.choices = services.landlord_choices()
    if form.validate_on_submit():
        if form.organisation_id.data not in {c[0] for c in form.organisation_id.choices}:
            form.organisation_id.errors.append(
                _(
                    "Une résidence appartient toujours à un bailleur : choisissez un bailleur, "
                    "pas un partenaire ni l'association régionale."
                )
            )
            return render_template("admin/residence_form.html", form=form, residence=residence)
        services.save_residence(
            residence,
            organisation_id=form.organisation_id.data,
            name=form.name.data,
            city=form.city.data,
            quartier=form.quartier.data,
            dwellings=form.dwellings.data,
            actor=_me(),
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
    q = (request.args.get("q") or "").strip()[:100]
    role = request.args.get("role")
    org_id = parse_id(request.args.get("organisation"))
    rows = services.search_users(
        _page(),
        q=q,
        role=Role(role) if role in {r.value for r in Role} else None,
        organisation_id=org_id,
    )
    return render_template(
        "admin/users.html",
        rows=rows,
        q=q,
        role=role,
        org_id=org_id,
        roles=ROLE_LABELS,
        organisations=services.organisation_choices(),
    )


def _user_page(user: User, form: UserAdminForm, erase_form: AdminEraseForm):  # type: ignore[no-untyped-def]
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        roles=ROLE_LABELS,
        erase_form=erase_form,
        erased=is_erased(user),
    )


@bp.route("/utilisateurs/<int:user_id>", methods=["GET", "POST"])
def user_form(user_id: int):
    """Change an account's role, organisation or active flag."""
    require(rules.can_administer(current_actor()))
    user = db.get_or_404(User, user_id)
    form = UserAdminForm(obj=user)
    form.organisation_id.choices = services.organisation_choices()
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != Role.ADMIN or not form.active.data):
            form.role.errors.append(
                _("Vous ne pouvez pas retirer vos propres droits d'administration.")
            )
        elif not rules.role_fits_organisation(
            Role(form.role.data), services.is_partner(form.organisation_id.data)
        ):
            form.role.errors.append(
                _(
                    "Dans un partenaire, un compte est locataire ou salarié·e : "
                    "il ne peut ni animer, ni gérer, ni administrer."
                )
            )
        else:
            services.update_user(
                user,
                role=Role(form.role.data),
                organisation_id=form.organisation_id.data,
                active=form.active.data,
                actor=_me(),
            )
            db.session.commit()
            flash(_("Compte mis à jour."), "success")
            return redirect(url_for("admin.users"))
    return _user_page(user, form, AdminEraseForm(prefix="erase"))


@bp.route("/utilisateurs/<int:user_id>/supprimer", methods=["POST"])
def user_erase(user_id: int):
    """Erase an account at its owner's request (RGPD): personal data blanked, content kept."""
    require(rules.can_administer(current_actor()))
    user = db.get_or_404(User, user_id)
    erase_form = AdminEraseForm(prefix="erase")
    if erase_form.validate_on_submit():
        if user.id == current_user.id:
            erase_form.form_errors.append(
                _("Pour supprimer votre propre compte, passez par « Mes données ».")
            )
        elif is_erased(user):
            erase_form.form_errors.append(_("Ce compte est déjà supprimé."))
        else:
            erase_account(user, actor=_me(), reason=erase_form.reason.data)
            db.session.commit()
            flash(_("Compte supprimé : ses données personnelles sont effacées."), "success")
            return redirect(url_for("admin.users"))
    form = UserAdminForm(formdata=None, obj=user)  # this POST carries only the erase form
    form.organisation_id.choices = services.organisation_choices()
    form.role.data = user.role.value
    return _user_page(user, form, erase_form)


# --- invitations -------------------------------------------------------------------


@bp.route("/invitations")
def invitations():
    """Invitation codes of the organisations this account manages."""
    rows = services.list_invitations(current_actor(), _page())
    return render_template("admin/invitations.html", rows=rows, roles=ROLE_LABELS, form=EmptyForm())


@bp.route("/invitations/nouvelle", methods=["GET", "POST"])
def invitation_form():
    """Create an invitation code for one's own organisation (admins: any)."""
    actor = current_actor()
    form = InvitationForm()
    if not rules.can_choose_invitation_code(actor):
        del form.code  # declared fields only: a posted code is not read for others
    form.organisation_id.choices = services.invitation_organisation_choices(actor)
    residences = services.residences_of([c[0] for c in form.organisation_id.choices])
    form.residence_id.choices = [(0, _("— Toutes —"))] + [(r.id, r.label) for r in residences]
    form.role.choices = [
        (r.value, ROLE_LABELS[r]) for r in Role if r in rules.grantable_roles(actor)
    ]
    if form.validate_on_submit():
        partner = services.is_partner(form.organisation_id.data)
        require(rules.can_manage_invitations(actor, form.organisation_id.data, partner=partner))
        residence_id = form.residence_id.data or None
        if partner and Role(form.role.data) not in rules.grantable_roles(actor, partner=True):
            form.role.errors.append(
                _("Un code pour un partenaire inscrit des locataires ou des salarié·es.")
            )
        elif residence_id and not any(
            r.id == residence_id and r.organisation_id == form.organisation_id.data
            for r in residences
        ):
            form.residence_id.errors.append(
                _("Cette résidence n'appartient pas à l'organisation choisie.")
            )
        elif (chosen := _chosen_code(form)) is None:
            pass
        else:
            try:
                invitation = services.invite(
                    organisation_id=form.organisation_id.data,
                    residence_id=residence_id,
                    role=Role(form.role.data),
                    days_valid=form.days_valid.data,
                    max_uses=form.max_uses.data,
                    actor=_me(),
                    code=chosen or None,
                )
                db.session.commit()
            except IntegrityError:  # the same code chosen at the same moment elsewhere
                db.session.rollback()
                form.code.errors.append(_("Ce code existe déjà : choisissez-en un autre."))
            else:
                flash(_("Code créé : %(code)s", code=invitation.code), "success")
                return redirect(url_for("admin.invitations"))
    return render_template("admin/invitation_form.html", form=form)


def _chosen_code(form: InvitationForm) -> str | None:
    """The code an admin typed, checked ("" when none: one is drawn); None when refused
    (the error is on the field)."""
    if "code" not in form or not form.code.data:
        return ""
    code = normalise_readable_code(form.code.data)
    problem = readable_code_problem(code)
    if problem is None and services.invitation_code_taken(code):
        problem = N_("Ce code existe déjà : choisissez-en un autre.")
    if problem is not None:
        form.code.errors.append(_(problem))
        return None
    return code


@bp.route("/invitations/<int:invitation_id>/desactiver", methods=["POST"])
def invitation_deactivate(invitation_id: int):
    """Stop a code from being used (a flyer was lost or the campaign is over)."""
    invitation = db.get_or_404(Invitation, invitation_id)
    require(rules.can_manage_invitations(current_actor(), invitation.organisation_id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.deactivate_invitation(invitation, _me())
    db.session.commit()
    flash(_("Code désactivé."), "success")
    return redirect(url_for("admin.invitations"))
