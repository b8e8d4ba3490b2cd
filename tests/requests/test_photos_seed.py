"""The demo shows photos drawn with Pillow on two ideas, on a pilot's latest update and
with the minutes of a workshop."""

import io

from PIL import Image
from sqlalchemy import func, select

from ideation.photos.models import Photo, PhotoOwner
from ideation.seed import seed_demo


def test_demo_has_real_looking_photos_on_ideas_and_a_pilot_update(client, db, photo_store):
    seed_demo()
    photos = list(db.session.scalars(select(Photo).order_by(Photo.id)))
    assert [p.owner_kind for p in photos] == [
        PhotoOwner.IDEA,
        PhotoOwner.IDEA,
        PhotoOwner.PILOT_UPDATE,
        PhotoOwner.WORKSHOP,  # with the minutes of the garden workshop
    ]
    for photo in photos:
        assert photo.alt_text and photo.widths == [320, 640, 1024, 1280]
        image = Image.open(io.BytesIO(photo_store.get(photo.key(640))))
        assert image.size == (640, 480) and len(image.getcolors(1 << 20)) > 1000  # not a flat fill
        assert client.get(f"/photos/{photo.token}/640.jpg").status_code == 200
    seed_demo()
    assert db.session.scalar(select(func.count(Photo.id))) == 4
