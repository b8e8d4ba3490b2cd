"""The text each site page shows until an administrator rewrites it (Markdown).

`{site_name}`, `{contact}`, `{publisher}`, `{publisher_address}`, `{host}` and
`{statement_date}` are filled from the configuration when the default is shown or
offered for editing; a saved page is shown as saved.
"""

from __future__ import annotations

from ideation.pages.models import SitePageKind

TITLES: dict[str, dict[SitePageKind, str]] = {
    "fr": {
        SitePageKind.ACCESSIBILITY: "Déclaration d'accessibilité",
        SitePageKind.HELP: "Aide : comment ça marche",
        SitePageKind.LEGAL: "Mentions légales",
        SitePageKind.ABOUT: "À propos de la Fabrique",
    },
    "en": {
        SitePageKind.ACCESSIBILITY: "Accessibility statement",
        SitePageKind.HELP: "Help: how it works",
        SitePageKind.LEGAL: "Legal notice",
        SitePageKind.ABOUT: "About the Fabrique",
    },
}

_ACCESSIBILITY_FR = """\
{publisher} s'engage à rendre {site_name} accessible, conformément à l'article 47 de la
loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique à {site_name}.

## État de conformité

{site_name} est **non conforme** au référentiel général d'amélioration de
l'accessibilité (RGAA), version 4.1 : aucun audit RGAA complet n'a encore été réalisé,
le taux de conformité n'est donc pas établi. Les contrôles décrits ci-dessous sont
refaits à chaque modification du logiciel.

## Résultats des tests

- Contrôle automatique avec axe-core (règles WCAG 2.0 et 2.1, niveaux A et AA) de
  chaque page ouverte par les parcours de test : visiteur, locataire, salariée,
  animatrice, responsable bailleur et administratrice, sur un téléphone (360 px de
  large) et sur un ordinateur (1 280 px). Résultat : aucune erreur grave ou critique.
- Contrôles manuels : chaque parcours se fait au clavier seul, sans JavaScript, et
  avec un zoom à 200 %. Le vote classé a une version sans glisser-déposer.

## Contenus non accessibles

- Les textes, photos et documents publiés par les participants : une description de
  chaque photo est demandée, mais sa qualité n'est pas vérifiée.
- Les affiches et documents à imprimer (PDF) ne sont pas balisés pour les lecteurs
  d'écran ; les mêmes informations sont sur les pages du site.
- Les graphiques du tableau de bord sont doublés d'un tableau de chiffres.
- Le site n'a pas encore été testé avec les lecteurs d'écran NVDA, VoiceOver et
  TalkBack : ce sera fait lors du premier audit.

## Établissement de cette déclaration

Déclaration établie le {statement_date}. Technologies utilisées : HTML, CSS,
JavaScript (facultatif : chaque page marche sans). Environnement de test : Chromium
sous Linux, axe-core.

## Retour d'information et contact

Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à {contact} ou
demandez à votre gardien·ne ou à l'équipe d'animation de la Fabrique : nous vous
donnerons l'information sous une autre forme.

## Voies de recours

Si vous nous avez signalé un défaut qui vous empêche d'accéder à un contenu ou à un
service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :

- écrire un message au Défenseur des droits (formulaire sur defenseurdesdroits.fr) ;
- contacter le délégué du Défenseur des droits dans votre région ;
- envoyer un courrier, gratuit, sans timbre : Défenseur des droits, Libre réponse 71120,
  75342 Paris CEDEX 07.
"""

_ACCESSIBILITY_EN = """\
{publisher} is committed to making {site_name} accessible, under article 47 of French
law no. 2005-102 of 11 February 2005. This statement applies to {site_name}.

## Compliance status

{site_name} is **not compliant** with the French accessibility framework (RGAA),
version 4.1: no complete RGAA audit has been carried out yet, so the compliance rate is
not established. The checks below are run again on every change to the software.

## Test results

- Automated check with axe-core (WCAG 2.0 and 2.1 rules, levels A and AA) of every page
  the test journeys open: visitor, tenant, staff, facilitator, landlord manager and
  administrator, on a phone (360 px wide) and on a computer (1,280 px). Result: no
  serious or critical error.
- Manual checks: every journey works with the keyboard alone, without JavaScript, and
  at 200 % zoom. The ranked vote has a version without drag and drop.

## Non-accessible content

- Texts, photos and documents published by participants: a description of each photo
  is required, but its quality is not checked.
- Posters and documents to print (PDF) are not tagged for screen readers; the same
  information is on the site's pages.
- The dashboard's charts come with a table of figures.
- The site has not yet been tested with the NVDA, VoiceOver and TalkBack screen
  readers: this will be done at the first audit.

## How this statement was made

Statement made on {statement_date}. Technologies: HTML, CSS, JavaScript (optional:
every page works without it). Test environment: Chromium on Linux, axe-core.

## Feedback and contact

If you cannot reach some content or service, write to {contact} or ask your caretaker
or the Fabrique's facilitators: we will give you the information in another form.

## Remedies

If you reported a defect that keeps you from some content or service and did not get a
satisfying answer, you can write to the Défenseur des droits (form on
defenseurdesdroits.fr), contact its delegate in your region, or send a free letter, no
stamp needed: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.
"""

_HELP_FR = """\
## La Fabrique en quatre étapes

1. **Un défi est ouvert.** L'équipe d'animation pose une question : « Comment mieux
   accueillir les nouveaux locataires ? ». Chaque défi dit jusqu'à quand on peut
   proposer et voter.
2. **Vous proposez une idée.** Un titre, quelques phrases, c'est tout. L'équipe la relit
   avant de la publier, pour que chacun soit respecté.
3. **Vous soutenez et commentez** les idées des autres. Un soutien, c'est un bouton :
   il dit « je suis d'accord ».
4. **Vous votez.** Les idées retenues sont soumises au vote : vous les classez de votre
   préférée à la moins aimée. Les idées choisies deviennent des projets pilotes, que
   vous suivez sur le site.

## Sans ordinateur

Tout marche sur un téléphone. Vous pouvez aussi venir à un atelier de la Fabrique ou
passer voir votre gardien·ne : on vous aide à participer.

## Votre compte

Pour créer un compte, il faut le code d'invitation affiché dans le hall de votre
résidence. Vos données vous appartiennent : la page « Mes données » les montre toutes,
et vous pouvez supprimer votre compte à tout moment.

## Une question ?

Écrivez à {contact}.
"""

_HELP_EN = """\
## The Fabrique in four steps

1. **A challenge opens.** The facilitators ask a question: "How can we welcome new
   tenants better?". Each challenge says until when you can propose and vote.
2. **You propose an idea.** A title and a few sentences, that's all. The team reads it
   before publishing it, so that everyone is respected.
3. **You support and comment on** other people's ideas. A support is one button: it
   says "I agree".
4. **You vote.** The shortlisted ideas are put to the vote: you rank them from your
   favourite to the one you like least. The chosen ideas become pilot projects, which
   you follow on the site.

## Without a computer

Everything works on a phone. You can also come to a Fabrique workshop or see your
caretaker: someone will help you take part.

## Your account

To create an account you need the invitation code shown in your building's entrance
hall. Your data belongs to you: the "My data" page shows all of it, and you can delete
your account at any time.

## A question?

Write to {contact}.
"""

_LEGAL_FR = """\
## Éditeur

{publisher}, {publisher_address}. Contact : {contact}.

## Hébergement

{host}

## Données personnelles

Ce que la Fabrique garde sur vous, pourquoi et combien de temps est expliqué sur la
page « Données personnelles ». Vous pouvez voir et télécharger vos données, ou
supprimer votre compte, depuis « Mes données ».

## Contenus publiés

Les idées, commentaires et photos sont publiés par leurs auteurs, qui en restent
responsables ; l'équipe d'animation les relit et peut masquer ce qui ne respecte pas
les règles de la Fabrique.

## Logiciel

{site_name} fonctionne avec Fabrique, un logiciel libre.
"""

_LEGAL_EN = """\
## Publisher

{publisher}, {publisher_address}. Contact: {contact}.

## Hosting

{host}

## Personal data

What the Fabrique keeps about you, why and for how long is explained on the "Personal
data" page. You can see and download your data, or delete your account, from "My
data".

## Published content

Ideas, comments and photos are published by their authors, who remain responsible for
them; the facilitators read them and may hide what breaks the Fabrique's rules.

## Software

{site_name} runs on Fabrique, free and open-source software.
"""

_ABOUT_FR = """\
Tous les deux ans, les bailleurs sociaux de la région réunissent leurs équipes, leurs
locataires et leurs partenaires — associations, Compagnons Bâtisseurs, amicales de
locataires — pour inventer ensemble de meilleurs services de proximité : c'est la
Fabrique de la proximité.

## Un FabLab du service

La Fabrique est organisée en « maisons » thématiques : le lien social par l'art et la
culture, les services de demain, l'emploi et l'insertion, la coproduction, les besoins
de chacun et l'éco-responsabilité. C'est « le lieu où les idées se testent et où l'on
vient les chercher » : ce qu'un bailleur expérimente, d'autres le reprennent.

## Sur ce site

Les défis ouverts par l'équipe d'animation, les idées des locataires et des salariés,
les votes, et les projets pilotes suivis en public. Tout ce qui se fait en atelier y
est aussi.
"""

_ABOUT_EN = """\
Every two years, the region's social landlords bring their staff, their tenants and
their partners — associations, the Compagnons Bâtisseurs, tenants' associations —
together to invent better local services: this is the Fabrique de la proximité.

## A FabLab of service

The Fabrique is organised in themed "houses": social ties through art and culture, the
services of tomorrow, employment and integration, co-production, everyone's needs and
eco-responsibility. It is "the place where ideas are tested and where one comes to find
them": what one landlord tries, others take up.

## On this site

The challenges the facilitators open, the ideas of tenants and staff, the votes, and
the pilot projects followed in public. What happens at workshops is here too.
"""

BODIES: dict[str, dict[SitePageKind, str]] = {
    "fr": {
        SitePageKind.ACCESSIBILITY: _ACCESSIBILITY_FR,
        SitePageKind.HELP: _HELP_FR,
        SitePageKind.LEGAL: _LEGAL_FR,
        SitePageKind.ABOUT: _ABOUT_FR,
    },
    "en": {
        SitePageKind.ACCESSIBILITY: _ACCESSIBILITY_EN,
        SitePageKind.HELP: _HELP_EN,
        SitePageKind.LEGAL: _LEGAL_EN,
        SitePageKind.ABOUT: _ABOUT_EN,
    },
}
