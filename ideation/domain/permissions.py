"""Who may do what: the one vocabulary of rules, over a small frozen Actor value.

Pure Python: views call these after loading an object and answer 403 when a rule
says no; the same functions are Jinja globals so a button shown is a button that
works. See docs/domain.md#what-each-role-may-do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ideation.domain.roles import Role


@dataclass(frozen=True, slots=True)
class Actor:
    id: int | None
    role: Role | None  # None: an anonymous visitor
    organisation_id: int | None = None
    organisation_is_regional: bool = False
    residence_id: int | None = None
    # A member of a partner organisation (issue 12): takes part, never moderates.
    organisation_is_partner: bool = False
    # The e-mail address answered, or a facilitator verified the person in person. Only
    # User.actor builds actors for requests and always sets it; the default keeps rule
    # tables that are about something else short.
    confirmed: bool = True
    # A verified household (a dwelling's letter code, or met in person by a host), for the
    # votes reserved to them (issue 13). Same default, for the same reason.
    household_verified: bool = True

    @property
    def is_authenticated(self) -> bool:
        return self.id is not None and self.role is not None


def needs_confirmation(actor: Actor) -> bool:
    """Logged in, but may not take part yet: the address is not confirmed (issue 10).

    One hall code lets one person create many accounts; participation (ideas, supports,
    comments, reports, ballots) waits for a confirmed address or an in-person check.
    """
    return actor.is_authenticated and not actor.confirmed


VISITOR = Actor(id=None, role=None)

# Roles that may create invitation codes, and the roles each may grant.
_INVITING_ROLES = {Role.FACILITATOR, Role.BAILLEUR, Role.ADMIN}
_GRANTABLE = {
    Role.ADMIN: frozenset(Role),
    Role.FACILITATOR: frozenset({Role.TENANT, Role.STAFF}),
    Role.BAILLEUR: frozenset({Role.TENANT, Role.STAFF}),
}


def is_admin(actor: Actor) -> bool:
    return actor.role == Role.ADMIN


def can_administer(actor: Actor) -> bool:
    """Organisations, residences, users and roles: admins only."""
    return is_admin(actor)


def can_edit_site_pages(actor: Actor) -> bool:
    """Accessibility statement, help, legal notice, about: the publisher's word, admins only."""
    return is_admin(actor)


def can_open_admin_area(actor: Actor) -> bool:
    """The admin area lists what the actor may manage (at least invitations)."""
    return actor.role in _INVITING_ROLES


def can_manage_invitations(
    actor: Actor, organisation_id: int | None = None, partner: bool = False
) -> bool:
    """Facilitators and landlord managers: their own organisation's codes; admins: all.

    A facilitator of the regional association manages invitations for its own
    organisation and for the partners (`partner`: the organisation is a partner), whom
    it enrols; landlords hand out their own flyers.
    """
    if actor.role not in _INVITING_ROLES or actor.organisation_is_partner:
        return False
    if is_admin(actor) or organisation_id is None:
        return True
    if partner and invites_partners(actor):
        return True
    return actor.organisation_id == organisation_id


def invites_partners(actor: Actor) -> bool:
    """Admins and the regional association's facilitators enrol the partners' people."""
    if actor.organisation_is_partner:
        return False
    return is_admin(actor) or (actor.role == Role.FACILITATOR and actor.organisation_is_regional)


def grantable_roles(actor: Actor, partner: bool = False) -> frozenset[Role]:
    """The roles an invitation created by this actor may grant (into a partner: `partner`)."""
    granted = _GRANTABLE.get(actor.role, frozenset()) if actor.role else frozenset()
    return granted & PARTNER_ROLES if partner else granted


# A partner's members are participants: tenants (its volunteers) or staff (its employees).
# They never run challenges, moderate, edit pilots or see the landlords' dashboard.
PARTNER_ROLES = frozenset({Role.TENANT, Role.STAFF})


def role_fits_organisation(role: Role, partner: bool) -> bool:
    """May an account of this role belong to this kind of organisation?"""
    return not partner or role in PARTNER_ROLES


# --- challenges and ideas ----------------------------------------------------------
# The rules table role × phase × status × scope (docs/domain.md#what-each-role-may-do).
# Plain values in, bool out.

from ideation.domain.challenge_phases import Phase  # noqa: E402
from ideation.domain.fabrique import LESSON_STATUSES  # noqa: E402
from ideation.domain.idea_states import (  # noqa: E402
    EDITABLE,
    PUBLIC,
    SUPPORTABLE,
    WITHDRAWABLE,
    IdeaStatus,
)
from ideation.domain.pilot_states import PilotStatus  # noqa: E402


@dataclass(frozen=True, slots=True)
class Scope:
    """Who a challenge speaks to: every organisation (regional) or one, maybe some residences."""

    organisation_id: int | None = None  # None: a regional challenge
    residence_ids: frozenset[int] = frozenset()

    @property
    def is_regional(self) -> bool:
        return self.organisation_id is None


REGIONAL = Scope()

# Roles that take part "yes" everywhere, and those that do "in scope" (docs/domain.md#scope).
_PARTICIPATE_EVERYWHERE = {Role.FACILITATOR, Role.BAILLEUR, Role.ADMIN}
_PARTICIPATE_IN_SCOPE = {Role.TENANT, Role.STAFF}


def can_create_challenge(actor: Actor) -> bool:
    """Facilitators and admins create challenges (never a partner's member)."""
    return actor.role in {Role.FACILITATOR, Role.ADMIN} and not actor.organisation_is_partner


def can_manage_challenge(actor: Actor, scope: Scope) -> bool:
    """Run a challenge (edit, move its phase, moderate, shortlist).

    Admins and the regional association's facilitators run every challenge; a
    landlord's facilitator runs the challenges of its own organisation only.
    """
    if actor.organisation_is_partner:
        return False
    if is_admin(actor):
        return True
    if actor.role != Role.FACILITATOR:
        return False
    if actor.organisation_is_regional:
        return True
    return scope.organisation_id is not None and scope.organisation_id == actor.organisation_id


def can_create_challenge_for(actor: Actor, scope: Scope) -> bool:
    return can_create_challenge(actor) and can_manage_challenge(actor, scope)


def in_scope(actor: Actor, scope: Scope) -> bool:
    """Is the actor one of the participants the challenge speaks to?

    Residence limits apply to tenants; the landlord's staff serve several residences
    and stay in scope for every challenge of their organisation.
    """
    if not actor.is_authenticated:
        return False
    if actor.role in _PARTICIPATE_EVERYWHERE:
        return True
    if scope.is_regional:
        return True
    if actor.organisation_id != scope.organisation_id:
        return False
    if scope.residence_ids and actor.role == Role.TENANT:
        return actor.residence_id in scope.residence_ids
    return True


def can_view_challenge(actor: Actor, phase: Phase, scope: Scope) -> bool:
    """Published challenges are public; a draft only for those who run it."""
    return phase != Phase.DRAFT or can_manage_challenge(actor, scope)


def can_submit_idea(actor: Actor, phase: Phase, scope: Scope) -> bool:
    """Write and send an idea: participants in scope, while ideas are open."""
    return (
        phase == Phase.IDEATION
        and actor.role in (_PARTICIPATE_EVERYWHERE | _PARTICIPATE_IN_SCOPE)
        and actor.confirmed
        and in_scope(actor, scope)
    )


def can_view_idea(
    actor: Actor, status: IdeaStatus, author_id: int | None, scope: Scope, hidden: bool = False
) -> bool:
    """Public statuses for everyone; drafts, pending, refused, withdrawn: author and facilitators.

    A hidden idea (reports, moderation) is seen only by its author and those who moderate it.
    """
    if status in PUBLIC and not hidden:
        return True
    if actor.is_authenticated and author_id is not None and actor.id == author_id:
        return True
    return status != IdeaStatus.DRAFT and can_manage_challenge(actor, scope)


def can_edit_idea(actor: Actor, phase: Phase, status: IdeaStatus, author_id: int | None) -> bool:
    """The author edits their own idea until it is shortlisted, while the challenge is open or under review."""
    return (
        actor.is_authenticated
        and author_id is not None
        and actor.id == author_id
        and status in EDITABLE
        and phase in {Phase.IDEATION, Phase.REVIEW}
    )


def can_send_idea(
    actor: Actor, phase: Phase, status: IdeaStatus, author_id: int | None, scope: Scope
) -> bool:
    """The author sends their draft, if they may still submit in this challenge."""
    return (
        status == IdeaStatus.DRAFT
        and actor.is_authenticated
        and actor.id == author_id
        and can_submit_idea(actor, phase, scope)
    )


def is_author(actor: Actor, author_id: int | None) -> bool:
    """The signed-in actor wrote it (an erased or vanished author is nobody's)."""
    return actor.is_authenticated and author_id is not None and actor.id == author_id


def can_see_status_reason(actor: Actor, author_id: int | None, scope: Scope) -> bool:
    """Why an idea was refused or merged: its author and those who run the challenge."""
    return is_author(actor, author_id) or can_manage_challenge(actor, scope)


def support_needs_login(actor: Actor, phase: Phase, status: IdeaStatus) -> bool:
    """A visitor could back this idea once signed in (the page offers to sign in)."""
    return not actor.is_authenticated and phase == Phase.IDEATION and status in SUPPORTABLE


def has_discussion(status: IdeaStatus) -> bool:
    """Ideas past validation carry a comment thread (drafts and pending ideas do not)."""
    return status not in {IdeaStatus.DRAFT, IdeaStatus.SUBMITTED}


def can_withdraw_idea(actor: Actor, status: IdeaStatus, author_id: int | None) -> bool:
    return (
        actor.is_authenticated
        and author_id is not None
        and actor.id == author_id
        and status in WITHDRAWABLE
    )


def can_support_idea(
    actor: Actor, phase: Phase, status: IdeaStatus, author_id: int | None, scope: Scope
) -> bool:
    """Back a published idea of someone else, in scope, during the ideation phase only."""
    return (
        phase == Phase.IDEATION
        and status in SUPPORTABLE
        and actor.role in (_PARTICIPATE_EVERYWHERE | _PARTICIPATE_IN_SCOPE)
        and actor.confirmed
        and in_scope(actor, scope)
        and actor.id != author_id
    )


def can_publish_idea(actor: Actor, phase: Phase, status: IdeaStatus, scope: Scope) -> bool:
    """A facilitator publishes an idea waiting for validation (pre-moderation)."""
    return (
        status == IdeaStatus.SUBMITTED
        and phase in {Phase.IDEATION, Phase.REVIEW}
        and can_manage_challenge(actor, scope)
    )


def can_shortlist_idea(actor: Actor, phase: Phase, status: IdeaStatus, scope: Scope) -> bool:
    """A facilitator retains a published idea for the vote, before the vote opens."""
    return (
        status == IdeaStatus.PUBLISHED
        and phase in {Phase.IDEATION, Phase.REVIEW}
        and can_manage_challenge(actor, scope)
    )


# --- comments, reports and moderation (issue 4) ---------------------------------------
# Comments are open on public ideas while the challenge is live (closed once archived);
# a merged idea keeps its comments readable but the discussion moves to its target.
# Moderation is running the challenge: own organisation's challenges for a landlord's
# facilitator, everything for the regional association's facilitators and admins.

COMMENTABLE = frozenset(PUBLIC - {IdeaStatus.MERGED})
COMMENT_EDIT_SECONDS = 15 * 60
_MODERATING_ROLES = {Role.FACILITATOR, Role.ADMIN}
_ANSWERABLE = frozenset(PUBLIC - {IdeaStatus.MERGED})


def _participates(actor: Actor, scope: Scope) -> bool:
    return (
        actor.role in (_PARTICIPATE_EVERYWHERE | _PARTICIPATE_IN_SCOPE)
        and actor.confirmed
        and in_scope(actor, scope)
    )


def can_comment(
    actor: Actor, phase: Phase, status: IdeaStatus, scope: Scope, hidden: bool = False
) -> bool:
    """Comment (or reply) on a public idea, in scope, until the challenge is archived."""
    return (
        phase not in {Phase.DRAFT, Phase.ARCHIVED}
        and status in COMMENTABLE
        and not hidden
        and _participates(actor, scope)
    )


def comment_needs_login(actor: Actor, phase: Phase, status: IdeaStatus, hidden: bool) -> bool:
    """A visitor could join this discussion once signed in (the page offers to sign in)."""
    return (
        not actor.is_authenticated
        and phase not in {Phase.DRAFT, Phase.ARCHIVED}
        and status in COMMENTABLE
        and not hidden
    )


def can_edit_comment(
    actor: Actor,
    author_id: int | None,
    age_seconds: float,
    phase: Phase,
    deleted: bool = False,
    hidden: bool = False,
) -> bool:
    """The author corrects their comment within 15 minutes of writing it."""
    return (
        actor.is_authenticated
        and author_id is not None
        and actor.id == author_id
        and not deleted
        and not hidden
        and phase != Phase.ARCHIVED
        and 0 <= age_seconds <= COMMENT_EDIT_SECONDS
    )


def can_delete_comment(actor: Actor, author_id: int | None, deleted: bool = False) -> bool:
    """The author deletes their own comment (its replies stay)."""
    return (
        actor.is_authenticated and author_id is not None and actor.id == author_id and not deleted
    )


def can_report(actor: Actor, author_id: int | None, scope: Scope) -> bool:
    """Flag someone else's idea or comment: participants in scope."""
    return _participates(actor, scope) and actor.id != author_id


# A report counts toward hiding an item on its own only from an account at least this
# old when it reported: a fresh account (or a batch of them) cannot silence anyone. Its
# report still reaches the moderators' queue.
REPORT_TRUST_SECONDS = 24 * 3600


def report_counts_toward_hiding(reporter_confirmed: bool, account_age_seconds: float) -> bool:
    """Is this report trusted enough to count toward the automatic hiding threshold?"""
    return reporter_confirmed and account_age_seconds >= REPORT_TRUST_SECONDS


def can_open_moderation(actor: Actor) -> bool:
    """The moderation queue and the audit log: facilitators and admins (never a partner)."""
    return actor.role in _MODERATING_ROLES and not actor.organisation_is_partner


def moderates_everything(actor: Actor) -> bool:
    """Admins and the regional association's facilitators moderate every challenge."""
    if actor.organisation_is_partner:
        return False
    return is_admin(actor) or (actor.role == Role.FACILITATOR and actor.organisation_is_regional)


def can_moderate(actor: Actor, scope: Scope) -> bool:
    """Hide, restore, dismiss reports on the ideas and comments of a challenge one runs."""
    return can_open_moderation(actor) and can_manage_challenge(actor, scope)


def can_reject_idea(actor: Actor, phase: Phase, status: IdeaStatus, scope: Scope) -> bool:
    """Refuse an idea waiting for validation (with a reason shown to its author)."""
    return (
        status == IdeaStatus.SUBMITTED
        and phase in {Phase.IDEATION, Phase.REVIEW}
        and can_moderate(actor, scope)
    )


def can_merge_idea(actor: Actor, phase: Phase, status: IdeaStatus, scope: Scope) -> bool:
    """Merge a published idea, or a pending near copy, into another of the same challenge,
    before the vote."""
    return (
        status in {IdeaStatus.PUBLISHED, IdeaStatus.SUBMITTED}
        and phase in {Phase.IDEATION, Phase.REVIEW}
        and can_moderate(actor, scope)
    )


def can_hide_idea(actor: Actor, status: IdeaStatus, scope: Scope, hidden: bool) -> bool:
    """Hide a public idea (with a reason shown to its author) until someone restores it."""
    return status in PUBLIC and not hidden and can_moderate(actor, scope)


def can_hide_comment(actor: Actor, scope: Scope, visible: bool) -> bool:
    """Hide a comment that is shown (neither deleted by its author nor hidden already)."""
    return visible and can_moderate(actor, scope)


def can_restore(actor: Actor, scope: Scope, hidden: bool) -> bool:
    """Show a hidden idea or comment again."""
    return hidden and can_moderate(actor, scope)


def can_hide_photo(actor: Actor, scope: Scope, hidden: bool) -> bool:
    """Hide a photo (of an idea, a pilot update…) that is shown, with a reason."""
    return not hidden and can_moderate(actor, scope)


def can_view_photo(actor: Actor, owner_visible: bool, scope: Scope, hidden: bool) -> bool:
    """A photo is seen by whoever sees what it illustrates; a hidden one by its moderators only."""
    return owner_visible and (not hidden or can_moderate(actor, scope))


def can_open_idea_moderation(actor: Actor, status: IdeaStatus, scope: Scope) -> bool:
    """The idea's moderation page, from the idea page: anything but an author's draft."""
    return status != IdeaStatus.DRAFT and can_moderate(actor, scope)


def can_report_idea(
    actor: Actor, status: IdeaStatus, author_id: int | None, scope: Scope, hidden: bool
) -> bool:
    """Flag someone else's idea while everyone can see it."""
    return status in PUBLIC and not hidden and can_report(actor, author_id, scope)


def can_report_comment(
    actor: Actor, author_id: int | None, scope: Scope, idea_public: bool, visible: bool
) -> bool:
    """Flag someone else's comment, shown on an idea everyone can see."""
    return idea_public and visible and can_report(actor, author_id, scope)


def can_answer_idea(actor: Actor, status: IdeaStatus, scope: Scope) -> bool:
    """Write the team's public answer on a public idea."""
    return status in _ANSWERABLE and can_moderate(actor, scope)


# --- ranked vote (issue 5) ----------------------------------------------------------
# Every role votes "in scope" (docs/domain.md#who-votes) — unlike submitting ideas, where
# facilitators, landlords and admins take part everywhere. A vote counts the people the
# challenge speaks to: the organisation's members (a regional challenge: everyone), and
# for a challenge limited to some residences, the tenants of those residences.


def in_vote_scope(actor: Actor, scope: Scope) -> bool:
    """Is the actor one of the people who choose in this challenge's vote?"""
    if not actor.is_authenticated:
        return False
    if scope.is_regional:
        return True
    if actor.organisation_id != scope.organisation_id:
        return False
    if scope.residence_ids and actor.role == Role.TENANT:
        return actor.residence_id in scope.residence_ids
    return True


def can_vote(actor: Actor, phase: Phase, scope: Scope, verified_only: bool = False) -> bool:
    """Cast or change one's ballot: participants in scope, while the vote is open; only
    verified households when the vote is reserved to them (`verified_only`)."""
    return (
        phase == Phase.VOTING
        and actor.confirmed
        and in_vote_scope(actor, scope)
        and (actor.household_verified or not verified_only)
    )


def vote_needs_household(actor: Actor, phase: Phase, scope: Scope, verified_only: bool) -> bool:
    """Would vote, but the vote is reserved to verified households: the page says how."""
    return (
        verified_only
        and not actor.household_verified
        and can_vote(replace(actor, household_verified=True), phase, scope, verified_only)
    )


def can_close_vote(actor: Actor, phase: Phase, scope: Scope) -> bool:
    """Close the vote before its end date (the result is then computed and published)."""
    return phase == Phase.VOTING and can_manage_challenge(actor, scope)


def can_view_results(actor: Actor, phase: Phase, scope: Scope) -> bool:
    """Results are public once the vote is closed (as the challenge itself is)."""
    return phase in {Phase.RESULTS, Phase.ARCHIVED} and can_view_challenge(actor, phase, scope)


# --- pilots and the landlord dashboard (issue 6) --------------------------------------
# docs/domain.md#pilots-and-the-dashboard: pilots are public; a facilitator (own
# organisation, or all for the regional association) or an admin promotes a selected
# idea; the landlord manager ("bailleur") edits only their own organisation's pilots;
# admins everything. The pilot's named owner may be a staff member of that landlord:
# they post its updates (points d'étape) but do not edit the pilot itself.

_DASHBOARD_ROLES = {Role.BAILLEUR, Role.FACILITATOR, Role.ADMIN}


def can_promote_idea(
    actor: Actor, status: IdeaStatus, scope: Scope, organisation_id: int | None = None
) -> bool:
    """Turn a selected idea into a pilot run by a landlord (`organisation_id`, when chosen)."""
    if status != IdeaStatus.SELECTED or actor.role not in {Role.FACILITATOR, Role.ADMIN}:
        return False
    if not can_manage_challenge(actor, scope):
        return False
    if organisation_id is None or is_admin(actor) or actor.organisation_is_regional:
        return True
    return organisation_id == actor.organisation_id


def can_edit_pilot(actor: Actor, organisation_id: int) -> bool:
    """Change a pilot (text, residences, owner, dates, budget, indicators)."""
    if actor.organisation_is_partner:
        return False
    if is_admin(actor):
        return True
    return actor.role == Role.BAILLEUR and actor.organisation_id == organisation_id


def can_post_pilot_update(actor: Actor, organisation_id: int, owner_id: int | None) -> bool:
    """Post a point d'étape: whoever edits the pilot, and its owner among the landlord's staff."""
    if can_edit_pilot(actor, organisation_id):
        return True
    return (
        actor.role == Role.STAFF
        and owner_id is not None
        and actor.id == owner_id
        and actor.organisation_id == organisation_id
    )


def can_follow_pilot(actor: Actor) -> bool:
    return actor.is_authenticated


def can_view_dashboard(actor: Actor) -> bool:
    """The landlord dashboard and its exports: landlord managers, facilitators, admins."""
    return actor.role in _DASHBOARD_ROLES and not actor.organisation_is_partner


def dashboard_organisation(actor: Actor) -> int | None:
    """The one organisation the actor's dashboard is limited to; None: every organisation."""
    if is_admin(actor) or actor.organisation_is_regional:
        return None
    return actor.organisation_id


def can_view_dashboard_of(actor: Actor, organisation_id: int | None) -> bool:
    """May the actor look at this organisation's figures (None: every organisation)?"""
    if not can_view_dashboard(actor):
        return False
    limit = dashboard_organisation(actor)
    return limit is None or limit == organisation_id


# --- volunteering and messages (issue 12) ------------------------------------------------
# docs/domain.md#volunteering: a participant offers help ("Je veux aider") on a public idea,
# from the ideation phase on, or on a pilot still under way. Partners' members help
# anywhere (that is what they are for); others on the ideas of challenges they are in.
# The count is public; names and offers are for the pilot's owners, the challenge's
# facilitators and the volunteer.

OFFER_MAX = 280  # "what I can do": a few words, not a CV
_VOLUNTEER_STATUSES = frozenset(
    {IdeaStatus.PUBLISHED, IdeaStatus.SHORTLISTED, IdeaStatus.SELECTED, IdeaStatus.PILOTED}
)


def _may_help(actor: Actor) -> bool:
    return (
        actor.is_authenticated
        and actor.confirmed
        and actor.role in (_PARTICIPATE_EVERYWHERE | _PARTICIPATE_IN_SCOPE)
    )


def can_volunteer_on_idea(
    actor: Actor, phase: Phase, status: IdeaStatus, scope: Scope, hidden: bool = False
) -> bool:
    """Offer help on a public idea, from the ideation phase on (partners: any challenge)."""
    return (
        phase != Phase.DRAFT
        and status in _VOLUNTEER_STATUSES
        and not hidden
        and _may_help(actor)
        and (actor.organisation_is_partner or in_scope(actor, scope))
    )


def can_volunteer_on_pilot(actor: Actor, pilot_open: bool) -> bool:
    """Offer help on a pilot that is neither generalised nor stopped."""
    return pilot_open and _may_help(actor)


def can_see_volunteers(
    actor: Actor,
    pilot_organisation_id: int | None,
    pilot_owner_id: int | None,
    scope: Scope | None,
) -> bool:
    """Names and offers: the pilot's owners (who edit it or post its updates) and those
    who run the challenge it comes from. Volunteers see their own offer elsewhere."""
    if pilot_organisation_id is not None and can_post_pilot_update(
        actor, pilot_organisation_id, pilot_owner_id
    ):
        return True
    return scope is not None and can_manage_challenge(actor, scope)


# Messages to a scope: facilitators and landlord managers write to the participants of
# what they manage; the server checks the scope again when the message is sent.
_WRITING_ROLES = {Role.FACILITATOR, Role.BAILLEUR, Role.ADMIN}


def can_write_messages(actor: Actor) -> bool:
    """Open the messages page: facilitators, landlord managers, admins (never a partner)."""
    return actor.role in _WRITING_ROLES and not actor.organisation_is_partner


def can_message_organisation(actor: Actor, organisation_id: int) -> bool:
    """Write to an organisation's people (or some of its residences): admins and the
    regional association's facilitators everywhere, the others their own organisation."""
    if not can_write_messages(actor):
        return False
    if is_admin(actor) or (actor.role == Role.FACILITATOR and actor.organisation_is_regional):
        return True
    return actor.organisation_id == organisation_id


def can_message_challenge(actor: Actor, scope: Scope) -> bool:
    """Write to a challenge's participants: those who run it, and the landlord manager of a
    challenge limited to her organisation."""
    if not can_write_messages(actor):
        return False
    if can_manage_challenge(actor, scope):
        return True
    return (
        actor.role == Role.BAILLEUR
        and scope.organisation_id is not None
        and scope.organisation_id == actor.organisation_id
    )


# --- the Fabrique: editions, houses, the library of innovations ------------------------

_FABRIQUE_ROLES = {Role.FACILITATOR, Role.ADMIN}


def can_manage_editions(actor: Actor) -> bool:
    """Create and edit editions and create houses: admins and facilitators."""
    return actor.role in _FABRIQUE_ROLES


def can_edit_house(actor: Actor, facilitator_ids: frozenset[int]) -> bool:
    """Edit a house: admins, the regional association's facilitators, and the facilitators
    in charge of the house."""
    if is_admin(actor):
        return True
    if actor.role != Role.FACILITATOR:
        return False
    return actor.organisation_is_regional or actor.id in facilitator_ids


def can_message_house(actor: Actor, facilitator_ids: frozenset[int]) -> bool:
    """Write to the participants of a house's challenges: who may write messages and
    edit that house (admins, the regional association's facilitators, its own)."""
    return can_write_messages(actor) and can_edit_house(actor, facilitator_ids)


def can_adopt_pilot(actor: Actor, pilot_organisation_id: int) -> bool:
    """Take up another landlord's pilot (reprise): a landlord manager, for her organisation."""
    return (
        actor.role == Role.BAILLEUR
        and actor.organisation_id is not None
        and not actor.organisation_is_regional
        and actor.organisation_id != pilot_organisation_id
    )


def can_write_lessons(actor: Actor, organisation_id: int, status: PilotStatus) -> bool:
    """Write "ce que nous avons appris": whoever edits the pilot, once it is evaluated."""
    return can_edit_pilot(actor, organisation_id) and status in LESSON_STATUSES


# --- workshops (issue 13) -------------------------------------------------------------
# docs/domain.md#workshops: workshops are public. Facilitators and admins create them; a
# workshop is edited by admins, the regional association's facilitators, the facilitator
# who created it and the facilitators among its hosts. Its hosts (facilitators, staff,
# partners' members) run it: attendance list, check-in at the door, minutes once it has
# begun. Any confirmed participant registers before it begins and cancels until then.


def can_create_workshop(actor: Actor) -> bool:
    """Facilitators and admins create workshops (never a partner's member)."""
    return actor.role in {Role.FACILITATOR, Role.ADMIN} and not actor.organisation_is_partner


def can_edit_workshop(actor: Actor, host_ids: frozenset[int], creator_id: int | None) -> bool:
    """Change a workshop's title, place, time, capacity, hosts."""
    if not can_create_workshop(actor):
        return False
    if is_admin(actor) or actor.organisation_is_regional:
        return True
    return actor.id in host_ids or (creator_id is not None and actor.id == creator_id)


def is_workshop_host(actor: Actor, host_ids: frozenset[int]) -> bool:
    return actor.is_authenticated and actor.id in host_ids


def can_run_workshop(actor: Actor, host_ids: frozenset[int], creator_id: int | None) -> bool:
    """The attendance list and the check-in at the door: its hosts and who edits it."""
    return is_workshop_host(actor, host_ids) or can_edit_workshop(actor, host_ids, creator_id)


def can_write_minutes(
    actor: Actor, host_ids: frozenset[int], creator_id: int | None, started: bool
) -> bool:
    """The minutes (compte rendu), published on the workshop page, once it has begun."""
    return started and can_run_workshop(actor, host_ids, creator_id)


def can_mark_absent(
    actor: Actor, host_ids: frozenset[int], creator_id: int | None, ended: bool
) -> bool:
    """Once the workshop is over, record who did not come (registered → no_show)."""
    return ended and can_run_workshop(actor, host_ids, creator_id)


def can_register_workshop(actor: Actor, started: bool) -> bool:
    """Sign up (or join the waiting list): a confirmed participant, before the start."""
    return (
        not started
        and actor.is_authenticated
        and actor.confirmed
        and actor.role in (_PARTICIPATE_EVERYWHERE | _PARTICIPATE_IN_SCOPE)
    )


def workshop_needs_login(actor: Actor, started: bool) -> bool:
    """A visitor could sign up once logged in (the page offers to log in)."""
    return not actor.is_authenticated and not started


def can_cancel_registration(actor: Actor, active: bool, started: bool) -> bool:
    """Give one's place (or one's turn in line) back, until the workshop begins."""
    return actor.is_authenticated and active and not started


# --- assisted accounts and entries on someone's behalf (issue 13) ---------------------
# docs/domain.md#assisted-accounts: a host acts for a person only when the person is
# present and agrees. Staff, facilitators and admins create assisted accounts (at an
# office or a workshop), as do a workshop's hosts while it runs or just after; staff of
# the account's landlord reset its access in person.

_ASSISTING_ROLES = frozenset({Role.STAFF, Role.FACILITATOR, Role.ADMIN})


def can_create_assisted_account(actor: Actor, is_host: bool = False) -> bool:
    """Open an account for a present tenant without e-mail: staff (at an office) or a host."""
    if not actor.is_authenticated:
        return False
    if actor.role in _ASSISTING_ROLES and not actor.organisation_is_partner:
        return True
    return is_host


def can_manage_assisted_account(
    actor: Actor, organisation_id: int | None, created_by_id: int | None
) -> bool:
    """See an assisted account's page and reset its access in person (new claim code):
    admins, the regional association's facilitators, staff and facilitators of its
    landlord, and who created it."""
    if not actor.is_authenticated:
        return False
    if is_admin(actor):
        return True
    if created_by_id is not None and actor.id == created_by_id:
        return True
    if actor.role not in _ASSISTING_ROLES or actor.organisation_is_partner:
        return False
    if actor.role == Role.FACILITATOR and actor.organisation_is_regional:
        return True
    return organisation_id is not None and actor.organisation_id == organisation_id


def can_enter_on_behalf(
    actor: Actor, host_ids: frozenset[int], creator_id: int | None, started: bool
) -> bool:
    """Record ideas, supports and comments for present participants (or the workshop's
    own idea): the workshop's hosts and who runs it, once it has begun."""
    return started and can_run_workshop(actor, host_ids, creator_id)


def can_open_workshop_mode(
    actor: Actor, host_ids: frozenset[int], creator_id: int | None, ended: bool
) -> bool:
    """Open a device in "workshop mode" (per-address limits lifted) until the end."""
    return not ended and can_run_workshop(actor, host_ids, creator_id)


# --- printed material (issue 13) ------------------------------------------------------
# docs/domain.md#printed-material: posters for the entrance hall. Who hands out a thing
# prints its poster: the invitation code's managers, those who run a challenge or a
# workshop, and the landlord manager for her organisation (her halls, her tenants).


def can_choose_invitation_code(actor: Actor) -> bool:
    """Pick a readable code ("COMPAGNONS26") instead of a drawn one: admins only."""
    return is_admin(actor)


def can_print_invitation_poster(actor: Actor, organisation_id: int, partner: bool = False) -> bool:
    """The entrance-hall poster of an invitation code: who manages that code."""
    return can_manage_invitations(actor, organisation_id, partner=partner)


def can_print_for_challenge(actor: Actor, scope: Scope) -> bool:
    """A challenge's posters: who runs it, and the landlord manager of its organisation
    (any landlord manager for a regional challenge: her tenants take part too)."""
    if can_manage_challenge(actor, scope):
        return True
    return (
        actor.role == Role.BAILLEUR
        and not actor.organisation_is_partner
        and (scope.is_regional or scope.organisation_id == actor.organisation_id)
    )


def can_print_vote_poster(actor: Actor, phase: Phase, scope: Scope) -> bool:
    """« Votez jusqu'au … »: while the vote is open."""
    return phase == Phase.VOTING and can_print_for_challenge(actor, scope)


def can_print_results_poster(actor: Actor, phase: Phase, scope: Scope) -> bool:
    """The winners, for the hall: once the vote is closed."""
    return can_view_results(actor, phase, scope) and can_print_for_challenge(actor, scope)


def can_print_workshop_poster(
    actor: Actor,
    host_ids: frozenset[int],
    creator_id: int | None,
    organisation_id: int | None,
) -> bool:
    """A workshop's poster: who runs it, and the landlord manager of the residence it is
    held in (`organisation_id`: None when it is held at an address)."""
    if can_run_workshop(actor, host_ids, creator_id):
        return True
    return (
        actor.role == Role.BAILLEUR
        and organisation_id is not None
        and actor.organisation_id == organisation_id
    )


# --- verified households (issue 13) --------------------------------------------------


def can_issue_dwelling_codes(actor: Actor, organisation_id: int) -> bool:
    """Generate and print a residence's dwelling letters: its landlord manager, admins."""
    if is_admin(actor):
        return True
    return (
        actor.role == Role.BAILLEUR
        and not actor.organisation_is_partner
        and actor.organisation_id == organisation_id
    )


def can_open_dwelling_letters(actor: Actor) -> bool:
    """The dwelling letters page: landlord managers (their residences) and admins."""
    return is_admin(actor) or (actor.role == Role.BAILLEUR and not actor.organisation_is_partner)


# --- votes in person: desks and paper ballots (issue 14) ------------------------------


def can_open_desk(actor: Actor, phase: Phase, scope: Scope) -> bool:
    """Open a voting desk for a vote (and name its assessors): who manages the challenge,
    while the vote is open."""
    return phase == Phase.VOTING and can_manage_challenge(actor, scope)


def can_manage_desk(actor: Actor, scope: Scope) -> bool:
    """Change a desk's assessors, close its urn, settle its count, close its record:
    who manages the challenge, whatever the phase (the count goes on after the vote)."""
    return can_manage_challenge(actor, scope)


def is_desk_assessor(actor: Actor, assessor_ids: frozenset[int]) -> bool:
    """An assessor works at their own desk only (the desk's list, not a role)."""
    return actor.is_authenticated and actor.id in assessor_ids


def can_work_desk(actor: Actor, assessor_ids: frozenset[int], scope: Scope) -> bool:
    """Find participants, record desk ballots, tick paper voters, enter sheets: the desk's
    assessors, and who manages the challenge (who may also stand in)."""
    return is_desk_assessor(actor, assessor_ids) or can_manage_desk(actor, scope)
