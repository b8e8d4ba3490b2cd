"""Imports every area's models so Alembic and `flask shell` see them all."""

from ideation.assisted.models import AssistedAccount  # noqa: F401
from ideation.auth.models import User, UserSession  # noqa: F401
from ideation.challenges.models import Challenge, Theme, challenge_residences  # noqa: F401
from ideation.comments.models import Comment  # noqa: F401
from ideation.core.audit import AuditEntry  # noqa: F401
from ideation.dashboard.models import (  # noqa: F401
    DashboardActive,
    DashboardCount,
    DashboardRefresh,
)
from ideation.desks.models import PaperSheet, SheetEntry, VoteDesk, desk_assessors  # noqa: F401
from ideation.fabrique.models import Edition, House, house_facilitators  # noqa: F401
from ideation.ideas.models import (  # noqa: F401
    Idea,
    IdeaAnswer,  # noqa: F401
    IdeaRevision,
    Support,
)
from ideation.mail.models import Email  # noqa: F401
from ideation.moderation.models import Report  # noqa: F401
from ideation.notifications.models import Notification, NotificationPreference  # noqa: F401
from ideation.orgs.models import Invitation, Organisation, Residence  # noqa: F401
from ideation.outreach.models import Message  # noqa: F401
from ideation.pages.models import SitePage  # noqa: F401
from ideation.photos.models import Photo  # noqa: F401
from ideation.pilots.models import (  # noqa: F401
    Indicator,
    IndicatorValue,
    Pilot,
    PilotFollower,
    PilotIdea,
    PilotUpdate,
    VolunteerOffer,
    pilot_partners,
)
from ideation.voting.models import Ballot, VoteResult, VoterMark  # noqa: F401
from ideation.workshops.models import (  # noqa: F401
    Workshop,
    WorkshopRegistration,
    workshop_challenges,
    workshop_hosts,
)
