from flask import Blueprint

bp = Blueprint("notifications", __name__)

from ideation.notifications import views  # noqa: E402,F401
