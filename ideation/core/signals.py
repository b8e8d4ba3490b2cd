"""What areas announce, so that higher areas react without being imported from below.

Blinker signals (Flask ships blinker). Senders pass the object as sender and plain
values as keywords; receivers are connected when the app is built
(`connect_signals()` of each subscribing area, called by the app factory). Receivers
run in the sender's transaction: what they write is committed with the action.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Challenge; keywords: previous (Phase), now (datetime | None)
challenge_phase_changed = _signals.signal("challenge-phase-changed")
# sender: the Idea; keywords: actor (User | None), previous (IdeaStatus), reason (str | None)
idea_status_changed = _signals.signal("idea-status-changed")
# sender: the Idea, once it is public (by moderation or at once without pre-moderation)
idea_published = _signals.signal("idea-published")
# sender: the Challenge; keywords: result (VoteResult), voter_ids (list[int])
vote_closed = _signals.signal("vote-closed")
# sender: the Pilot; keywords: update (PilotUpdate), follower_ids (list[int]), actor (User)
pilot_updated = _signals.signal("pilot-updated")
