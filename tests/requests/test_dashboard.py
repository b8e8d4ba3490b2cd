"""The landlord dashboard: figures equal hand-computed ones, scoped per organisation, constant queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ideation.core.time import today
from ideation.dashboard import aggregates
from ideation.dashboard.services import build
from ideation.domain.pilot_states import PilotStatus
from ideation.domain.roles import Role
from tests.factories import (
    make_ballot,
    make_challenge,
    make_idea,
    make_org,
    make_pilot,
    make_regional,
    make_residence,
    make_support,
    make_user,
)


def _comment(idea, user):
    from ideation.comments.models import Comment
    from ideation.extensions import db

    db.session.add(
        Comment(idea_id=idea.id, author_id=user.id, body_source="x", body_html="<p>x</p>")
    )
    db.session.flush()


@pytest.fixture
def two_landlords(db):
    """Landlord A (hand-counted below) and landlord B (must never show up in A's figures)."""
    a, b = make_org("Bailleur A"), make_org("Bailleur B")
    tilleuls, canuts = make_residence(a, "Les Tilleuls"), make_residence(a, "Les Canuts")
    t1, t2 = make_user(org=a, residence=tilleuls), make_user(org=a, residence=tilleuls)
    t3 = make_user(org=a, residence=canuts)
    manager = make_user(role=Role.BAILLEUR, org=a)
    # A's challenge: 4 ideas sent (1 draft not counted), 2 comments, 2 ballots; vote closed.
    ca = make_challenge(phase="results", org=a, title="Défi A")
    ideas = [
        make_idea(ca, t1, status="not_selected"),
        make_idea(ca, t2, status="selected"),
        make_idea(ca, t3, status="piloted"),
        make_idea(ca, t1, status="published"),
    ]
    make_idea(ca, t1, status="draft")
    make_idea(ca, t2, status="submitted")  # sent, not published
    _comment(ideas[0], t2)
    _comment(ideas[1], t3)
    make_ballot(ca, t1, [ideas[1]])
    make_ballot(ca, t3, [ideas[2]])
    make_support(ideas[3], t3)
    # A regional challenge: t1's idea counts for A, the B tenant's idea for B.
    regional = make_challenge(phase="ideation", org=None, title="Défi régional")
    make_idea(regional, t1, status="published")
    tb = make_user(org=b, residence=make_residence(b))
    make_idea(regional, tb, status="published")
    # B's own challenge and pilot.
    cb = make_challenge(phase="ideation", org=b, title="Défi B")
    make_idea(cb, tb, status="published")
    make_pilot(b, status="running", budget_planned="999.99", planned_end=date(2000, 1, 1))
    # A's pilots: one per status, budgets in exact cents, one overdue.
    past = today() - timedelta(days=10)
    pilots = {
        "proposed": make_pilot(
            a, idea=ideas[2], status="proposed", budget_planned="100.10", budget_spent="0.01"
        ),
        "running": make_pilot(
            a,
            status="running",
            budget_planned="2000.00",
            budget_spent="1500.55",
            planned_end=past,
            title="Pilote en retard",
        ),
        "evaluating": make_pilot(a, status="evaluating", budget_planned="0.20", planned_end=past),
        "generalised": make_pilot(
            a, status="generalised", budget_planned="300.00", budget_spent="299.99"
        ),
    }
    db.session.commit()
    aggregates.refresh()
    db.session.commit()
    return {
        "a": a,
        "ideas": ideas,
        "t1": t1,
        "b": b,
        "manager": manager,
        "pilots": pilots,
        "tilleuls": tilleuls,
        "canuts": canuts,
    }


def test_figures_match_the_hand_count(db, two_landlords):
    w = two_landlords
    board = build(w["a"].id, today())
    # Accounts of A: t1, t2, t3, manager, and the authors the pilot factory made (3 pilots without idea).
    assert board.accounts == 4 + 3
    by_title = {c.title: c for c in board.challenges}
    assert by_title["Défi A"].ideas == 5  # four sent + one submitted; the draft is not counted
    assert by_title["Défi A"].comments == 2 and by_title["Défi A"].ballots == 2
    assert by_title["Défi A"].turnout == (Decimal(2) * 100 / 7).quantize(Decimal("0.1"))
    assert by_title["Défi régional"].ideas == 1  # only A's tenant's idea
    assert "Défi B" not in by_title
    assert board.ideas == 5 + 1 + 3  # + the ideas the pilot factory made in A's challenges
    assert board.comments == 2 and board.ballots == 2
    assert board.active == 3 + 3  # t1, t2, t3 + the factory's authors (ideas created now)
    rows = {r.label.split(" (")[0]: r for r in board.residences}
    assert rows["Les Tilleuls"].accounts == 2 and rows["Les Tilleuls"].ideas == 5
    assert rows["Les Canuts"].accounts == 1 and rows["Les Canuts"].comments == 1
    assert rows["Les Canuts"].ballots == 1
    funnel = dict(board.funnel)
    # A's ideas: 5 in Défi A + 1 regional + 3 factory ideas (piloted).
    assert funnel == {
        "ideas": 9,
        "published": 8,
        "shortlisted": 6,
        "selected": 5,
        "pilots": 4,
        "generalised": 1,
    }
    assert board.pilots_by_status == {
        PilotStatus.PROPOSED: 1,
        PilotStatus.RUNNING: 1,
        PilotStatus.EVALUATING: 1,
        PilotStatus.GENERALISED: 1,
    }
    assert [p.title for p in board.overdue] == ["Pilote en retard"]
    assert board.budget_planned == Decimal("2400.30") and board.budget_spent == Decimal("1800.55")
    assert board.budgets[0].budget_planned == Decimal("2000.00")


def test_regional_level_sees_every_landlord(db, two_landlords):
    board = build(None, today())
    assert sum(board.pilots_by_status.values()) == 5
    assert board.budget_planned == Decimal("2400.30") + Decimal("999.99")
    assert len(board.overdue) == 2


def test_dashboard_page_shows_charts_with_tables(client, db, login, two_landlords):
    login(two_landlords["manager"])
    page = client.get("/tableau-de-bord/")
    assert page.status_code == 200
    text = page.text
    assert text.count('role="img"') >= 5 and text.count("<table") >= 5
    assert "Pilote en retard" in text and "Bailleur A" in text
    assert "Défi B" not in text and "999,99" not in text


@pytest.mark.parametrize("role", [Role.BAILLEUR, Role.FACILITATOR])
def test_a_landlords_people_cannot_look_at_another_organisation(
    client, db, login, two_landlords, role
):
    w = two_landlords
    login(make_user(role=role, org=w["a"]))
    assert client.get(f"/tableau-de-bord/?organisation={w['b'].id}").status_code == 403
    assert client.get(f"/tableau-de-bord/?organisation={w['a'].id}").status_code == 200
    assert client.get("/tableau-de-bord/?organisation=abc").status_code == 400


def test_regional_facilitator_picks_an_organisation(client, db, login, two_landlords):
    w = two_landlords
    login(make_user(role=Role.FACILITATOR, org=make_regional()))
    everyone = client.get("/tableau-de-bord/").text
    assert "Défi B" in everyone and "Défi A" in everyone
    only_b = client.get(f"/tableau-de-bord/?organisation={w['b'].id}").text
    assert "Défi B" in only_b and "Défi A" not in only_b


@pytest.mark.parametrize("role", ["tenant", "staff"])
def test_tenants_and_staff_have_no_dashboard(client, db, as_role, role):
    as_role(role)
    assert client.get("/tableau-de-bord/").status_code == 403


def _grow(org, n):
    """n more tenants, ideas, comments, ballots and pilots for `org`."""
    residence = make_residence(org)
    challenge = make_challenge(phase="results", org=org)
    for _ in range(n):
        user = make_user(org=org, residence=residence)
        idea = make_idea(challenge, user, status="selected")
        _comment(idea, user)
        make_ballot(challenge, user, [idea])
        make_pilot(org, status="running", planned_end=date(2001, 1, 1))


def test_dashboard_queries_do_not_grow_with_the_data(client, db, login, count_queries):
    org = make_org()
    manager = make_user(role=Role.BAILLEUR, org=org)
    _grow(org, 2)
    aggregates.refresh()
    login(manager)
    client.get("/tableau-de-bord/")
    with count_queries() as small:
        assert client.get("/tableau-de-bord/").status_code == 200
    _grow(org, 25)
    aggregates.refresh()
    db.session.commit()
    with count_queries() as large:
        page = client.get("/tableau-de-bord/")
        assert page.status_code == 200
    assert large.count == small.count, (small.count, large.count)
    # 27 selected ideas and the 27 the pilot factory made: the larger figures were read.
    assert build(org.id, today()).ideas == 54
    # 15 before issue 12; participation rates add six queries and adoptions one.
    assert small.count <= 22


def test_figures_come_from_the_summary_until_it_is_refreshed(db, two_landlords):
    w = two_landlords
    t1 = w["t1"]
    ca = w["ideas"][0].challenge
    make_idea(ca, t1, status="published")
    db.session.commit()
    assert build(w["a"].id, today()).ideas == 9  # as of the last refresh
    aggregates.refresh()
    db.session.commit()
    board = build(w["a"].id, today())
    assert board.ideas == 10 and dict(board.funnel)["published"] == 9
    assert board.refreshed_at is not None


def test_the_refresh_job_recounts_the_summary(db, two_landlords):
    from ideation.dashboard.aggregates import refresh_dashboard

    w = two_landlords
    _comment(w["ideas"][3], w["t1"])
    db.session.commit()
    refresh_dashboard()  # inline: the tests' queue is immediate
    db.session.expire_all()
    assert build(w["a"].id, today()).comments == 3


def test_a_commit_that_moves_a_figure_asks_for_one_refresh(db, two_landlords, monkeypatch):
    asked = []
    monkeypatch.setattr(aggregates, "request_refresh", lambda: asked.append(1))
    w = two_landlords
    make_idea(w["ideas"][0].challenge, w["t1"], status="published")
    make_idea(w["ideas"][0].challenge, w["t1"], status="published")
    assert asked == []  # nothing before the commit
    db.session.commit()
    assert len(asked) >= 1
    asked.clear()
    db.session.add(make_org("Sans activité"))
    db.session.commit()
    assert asked == []  # an organisation alone moves no count


def test_a_refresh_request_is_pending_once(db, monkeypatch):
    from ideation.core.queue import huey
    from ideation.dashboard.aggregates import refresh_dashboard

    scheduled = []
    monkeypatch.setattr(refresh_dashboard, "schedule", lambda **kw: scheduled.append(kw))
    huey.get(aggregates.PENDING_KEY)
    aggregates.request_refresh()
    aggregates.request_refresh()
    assert scheduled == [{"delay": aggregates.REFRESH_DELAY_SECONDS}]
    aggregates.clear_pending()
    aggregates.request_refresh()
    assert len(scheduled) == 2
    huey.get(aggregates.PENDING_KEY)


def test_a_date_range_counts_only_its_days(db, two_landlords):
    from ideation.extensions import db as _db
    from ideation.ideas.models import Idea

    w = two_landlords
    old = w["ideas"][0]
    _db.session.get(Idea, old.id).created_at = old.created_at - timedelta(days=400)
    _db.session.commit()
    aggregates.refresh()
    _db.session.commit()
    day = today()
    everything = build(w["a"].id, day)
    recent = build(w["a"].id, day, since=day - timedelta(days=30), until=day + timedelta(days=1))
    assert everything.ideas == 9 and recent.ideas == 8
    assert dict(recent.funnel)["ideas"] == 8
    assert recent.accounts == everything.accounts  # accounts are always as of now
    long_ago = build(
        w["a"].id, day, since=day - timedelta(days=500), until=day - timedelta(days=300)
    )
    assert long_ago.ideas == 1 and long_ago.comments == 0


def test_dashboard_page_filters_by_dates(client, db, login, two_landlords):
    login(two_landlords["manager"])
    assert client.get("/tableau-de-bord/?du=2000-01-01&au=2000-12-31").status_code == 200
    assert client.get("/tableau-de-bord/?du=hier").status_code == 400


def test_a_never_counted_summary_is_counted_on_the_first_view(client, db, login, two_landlords):
    from ideation.dashboard.models import DashboardRefresh
    from ideation.extensions import db as _db

    _db.session.query(DashboardRefresh).delete()
    _db.session.commit()
    login(two_landlords["manager"])
    page = client.get("/tableau-de-bord/")
    assert page.status_code == 200
    assert "Pilote en retard" in page.text
    assert _db.session.query(DashboardRefresh).count() == 1


def test_a_refresh_request_works_on_the_sqlite_queue_of_make_run(db, monkeypatch, tmp_path):
    """Huey's SQLite storage keeps no expiry (put_if_empty with a ttl raises there): the
    request still asks for one refresh, once, instead of failing after every commit."""
    from huey import SqliteHuey

    from ideation.dashboard.aggregates import refresh_dashboard

    monkeypatch.setattr(aggregates, "huey", SqliteHuey(filename=str(tmp_path / "queue.db")))
    scheduled = []
    monkeypatch.setattr(refresh_dashboard, "schedule", lambda **kw: scheduled.append(kw))
    aggregates.request_refresh()
    aggregates.request_refresh()
    assert scheduled == [{"delay": aggregates.REFRESH_DELAY_SECONDS}]
    aggregates.clear_pending()
    aggregates.request_refresh()
    assert len(scheduled) == 2


def test_participation_rates_per_residence_edition_and_house(client, db, login):
    """Participants per 100 dwellings, counted once each, in the page and in the export."""
    from tests.factories import make_edition, make_house

    org = make_org("Rhône Habitat")
    residence = make_residence(org, "Les Tilleuls")
    residence.dwellings = 200
    edition = make_edition("Fabrique 2026")
    house = make_house(edition, "Co-production")
    challenge = make_challenge(phase="ideation", org=org, theme=house, edition=edition)
    for _ in range(3):
        author = make_user(org=org, residence=residence)
        idea = make_idea(challenge, author)
        _comment(idea, author)  # a second act by the same person: still one participant
    aggregates.refresh()
    login(make_user(role=Role.BAILLEUR, org=org))
    text = client.get(f"/tableau-de-bord/?edition={edition.id}").text
    assert "Taux de participation par résidence" in text and "1,5 %" in text
    export = client.get(f"/tableau-de-bord/export/participation.json?edition={edition.id}")
    rows = {(r["niveau"], r["nom"]): r for r in export.json["rows"]}
    assert rows[("Résidence", "Les Tilleuls (Villeurbanne)")]["participants"] == 3
    assert rows[("Résidence", "Les Tilleuls (Villeurbanne)")]["taux"] == "1.5"
    assert rows[("Édition", "Fabrique 2026")]["participants"] == 3
    assert rows[("Maison", "Co-production")]["participants"] == 3
    csv = client.get("/tableau-de-bord/export/participation.csv?du=2000-01-01&au=2000-01-02").text
    assert "Taux de participation (%)" in csv and "Les Tilleuls (Villeurbanne);0;200;0,0" in csv
    assert client.get("/tableau-de-bord/export/participation.csv?du=hier").status_code == 400


def test_participation_rates_come_from_the_summary_and_equal_the_live_count(db):
    """Without dates the rates are the refresh job's (no scan of the activity per view);
    they equal what the activity itself says, for each organisation, for every
    organisation and per edition, and move only when the summary is refreshed."""
    from ideation.dashboard import participation
    from tests.factories import make_edition, make_house

    far = (date(2000, 1, 1), date(2100, 1, 1))  # a date range: counted live
    first, second = make_org("Rhône Habitat"), make_org("Alpes Logement")
    editions = [make_edition("Fabrique 2024"), make_edition("Fabrique 2026")]
    houses = [make_house(editions[0], "Co-production"), make_house(editions[1], "Rénover")]
    people, residences = [], []
    for n, org in enumerate((first, second, first)):
        residence = make_residence(org, f"Résidence {n}")
        residences.append(residence)
        challenge = make_challenge(
            phase="ideation", org=org, theme=houses[n % 2], edition=editions[n % 2]
        )
        for k in range(n + 2):
            author = make_user(org=org, residence=residence)
            people.append(author)
            idea = make_idea(challenge, author)
            if k % 2:
                _comment(idea, people[0])  # someone active in two challenges
    aggregates.refresh()

    def figures(rates):
        return (
            [(r.label, r.participants) for r in rates.residences],
            [(r.label, r.participants) for r in rates.editions],
            [(r.label, r.participants) for r in rates.houses],
        )

    for org_id in (first.id, second.id, None):
        for edition_id in (None, editions[0].id, editions[1].id):
            summary = participation.build(org_id, edition_id=edition_id)
            live = participation.build(org_id, *far, edition_id=edition_id)
            assert figures(summary) == figures(live), (org_id, edition_id)
    everyone = participation.build(None)
    assert sum(r.participants for r in everyone.residences) == len(people)
    # 2 + 4 authors in the 2024 challenges; 3 in 2026, and the first author who commented there.
    assert sorted(r.participants for r in everyone.editions) == [4, 6]

    # New activity shows once the summary is recounted, not before.
    newcomer = make_user(org=second, residence=residences[1])
    make_idea(make_challenge(phase="ideation", org=second), newcomer)
    before = figures(participation.build(None))
    assert figures(participation.build(None, *far)) != before
    aggregates.refresh()
    assert figures(participation.build(None)) == figures(participation.build(None, *far))
