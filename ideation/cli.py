"""Thin command-line commands: seed-demo, create-user, and the cron alternative to the
queue's periodic jobs (outbox send, notifications digest, challenges advance)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup


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
        from sqlalchemy import select

        from ideation.auth.passwords import password_errors
        from ideation.auth.services import create_account, find_user_by_email
        from ideation.domain.roles import Role
        from ideation.extensions import db
        from ideation.orgs.models import Organisation

        org = db.session.scalar(select(Organisation).where(Organisation.slug == org_slug))
        if org is None:
            raise click.ClickException(f"Organisation inconnue : {org_slug}")
        if find_user_by_email(email):
            raise click.ClickException("Un compte existe déjà avec cette adresse.")
        errors = password_errors(password, display_name, email)
        if errors:
            raise click.ClickException(" ".join(errors))
        from flask import current_app

        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            user = create_account(
                email=email,
                display_name=display_name,
                password=password,
                organisation=org,
                role=Role(role),
            )
            user.email_verified = True
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
        from ideation.routines import send_outbox

        sent, failed = send_outbox(batch=limit, budget_seconds=50 if drain else 0)
        click.echo(f"{sent} e-mail(s) envoyé(s), {failed} échec(s).")

    app.cli.add_command(outbox)

    notifications = AppGroup("notifications", help="Les notifications des participant·es.")

    @notifications.command("digest")
    def notifications_digest() -> None:
        """Envoie à chacun le résumé de ses notifications en attente (à lancer chaque jour)."""
        from ideation.routines import send_digests

        count = send_digests()
        click.echo(f"{count} résumé(s) mis dans la file d'envoi.")

    app.cli.add_command(notifications)

    challenges = AppGroup("challenges", help="Les défis.")

    @challenges.command("advance")
    def challenges_advance() -> None:
        """Enregistre la phase de chaque défi selon son calendrier (à lancer par cron)."""
        from ideation.routines import advance_challenges

        moved = advance_challenges()
        for slug, phase in moved:
            click.echo(f"{slug} : {phase.value}")
        click.echo(f"{len(moved)} défi(s) changé(s) de phase.")

    app.cli.add_command(challenges)

    from ideation.privacy.cli import accounts

    app.cli.add_command(accounts)
