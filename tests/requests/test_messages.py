"""Messages to a scope: the scope checked on the server, preview and count before sending,
service messages by each person's preferences, the newsletter only to those who opted in
with one-click unsubscribe, the sending through the outbox in bulk, the audit row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideation.core.audit import AuditEntry
from ideation.domain.roles import OrganisationKind, Role
from ideation.mail.models import Email
from ideation.notifications.models import Delivery, Notification, NotificationKind
from ideation.notifications.services import set_newsletter_consent, set_preference
from ideation.outreach.models import Message
from tests.factories import (
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_regional,
    make_residence,
    make_support,
    make_user,
)
from tests.helpers import link_in, outbox


@pytest.fixture
def town(db):
    org = make_org("Rhône Test")
    a = make_residence(org, name="Les Tilleuls")
    b = make_residence(org, name="Les Acacias")
    other_org = make_org("Autre Bailleur")
    elsewhere = make_residence(other_org, name="Ailleurs")
    people = {
        "immediate": make_user(org=org, residence=a, email="nadia@example.test"),
        "digest": make_user(org=org, residence=a, email="louis@example.test"),
        "never": make_user(org=org, residence=a, email="rose@example.test"),
        "acacias": make_user(org=org, residence=b, email="paul@example.test"),
        "elsewhere": make_user(org=other_org, residence=elsewhere, email="loin@example.test"),
        "inactive": make_user(org=org, residence=a, email="parti@example.test", active=False),
    }
    db.session.flush()
    set_preference(people["immediate"].id, NotificationKind.TEAM_MESSAGE, Delivery.IMMEDIATE)
    set_preference(people["never"].id, NotificationKind.TEAM_MESSAGE, Delivery.NEVER)
    facilitator = make_user(role=Role.FACILITATOR, org=org, email="anim@example.test")
    db.session.commit()
    return {
        "org": org,
        "a": a,
        "b": b,
        "other_org": other_org,
        "far": elsewhere,
        "facilitator": facilitator,
        **people,
    }


def _post(client, **data):
    form = {
        "kind": "service",
        "scope_kind": "residences",
        "subject": "Réunion mardi",
        "body": "Rendez-vous mardi à 18 h dans le hall.",
    }
    form.update(data)
    return client.post("/messages/nouveau", data=form, follow_redirects=True)


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_preview_shows_the_count_and_writes_nothing(client, db, login, town):
    login(town["facilitator"])
    response = _post(client, residence_ids=[town["a"].id], preview="1")
    # Active members of Les Tilleuls: immediate, digest, never (the inactive one is not counted).
    assert "3 personnes recevront ce message" in response.text
    assert "Rendez-vous mardi à 18 h dans le hall." in response.text
    assert "Envoyer à 3 personnes" in response.text
    assert _count(db, Message) == 0 and _count(db, Notification) == 0


def test_service_message_follows_each_persons_preferences(client, db, login, town):
    login(town["facilitator"])
    before = _count(db, Email)
    response = _post(client, residence_ids=[town["a"].id], send="1")
    assert "Message envoyé : 3 personnes" in response.text
    message = db.session.scalar(select(Message))
    assert message.sent_at is not None and message.recipients_count == 3
    notes = {n.user_id: n for n in db.session.scalars(select(Notification))}
    assert set(notes) == {town[k].id for k in ("immediate", "digest", "never")}
    assert notes[town["digest"].id].digest_pending is True
    assert notes[town["never"].id].digest_pending is False
    assert notes[town["immediate"].id].body == "Rendez-vous mardi à 18 h dans le hall."
    # E-mail now only for the one who asked for it; the digest person gets it tomorrow.
    mails = outbox("nadia@example.test")
    assert len(mails) == 1 and mails[0].subject == "Réunion mardi"
    assert mails[0].list_unsubscribe
    assert _count(db, Email) - before == 1
    assert not outbox("rose@example.test") and not outbox("loin@example.test")


def test_sending_is_audited(client, db, login, town):
    login(town["facilitator"])
    _post(client, residence_ids=[town["a"].id, town["b"].id], send="1")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "message.send"))
    assert entry.actor_id == town["facilitator"].id
    assert entry.details["recipients"] == 4 and entry.details["scope"] == "residences"
    assert entry.organisation_id == town["org"].id


def test_organisation_scope_reaches_every_active_member(client, db, login, town):
    login(town["facilitator"])
    _post(client, scope_kind="organisation", organisation_id=town["org"].id, send="1")
    message = db.session.scalar(select(Message))
    # Four tenants and the facilitator herself; not the inactive account, not another landlord.
    assert message.recipients_count == 5


def test_challenge_scope_reaches_its_participants(client, db, login, town):
    challenge = make_challenge(phase="ideation", org=town["org"])
    idea = make_idea(challenge, town["digest"], status="published")
    make_support(idea, town["acacias"])
    make_comment(idea, town["never"])
    db.session.commit()
    login(town["facilitator"])
    response = _post(client, scope_kind="defi", challenge_id=challenge.id, preview="1")
    assert "3 personnes recevront ce message" in response.text


@pytest.mark.parametrize("case", ["other_residence", "other_org", "other_challenge", "none"])
def test_a_scope_one_does_not_manage_is_refused_and_nothing_is_written(
    client, db, login, town, case
):
    login(town["facilitator"])
    data = {
        "other_residence": {"residence_ids": [town["far"].id]},
        "other_org": {"scope_kind": "organisation", "organisation_id": town["other_org"].id},
        "other_challenge": {
            "scope_kind": "defi",
            "challenge_id": make_challenge(phase="ideation", org=town["other_org"]).id,
        },
        "none": {"residence_ids": []},
    }[case]
    db.session.commit()
    response = _post(client, send="1", **data)
    assert response.status_code == 200
    if case == "none":
        assert "Choisissez à qui écrire." in response.text
    else:
        assert (
            "Vous ne pouvez écrire qu&#39;aux personnes des lieux et des défis que vous animez."
            in response.text
        )
    assert _count(db, Message) == 0 and _count(db, Notification) == 0
    assert _count(db, AuditEntry) == 0


def test_too_long_subject_is_refused(client, db, login, town):
    login(town["facilitator"])
    response = _post(client, residence_ids=[town["a"].id], subject="x" * 151, send="1")
    assert "150 caractères au plus." in response.text
    assert _count(db, Message) == 0


@pytest.mark.parametrize("role", ["tenant", "staff", "partner"])
def test_participants_cannot_write(client, db, login, town, role):
    org = town["org"] if role != "partner" else make_org("Amicale", kind=OrganisationKind.PARTNER)
    login(make_user(role=Role.STAFF if role == "partner" else role, org=org))
    response = _post(client, residence_ids=[town["a"].id], send="1")
    assert response.status_code == 403
    assert _count(db, Message) == 0


def test_landlord_manager_writes_to_her_residences_only(client, db, login, town):
    login(make_user(role=Role.BAILLEUR, org=town["org"]))
    page = client.get("/messages/nouveau").text
    assert "Les Tilleuls" in page and "Ailleurs" not in page
    _post(client, residence_ids=[town["b"].id], send="1")
    assert db.session.scalar(select(Message)).recipients_count == 1


def test_regional_facilitator_writes_to_any_landlord(client, db, login, town):
    login(make_user(role=Role.FACILITATOR, org=make_regional()))
    _post(client, residence_ids=[town["far"].id], send="1")
    assert db.session.scalar(select(Message)).recipients_count == 1


def test_newsletter_goes_only_to_those_who_opted_in(client, db, login, town):
    set_newsletter_consent(town["digest"], True)
    set_newsletter_consent(town["acacias"], True)
    db.session.commit()
    login(town["facilitator"])
    response = _post(client, kind="newsletter", residence_ids=[town["a"].id], preview="1")
    assert "1 personne recevra ce message" in response.text
    _post(client, kind="newsletter", residence_ids=[town["a"].id], send="1")
    assert _count(db, Notification) == 0  # e-mail only
    mails = outbox("louis@example.test")
    assert len(mails) == 1 and "/lettre/desabonner/" in mails[0].list_unsubscribe
    assert not outbox("nadia@example.test")


def test_newsletter_with_nobody_subscribed_is_not_sent(client, db, login, town):
    login(town["facilitator"])
    response = _post(client, kind="newsletter", residence_ids=[town["a"].id], send="1")
    assert "Personne ne recevrait ce message" in response.text
    assert _count(db, Message) == 0


def test_one_click_unsubscribe_from_the_newsletter(client, db, login, town):
    set_newsletter_consent(town["digest"], True)
    db.session.commit()
    login(town["facilitator"])
    _post(client, kind="newsletter", residence_ids=[town["a"].id], send="1")
    path = link_in(outbox("louis@example.test")[0], "/lettre/desabonner/")
    client.post("/deconnexion")
    assert "Confirmer le désabonnement" in client.get(path).text
    # RFC 8058: the mail client posts, without a session or a CSRF token.
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(type(town["digest"]), town["digest"].id).newsletter_consent_at is None
    # The link is spent: a new consent makes it worthless too.
    assert client.get(path).status_code == 400


def test_newsletter_box_is_unchecked_and_records_the_time_of_consent(client, db, login, town):
    user = login(town["digest"])
    page = client.get("/notifications/preferences").text
    assert (
        'name="newsletter"' in page
        and "checked" not in page.split('name="newsletter"')[1].split(">")[0]
    )
    data = {f"kind_{k.value}": "digest" for k in NotificationKind}
    client.post("/notifications/preferences", data={**data, "newsletter": "y"})
    db.session.expire_all()
    consented = db.session.get(type(user), user.id).newsletter_consent_at
    assert consented is not None
    assert "avez demandée le" in client.get("/notifications/preferences").text
    client.post("/notifications/preferences", data=data)
    db.session.expire_all()
    assert db.session.get(type(user), user.id).newsletter_consent_at is None


def test_the_job_sends_a_message_once(db, town):
    from ideation.outreach import services

    message = services.create_message(
        town["facilitator"],
        kind=services.MessageKind.SERVICE,
        scope_kind=services.ScopeKind.RESIDENCES,
        ids=[town["a"].id],
        subject="Bonjour",
        body="Texte",
    )
    db.session.commit()  # the job runs inline after the commit (tests: immediate queue)
    assert services.deliver(message.id) is None  # a second run sends nothing
    assert _count(db, Notification) == 3


def test_list_of_sent_messages(client, db, login, town):
    login(town["facilitator"])
    _post(client, residence_ids=[town["a"].id], send="1")
    page = client.get("/messages").text
    assert "Réunion mardi" in page and "Envoyé le" in page and "3 personnes" in page
    client.post("/deconnexion")
    login(make_user(role=Role.BAILLEUR, org=town["other_org"]))
    assert "Réunion mardi" not in client.get("/messages").text


def test_a_house_facilitator_writes_to_the_participants_of_its_challenges(client, db, login, town):
    from tests.factories import make_house

    house_facilitator = make_user(role=Role.FACILITATOR, org=town["org"], email="m@example.test")
    house = make_house(name="La co-production", facilitators=[house_facilitator])
    other_house = make_house(name="Les services de demain")
    challenge = make_challenge(org=town["org"], theme=house)
    idea = make_idea(challenge, town["immediate"], status="published")
    make_support(idea, town["acacias"])
    elsewhere = make_challenge(org=town["org"], theme=other_house)
    make_idea(elsewhere, town["elsewhere"], status="published")
    db.session.commit()
    login(house_facilitator)
    page = _post(client, scope_kind="maison", house_id=house.id, preview="1").text
    assert "2 personnes recevront ce message" in page
    # Another house, not in her charge: refused on the server, nothing written.
    refused = _post(client, scope_kind="maison", house_id=other_house.id, send="1").text
    assert "Vous ne pouvez écrire qu&#39;aux personnes" in refused or (
        "Vous ne pouvez écrire qu'aux personnes" in refused
    )
    assert _count(db, Message) == 0
    _post(client, scope_kind="maison", house_id=house.id, send="1")
    assert _count(db, Message) == 1
