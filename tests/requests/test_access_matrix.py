"""Deny by default: every route of the app is in this role × route matrix.

A new route that is not listed here fails `test_every_route_is_in_the_matrix`, so no
view can escape a permission review. Each cell is the status a GET answers for that
role (302 for a visitor means "sent to the login page"). POST-only routes are listed
in POST_ONLY with who may post; their behaviour is tested in the area's own tests,
and tests/requests/test_security.py checks every POST route refuses a missing CSRF token.
"""

from __future__ import annotations

import pytest

from ideation.domain.codes import short_code
from tests.matrix_world import user_for

# "partner": a staff member of a partner organisation (issue 12) — a participant who
# carries the partner's badge, with no moderation, pilot or dashboard power.
ROLES = ["visitor", "tenant", "staff", "facilitator", "bailleur", "admin", "partner"]


def everyone(status: int = 200) -> dict[str, int]:
    return {role: status for role in ROLES}


def only(*allowed: str, ok: int = 200) -> dict[str, int]:
    """Allowed roles get `ok`; visitors are sent to log in; everyone else gets 403."""
    cells = {role: (ok if role in allowed else 403) for role in ROLES}
    if "visitor" not in allowed:
        cells["visitor"] = 302
    return cells


def logged_in(ok: int = 200) -> dict[str, int]:
    return only(*ROLES[1:], ok=ok)


def in_scope() -> dict[str, int]:
    """Taking part in the landlord's own challenge: a partner's member is not in its scope
    (partners take part in regional challenges, and help anywhere: « Je veux aider »)."""
    cells = logged_in()
    cells["partner"] = 403
    return cells


def anonymous_only() -> dict[str, int]:
    """Pages for visitors (login, register): a logged-in user is sent home."""
    cells = {role: 302 for role in ROLES}
    cells["visitor"] = 200
    return cells


ADMIN_AREA = ("facilitator", "bailleur", "admin")

# Redirects that are not "log in first": a visitor's 302 goes elsewhere.
PUBLIC_REDIRECTS = {
    "auth.login",
    "auth.register",
    "printed.challenge_link",
    "printed.workshop_link",
}


def _short(row) -> str:  # type: ignore[no-untyped-def]
    return short_code(row.id)


# endpoint -> (function world -> path, {role: status})
MATRIX: dict[str, tuple] = {
    "main.home": (lambda w: "/", everyone()),
    "main.privacy": (lambda w: "/confidentialite", everyone()),
    "main.health": (lambda w: "/sante", everyone()),
    "main.readiness": (lambda w: "/sante/pret", everyone()),
    "auth.login": (lambda w: "/connexion", anonymous_only()),
    "auth.register": (lambda w: "/inscription", anonymous_only()),
    "auth.forgot_password": (lambda w: "/mot-de-passe-oublie", everyone()),
    "auth.reset_password": (lambda w: "/reinitialiser/not-a-token", everyone(400)),
    "auth.verify_email": (lambda w: "/verifier/not-a-token", everyone(400)),
    "auth.profile": (lambda w: "/compte", logged_in()),
    "auth.change_password_view": (lambda w: "/compte/mot-de-passe", logged_in()),
    "auth.second_factor": (lambda w: "/connexion/code", everyone(302)),  # no login under way
    "auth.second_factor_setup": (lambda w: "/compte/double-authentification", logged_in()),
    "admin.index": (lambda w: "/admin/", only(*ADMIN_AREA)),
    "admin.organisations": (lambda w: "/admin/organisations", only("admin")),
    "admin.organisation_form": (lambda w: f"/admin/organisations/{w['org'].id}", only("admin")),
    "admin.residences": (lambda w: "/admin/residences", only("admin")),
    "admin.residence_form": (lambda w: f"/admin/residences/{w['residence'].id}", only("admin")),
    "admin.users": (lambda w: "/admin/utilisateurs", only("admin")),
    "admin.user_form": (lambda w: f"/admin/utilisateurs/{w['other'].id}", only("admin")),
    "admin.invitations": (lambda w: "/admin/invitations", only(*ADMIN_AREA)),
    "admin.invitation_form": (lambda w: "/admin/invitations/nouvelle", only(*ADMIN_AREA)),
    "notifications.index": (lambda w: "/notifications", logged_in()),
    "notifications.preferences": (lambda w: "/notifications/preferences", logged_in()),
    "notifications.unsubscribe": (lambda w: "/notifications/desabonner/not-a-token", everyone(400)),
    "notifications.newsletter_unsubscribe": (
        lambda w: "/lettre/desabonner/not-a-token",
        everyone(400),
    ),
    # Messages to a scope (issue 12): facilitators, landlord managers and admins.
    "outreach.index": (lambda w: "/messages", only("facilitator", "bailleur", "admin")),
    "outreach.write": (lambda w: "/messages/nouveau", only("facilitator", "bailleur", "admin")),
    # Challenges and ideas. The world's challenge belongs to the landlord `org`; the
    # matrix's facilitator and admin are of the regional association (they run it),
    # the tenant lives in the org's residence, staff and bailleur are of the org.
    "challenges.index": (lambda w: "/defis", everyone()),
    "challenges.show": (lambda w: "/defis/defi-ouvert", everyone()),
    "challenges.create": (lambda w: "/defis/nouveau", only("facilitator", "admin")),
    "challenges.edit": (lambda w: "/defis/defi-brouillon/modifier", only("facilitator", "admin")),
    "challenges.preview": (lambda w: "/defis/defi-brouillon/apercu", only("facilitator", "admin")),
    "challenges.manage": (lambda w: "/defis/defi-ouvert/gestion", only("facilitator", "admin")),
    "ideas.create": (lambda w: "/defis/defi-ouvert/idees/nouvelle", in_scope()),
    "ideas.show": (lambda w: f"/idees/{w['idea'].id}", everyone()),
    # Only the author edits or sends (the author is `other`, not a matrix user).
    "ideas.edit": (lambda w: f"/idees/{w['idea'].id}/modifier", only()),
    "ideas.check": (lambda w: f"/idees/{w['draft_idea'].id}/verifier", only()),
    # Ranked vote. Everyone votes "in scope" (docs/domain.md#who-votes): the landlord's
    # tenant, staff and bailleur; the regional facilitator and admin run the vote but do
    # not vote in a landlord's challenge. No matrix user has a ballot: the confirmation
    # sends back to the vote. Results, ballot files and receipt checks are public.
    "voting.vote": (lambda w: "/defis/defi-vote/vote", only("tenant", "staff", "bailleur")),
    "voting.my_ballot": (
        lambda w: "/defis/defi-vote/mon-vote",
        only("tenant", "staff", "bailleur"),
    ),
    "voting.confirmation": (
        lambda w: "/defis/defi-vote/vote/merci",
        only("tenant", "staff", "bailleur", ok=302),
    ),
    "voting.results": (lambda w: "/defis/defi-resultats/resultats", everyone()),
    "voting.download": (lambda w: "/defis/defi-resultats/resultats/bulletins.csv", everyone()),
    "voting.verify": (
        lambda w: f"/defis/defi-resultats/resultats/verifier?recu={w['receipt']}",
        everyone(),
    ),
    # Comments and reports: every matrix user takes part in the landlord's open challenge
    # (the tenant lives there; facilitators, bailleurs and admins take part everywhere).
    # The comment and the idea are `other`'s: nobody else edits them.
    "comments.create": (lambda w: f"/idees/{w['idea'].id}/commentaires", in_scope()),
    "comments.reply": (lambda w: f"/commentaires/{w['comment'].id}/repondre", in_scope()),
    "comments.edit": (lambda w: f"/commentaires/{w['comment'].id}/modifier", only()),
    "moderation.report_idea": (lambda w: f"/idees/{w['idea'].id}/signaler", in_scope()),
    "moderation.report_comment": (
        lambda w: f"/commentaires/{w['comment'].id}/signaler",
        in_scope(),
    ),
    # Moderation: the regional facilitator and the admin moderate every challenge.
    "moderation.queue": (lambda w: "/moderation", only("facilitator", "admin")),
    "moderation.idea": (
        lambda w: f"/moderation/idees/{w['idea'].id}",
        only("facilitator", "admin"),
    ),
    "moderation.comment": (
        lambda w: f"/moderation/commentaires/{w['comment'].id}",
        only("facilitator", "admin"),
    ),
    "moderation.audit_log": (lambda w: "/moderation/journal", only("facilitator", "admin")),
    # Pilots (issue 6). The world's pilot belongs to the landlord `org`; its owner is the
    # world's staff member `pilot_owner`, not a matrix user. The matrix's bailleur is of
    # that org (edits it); staff read only; the regional facilitator promotes the closed
    # vote's winner but does not edit pilots; admin does everything.
    "pilots.index": (lambda w: "/projets-pilotes", everyone()),
    "pilots.show": (lambda w: f"/projets-pilotes/{w['pilot'].id}", everyone()),
    "pilots.promote": (
        lambda w: f"/idees/{w['winner'].id}/projet-pilote",
        only("facilitator", "admin"),
    ),
    "pilots.edit": (
        lambda w: f"/projets-pilotes/{w['pilot'].id}/modifier",
        only("bailleur", "admin"),
    ),
    "pilots.indicators": (
        lambda w: f"/projets-pilotes/{w['pilot'].id}/indicateurs",
        only("bailleur", "admin"),
    ),
    "pilots.new_update": (
        lambda w: f"/projets-pilotes/{w['pilot'].id}/point-d-etape",
        only("bailleur", "admin"),
    ),
    # Photos: seen by whoever sees what they illustrate (the pending idea: its author, who
    # is `other`, and its moderators); a hidden one by its moderators only.
    "photos.serve": (lambda w: f"/photos/{w['photo'].token}/400.jpg", everyone()),
    "photos.serve:pending": (
        lambda w: f"/photos/{w['pending_photo'].token}/320.jpg",
        {**only("facilitator", "admin"), "visitor": 403},
    ),
    "photos.serve:hidden": (
        lambda w: f"/photos/{w['hidden_photo'].token}/400.jpg",
        {**only("facilitator", "admin"), "visitor": 403},
    ),
    # The library of innovations and the pilot's fiche (issue 12): public. Lessons open at
    # evaluation to whoever edits the pilot.
    "pilots.library": (lambda w: "/innovations", everyone()),
    "pilots.sheet": (lambda w: f"/projets-pilotes/{w['pilot'].id}/fiche", everyone()),
    "pilots.lessons": (
        lambda w: f"/projets-pilotes/{w['evaluated_pilot'].id}/enseignements",
        only("bailleur", "admin"),
    ),
    # Editions and houses (issue 12): public pages; admins and facilitators manage them
    # (the matrix's facilitator is of the regional association, so edits any house).
    "fabrique.editions": (lambda w: "/editions", everyone()),
    "fabrique.edition": (lambda w: f"/editions/{w['edition'].slug}", everyone()),
    "fabrique.house": (lambda w: f"/maisons/{w['house'].slug}", everyone()),
    "fabrique.new_edition": (lambda w: "/editions/nouvelle", only("facilitator", "admin")),
    "fabrique.edit_edition": (
        lambda w: f"/editions/{w['edition'].slug}/modifier",
        only("facilitator", "admin"),
    ),
    "fabrique.new_house": (lambda w: "/maisons/nouvelle", only("facilitator", "admin")),
    "fabrique.edit_house": (
        lambda w: f"/maisons/{w['house'].slug}/modifier",
        only("facilitator", "admin"),
    ),
    # Workshops (issue 13): public pages and calendar file; the matrix's facilitator (of the
    # regional association) and admin edit and run every workshop; its host (staff of the
    # landlord) is not a matrix user. The minutes open once the workshop has begun.
    "workshops.index": (lambda w: "/ateliers", everyone()),
    "workshops.show": (lambda w: f"/ateliers/{w['workshop'].id}", everyone()),
    "workshops.calendar": (lambda w: f"/ateliers/{w['workshop'].id}/atelier.ics", everyone()),
    "workshops.create": (lambda w: "/ateliers/nouveau", only("facilitator", "admin")),
    "workshops.edit": (
        lambda w: f"/ateliers/{w['workshop'].id}/modifier",
        only("facilitator", "admin"),
    ),
    "workshops.attendance": (
        lambda w: f"/ateliers/{w['workshop'].id}/presences",
        only("facilitator", "admin"),
    ),
    "workshops.minutes": (
        lambda w: f"/ateliers/{w['past_workshop'].id}/compte-rendu",
        only("facilitator", "admin"),
    ),
    "workshops.minutes:not_begun": (
        lambda w: f"/ateliers/{w['workshop'].id}/compte-rendu",
        only(),
    ),
    # Assisted participation (issue 13): staff (at an office), facilitators and admins open
    # accounts; a partner's member only as a workshop's host; the landlord's staff, the
    # regional facilitator and admins see one. Entries at a workshop: who runs it, once it
    # has begun. tests/requests/test_assisted.py.
    "assisted.create_account": (
        lambda w: "/accompagnement/comptes/nouveau",
        only("staff", "facilitator", "admin"),
    ),
    "assisted.account": (
        lambda w: f"/accompagnement/comptes/{w['assisted'].id}",
        only("staff", "facilitator", "admin"),
    ),
    "assisted.claim": (lambda w: "/compte/reprendre", anonymous_only()),
    "assisted.entries": (
        lambda w: f"/ateliers/{w['past_workshop'].id}/saisie",
        only("facilitator", "admin"),
    ),
    "assisted.entries:not_begun": (
        lambda w: f"/ateliers/{w['workshop'].id}/saisie",
        only(),
    ),
    # Printed material (issue 13): who hands a thing out prints its poster. The invitation
    # is the landlord's (its bailleur and admins manage it); the challenges' posters: who
    # runs them and the landlord manager; the workshop's: who runs it and the manager of
    # the residence's landlord. Short links are public redirects (a draft's only for who
    # may see it); the codes come from the ids (ideation/domain/codes.py).
    "printed.invitation_poster": (
        lambda w: f"/imprimer/invitations/{w['invitation'].id}",
        only("bailleur", "admin"),
    ),
    "printed.vote_poster": (
        lambda w: "/imprimer/defis/defi-vote/vote",
        only("facilitator", "bailleur", "admin"),
    ),
    "printed.vote_poster:not_voting": (
        lambda w: "/imprimer/defis/defi-ouvert/vote",
        only(),
    ),
    "printed.results_poster": (
        lambda w: "/imprimer/defis/defi-resultats/resultats",
        only("facilitator", "bailleur", "admin"),
    ),
    "printed.workshop_poster": (
        lambda w: f"/imprimer/ateliers/{w['workshop'].id}",
        only("facilitator", "bailleur", "admin"),
    ),
    "printed.challenge_link": (lambda w: f"/d/{_short(w['challenge'])}", everyone(302)),
    "printed.challenge_link:draft": (
        lambda w: f"/d/{_short(w['draft_challenge'])}",
        {**everyone(404), "facilitator": 302, "admin": 302},
    ),
    "printed.workshop_link": (lambda w: f"/a/{_short(w['workshop'])}", everyone(302)),
    # Dwelling letters (verified households): the landlord's manager and admins.
    "printed.dwelling_codes": (lambda w: "/imprimer/logements", only("bailleur", "admin")),
    "printed.dwelling_letters": (
        lambda w: f"/imprimer/residences/{w['residence'].id}/courriers",
        only("bailleur", "admin"),
    ),
    # Paper ballots (issue 14): the desk's assessors (not matrix users) and who runs the
    # challenge work the desk; only who runs it prints sheets and closes the record. The
    # frozen record is published with the results. Refusals: tests/requests/test_paper.py.
    "paper.desk": (lambda w: f"/bureaux/{w['paper_desk'].id}/papier", only("facilitator", "admin")),
    "paper.print_sheets": (
        lambda w: f"/bureaux/{w['paper_desk'].id}/papier/lot/{w['paper_sheet'].id}/1",
        only("facilitator", "admin"),
    ),
    "paper.find_sheet": (
        lambda w: f"/bureaux/{w['paper_desk'].id}/papier/saisie",
        only("facilitator", "admin"),
    ),
    "paper.entry": (
        lambda w: f"/bureaux/{w['paper_desk'].id}/papier/feuilles/{w['paper_code']}",
        only("facilitator", "admin"),
    ),
    "paper.record": (
        lambda w: f"/bureaux/{w['paper_desk'].id}/proces-verbal",
        only("facilitator", "admin"),
    ),
    "paper.published_record": (
        lambda w: f"/defis/defi-resultats/resultats/bureaux/{w['frozen_desk'].id}",
        everyone(),
    ),
    # Voting desks (issue 14): who runs the vote and the desk's assessors (not matrix users);
    # refusals, the receipt and the urn's close: tests/requests/test_desks.py.
    "desks.index": (lambda w: "/defis/defi-vote/bureaux", only("facilitator", "admin")),
    "desks.show": (lambda w: f"/bureaux/{w['open_desk'].id}", only("facilitator", "admin")),
    "desks.participant": (
        lambda w: f"/bureaux/{w['open_desk'].id}/votants/{w['desk_voter'].id}",
        only("facilitator", "admin"),
    ),
    # No receipt was just recorded: sent back to the desk's page.
    "desks.receipt": (
        lambda w: f"/bureaux/{w['open_desk'].id}/recu",
        only("facilitator", "admin", ok=302),
    ),
    "desks.voters": (
        lambda w: f"/bureaux/{w['open_desk'].id}/emargement",
        only("facilitator", "admin"),
    ),
    "desks.close": (
        lambda w: f"/bureaux/{w['open_desk'].id}/cloture",
        only("facilitator", "admin"),
    ),
    "dashboard.index": (lambda w: "/tableau-de-bord/", only("facilitator", "bailleur", "admin")),
    "dashboard.export": (
        lambda w: "/tableau-de-bord/export/projets.csv",
        only("facilitator", "bailleur", "admin"),
    ),
    # Privacy (RGPD): only one's own data, so no id in these URLs; every account has them.
    "privacy.index": (lambda w: "/compte/mes-donnees", logged_in()),
    "privacy.export": (lambda w: "/compte/mes-donnees/mes-donnees-fabrique.json", logged_in()),
    "privacy.erase": (lambda w: "/compte/supprimer", logged_in()),
    # The site's own pages: public; rewriting them is the publisher's (admins).
    "participation.index": (lambda w: "/compte/mes-participations", logged_in()),
    "pages.accessibility": (lambda w: "/accessibilite", everyone()),
    "pages.help_page": (lambda w: "/aide", everyone()),
    "pages.legal": (lambda w: "/mentions-legales", everyone()),
    "pages.about": (lambda w: "/a-propos", everyone()),
    "pages.robots": (lambda w: "/robots.txt", everyone()),
    "pages.manage": (lambda w: "/admin/pages", only("admin")),
    "pages.edit": (lambda w: "/admin/pages/accessibilite/fr", only("admin")),
}

# POST-only endpoints and the roles allowed to use them (tested in each area's tests).
POST_ONLY: dict[str, tuple[str, ...]] = {
    "auth.logout": tuple(ROLES),
    "auth.set_language": tuple(ROLES),
    "auth.resend_verification": tuple(ROLES[1:]),
    "auth.second_factor_disable": tuple(ROLES[1:]),
    "auth.logout_everywhere": tuple(ROLES[1:]),
    "admin.invitation_deactivate": ADMIN_AREA,
    "notifications.mark_all_read": tuple(ROLES[1:]),
    "notifications.open_notification": tuple(ROLES[1:]),
    "challenges.advance": ("facilitator", "admin"),
    "ideas.submit": (),  # the author only
    "ideas.withdraw": (),  # the author only
    "ideas.support": ROLES[1:],
    "voting.close": ("facilitator", "admin"),
    "comments.delete": (),  # the author only
    "moderation.publish": ("facilitator", "admin"),
    "moderation.reject": ("facilitator", "admin"),
    "moderation.hide_idea": ("facilitator", "admin"),
    "moderation.restore_idea": ("facilitator", "admin"),
    "moderation.dismiss_idea": ("facilitator", "admin"),
    "moderation.merge": ("facilitator", "admin"),
    "moderation.shortlist": ("facilitator", "admin"),
    "moderation.answer": ("facilitator", "admin"),
    "moderation.hide_comment": ("facilitator", "admin"),
    "moderation.restore_comment": ("facilitator", "admin"),
    "moderation.dismiss_comment": ("facilitator", "admin"),
    "pilots.follow": tuple(ROLES[1:]),
    # « Je veux aider » (issue 12): tests/requests/test_volunteering.py.
    "pilots.volunteer_idea": tuple(ROLES[1:]),
    "pilots.volunteer_pilot": tuple(ROLES[1:]),
    "pilots.withdraw_idea_offer": tuple(ROLES[1:]),
    "pilots.withdraw_pilot_offer": tuple(ROLES[1:]),
    "photos.hide": ("facilitator", "admin"),
    "photos.restore": ("facilitator", "admin"),
    "pilots.adopt": ("bailleur",),  # a landlord manager, another landlord's pilot
    "admin.user_erase": ("admin",),
    # Workshops: tests/requests/test_workshops.py.
    "workshops.register": tuple(ROLES[1:]),
    "workshops.cancel": (),  # who holds a registration (`other`, not a matrix user)
    "workshops.check_in": ("facilitator", "admin"),  # and the workshop's hosts
    "workshops.mark_absent": ("facilitator", "admin"),  # and its hosts, once it is over
    # Assisted participation: tests/requests/test_assisted.py.
    "assisted.reset": ("staff", "facilitator", "admin"),  # the account's landlord's staff
    "assisted.enter_support": ("facilitator", "admin"),  # and the workshop's hosts
    "assisted.enter_comment": ("facilitator", "admin"),
    "assisted.open_mode": ("facilitator", "admin"),  # until the workshop's end
    "assisted.close_mode": ("facilitator", "admin"),
    "desks.tick": ("facilitator", "admin"),  # and the desk's assessors
}

# Endpoints that also answer GET on a second URL (e.g. a "new" form) share a row.
IGNORED = {"static"}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    # "endpoint:case" rows check one route for several objects (a photo shown, pending, hidden).
    listed = {name.split(":")[0] for name in MATRIX}
    missing = endpoints - listed - set(POST_ONLY)
    assert not missing, f"routes missing from the role × route matrix: {sorted(missing)}"
    stale = (listed | set(POST_ONLY)) - endpoints
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


def test_post_only_routes_refuse_get(app, client):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in POST_ONLY:
            assert "GET" not in rule.methods, (
                f"{rule.endpoint} must not answer GET (GET never changes state)"
            )


@pytest.fixture
def world(db):
    """A small installation: the regional association, a landlord with a residence, codes."""
    from tests.matrix_world import build_world

    return build_world()


# The permissions' request test; other modules' mutants have their own tests (tests/schedule.py).
@pytest.mark.mutants_of("ideation.domain.permissions")
@pytest.mark.parametrize("role", ROLES)
def test_role_route_matrix(app, client, db, login, world, role):
    user = user_for(role, world)
    db.session.commit()
    if user is not None:
        login(user)
    failures = []
    for endpoint, (path_of, cells) in MATRIX.items():
        path = path_of(world)
        response = client.get(path)
        expected = cells[role]
        if response.status_code != expected:
            failures.append(f"{endpoint} {path}: expected {expected}, got {response.status_code}")
        elif expected == 302 and role == "visitor" and cells is not None:
            location = response.headers.get("Location", "")
            if "/connexion" not in location and endpoint.split(":")[0] not in PUBLIC_REDIRECTS:
                failures.append(f"{endpoint}: visitor redirected to {location}, not to login")
    assert not failures, "\n".join(failures)
