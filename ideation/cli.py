"""Thin command-line commands: seed-demo, create-user, and the cron alternative to the
queue's periodic jobs (outbox send, notifications digest, challenges advance)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from ideation.auth.passwords import password_errors
from ideation.auth.services import create_account, find_user_by_email
from ideation.core.links import site_links
from ideation.doctor import examine
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.orgs.models import Organisation
from ideation.routines import (
    INACTIVE_DAYS,
    INACTIVE_GRACE_DAYS,
    advance_challenges,
    anonymise_inactive_accounts,
    remind_workshops,
    send_digests,
    send_outbox,
    warn_inactive_accounts,
)

# `flask accounts …`: the retention of inactive accounts (the queue runs it daily; these
# commands are the cron alternative, see ideation/tasks.py).
accounts = AppGroup("accounts", help="Les comptes des participant·es (durée de conservation).")


@accounts.command("warn-inactive")
@click.option(
    "--days",
    default=INACTIVE_DAYS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours sans connexion avant l'avertissement.",
)
@click.option(
    "--grace",
    default=INACTIVE_GRACE_DAYS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours laissés pour se reconnecter (annoncés dans l'e-mail).",
)
def warn_inactive_command(days: int, grace: int) -> None:
    """Prévient par e-mail les comptes sans connexion depuis DAYS jours (une seule fois)."""
    count = warn_inactive_accounts(days, grace)
    click.echo(f"{count} compte(s) prévenu(s).")


@accounts.command("anonymise-inactive")
@click.option(
    "--days",
    default=INACTIVE_DAYS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours sans connexion.",
)
@click.option(
    "--grace",
    default=INACTIVE_GRACE_DAYS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Jours écoulés depuis l'avertissement.",
)
def anonymise_inactive_command(days: int, grace: int) -> None:
    """Anonymise les comptes prévenus il y a plus de GRACE jours et toujours inactifs."""
    count = anonymise_inactive_accounts(days, grace)
    click.echo(f"{count} compte(s) anonymisé(s).")


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option(
        "--if-empty", is_flag=True, help="Ne rien faire si la base contient déjà des données."
    )
    @click.option(
        "--scale",
        type=click.FloatRange(min=0, min_open=True, max=10),
        default=None,
        help=(
            "Ajouter une grande installation générée, proportionnelle à N : N = 1 donne "
            "100 000 comptes, 11 190 idées, 111 000 soutiens, 111 000 commentaires et deux "
            "votes de 100 000 bulletins classant 20 idées (l'un clos, l'autre ouvert) ; "
            "N = 0,01 en donne 1 %. Insertion en masse, moins d'une minute à N = 1."
        ),
    )
    def seed_demo_command(if_empty: bool, scale: float | None) -> None:
        """Remplit la base avec l'installation de démonstration (idempotent)."""
        from ideation.seed import database_is_empty, seed_demo

        if if_empty and not database_is_empty():
            click.echo("La base contient déjà des données : démo non rechargée.")
            return
        seed_demo()
        click.echo("Démo prête.")
        if scale is not None:
            from ideation.seed.scale import seed_scale

            if seed_scale(scale) is None:
                click.echo("L'installation à l'échelle existe déjà : rien d'ajouté.")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.argument("display_name")
    @click.option(
        "--role",
        default="admin",
        type=click.Choice(["tenant", "staff", "facilitator", "bailleur", "admin"]),
    )
    @click.option(
        "--organisation", "org_slug", required=True, help="Identifiant court de l'organisation"
    )
    @click.password_option()
    def create_user_command(
        email: str, display_name: str, role: str, org_slug: str, password: str
    ) -> None:
        """Crée un compte (par exemple le premier administrateur en production)."""

        org = db.session.scalar(select(Organisation).where(Organisation.slug == org_slug))
        if org is None:
            raise click.ClickException(f"Organisation inconnue : {org_slug}")
        if find_user_by_email(email):
            raise click.ClickException("Un compte existe déjà avec cette adresse.")
        errors = password_errors(password, display_name, email)
        if errors:
            raise click.ClickException(" ".join(errors))
        with site_links():
            user = create_account(
                email=email,
                display_name=display_name,
                password=password,
                organisation=org,
                role=Role(role),
                verified=True,
            )
            db.session.commit()
        click.echo(f"Compte {user.email} créé ({role}).")

    outbox = AppGroup("outbox", help="La file des e-mails sortants.")

    @outbox.command("send")
    @click.option("--limit", default=200, show_default=True, help="E-mails par lot.")
    @click.option(
        "--all",
        "drain",
        is_flag=True,
        help="Enchaîner les lots jusqu'à vider la file (au plus 50 secondes).",
    )
    def outbox_send(limit: int, drain: bool) -> None:
        """Envoie les e-mails en attente par SMTP, avec reprises espacées.

        Sans danger en parallèle : chaque envoi réserve ses e-mails (jamais deux fois)."""
        sent, failed = send_outbox(batch=limit, budget_seconds=50 if drain else 0)
        click.echo(f"{sent} e-mail(s) envoyé(s), {failed} échec(s).")

    app.cli.add_command(outbox)

    notifications = AppGroup("notifications", help="Les notifications des participant·es.")

    @notifications.command("digest")
    def notifications_digest() -> None:
        """Envoie à chacun le résumé de ses notifications en attente (à lancer chaque jour)."""
        count = send_digests()
        click.echo(f"{count} résumé(s) mis dans la file d'envoi.")

    app.cli.add_command(notifications)

    challenges = AppGroup("challenges", help="Les défis.")

    @challenges.command("advance")
    def challenges_advance() -> None:
        """Enregistre la phase de chaque défi selon son calendrier (à lancer par cron)."""
        moved = advance_challenges()
        for slug, phase in moved:
            click.echo(f"{slug} : {phase.value}")
        click.echo(f"{len(moved)} défi(s) changé(s) de phase.")

    app.cli.add_command(challenges)

    workshops = AppGroup("workshops", help="Les ateliers.")

    @workshops.command("remind")
    def workshops_remind() -> None:
        """Envoie le rappel de la veille aux inscrit·es des ateliers (à lancer par cron)."""
        count = remind_workshops()
        click.echo(f"{count} rappel(s) envoyé(s).")

    app.cli.add_command(workshops)

    app.cli.add_command(accounts)

    @app.cli.command("doctor")
    def doctor_command() -> None:
        """Vérifie l'installation de production : réglages et parties joignables."""
        findings = examine(app)
        marks = {"ok": "ok        ", "attention": "ATTENTION ", "erreur": "ERREUR    "}
        for finding in findings:
            click.echo(f"{marks[finding.level]} {finding.topic} : {finding.text}")
        errors = sum(1 for f in findings if f.level == "erreur")
        if errors:
            click.echo(f"{errors} erreur(s) à corriger avant d'ouvrir le site.")
            raise SystemExit(1)
        click.echo("Rien de bloquant.")
