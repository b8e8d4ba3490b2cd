"""The demo's photos, drawn with Pillow (no network, no file shipped) and attached through
the photos area's services, as a tenant's or a manager's upload would be: checked,
re-encoded, resized. An owner that already has a photo gets none again."""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter
from sqlalchemy import select

from ideation.auth.models import User
from ideation.extensions import db
from ideation.photos import services as photo_services
from ideation.photos.models import PhotoOwner
from ideation.pilots.models import Pilot, PilotUpdate
from ideation.seed import common

WIDTH, HEIGHT = 1280, 960


def _sky_and_ground(draw: ImageDraw.ImageDraw, rng: random.Random, ground: tuple) -> None:
    for y in range(HEIGHT // 2):
        shade = 235 - y * 60 // (HEIGHT // 2)
        draw.line([(0, y), (WIDTH, y)], fill=(shade - 40, shade - 10, 250))
    draw.rectangle([0, HEIGHT // 2, WIDTH, HEIGHT], fill=ground)


def _building(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, floors: int) -> None:
    top = HEIGHT // 2 - floors * 70
    draw.rectangle(
        [x, top, x + 300, HEIGHT * 3 // 4], fill=(214, 196, 170), outline=(150, 130, 110)
    )
    for floor in range(floors):
        for column in range(4):
            lit = rng.random() < 0.3
            left, upper = x + 25 + column * 70, top + 20 + floor * 70
            draw.rectangle(
                [left, upper, left + 40, upper + 40],
                fill=(250, 220, 140) if lit else (90, 120, 150),
                outline=(240, 240, 240),
            )


def garden(rng: random.Random) -> Image.Image:
    """Raised beds at the foot of two towers."""
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky_and_ground(draw, rng, (96, 150, 70))
    _building(draw, rng, 120, 6)
    _building(draw, rng, 820, 5)
    for n in range(5):
        left = 80 + n * 240
        draw.rectangle([left, 760, left + 200, 860], fill=(120, 80, 45), outline=(80, 50, 30))
        for _ in range(40):
            cx, cy = left + rng.randrange(10, 190), 740 + rng.randrange(0, 40)
            draw.ellipse(
                [cx - 12, cy - 12, cx + 12, cy + 12], fill=(40, 120 + rng.randrange(60), 40)
            )
    return image


def bins(rng: random.Random) -> Image.Image:
    """The bin room: yellow and green bins under a strip light, posters on the wall."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (188, 184, 176))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 700, WIDTH, HEIGHT], fill=(120, 118, 112))
    draw.rectangle([500, 40, 780, 60], fill=(255, 255, 235))
    for n, colour in enumerate([(235, 200, 40), (235, 200, 40), (60, 140, 70), (90, 90, 90)]):
        left = 120 + n * 270
        draw.rounded_rectangle([left, 420, left + 210, 820], 18, fill=colour, outline=(40, 40, 40))
        draw.rectangle([left - 10, 400, left + 220, 440], fill=tuple(c - 30 for c in colour))
    for n in range(3):
        left = 180 + n * 330
        draw.rectangle([left, 120, left + 220, 330], fill=(250, 250, 245), outline=(60, 60, 60))
        draw.ellipse([left + 60, 150, left + 160, 250], fill=(220, 80 + n * 50, 60))
        draw.rectangle([left + 30, 270, left + 190, 290], fill=(60, 90, 160))
    return image


def workshop(rng: random.Random) -> Image.Image:
    """Neighbours around a table under a marquee (a pilot's event)."""
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky_and_ground(draw, rng, (150, 150, 140))
    _building(draw, rng, 480, 6)
    draw.polygon([(150, 420), (1130, 420), (1050, 320), (230, 320)], fill=(220, 60, 60))
    draw.rectangle([200, 640, 1080, 680], fill=(150, 100, 60))
    for n in range(9):
        cx = 240 + n * 100
        colour = (rng.randrange(40, 220), rng.randrange(40, 220), rng.randrange(40, 220))
        draw.ellipse([cx - 28, 500, cx + 28, 556], fill=(230, 190, 160))
        draw.rounded_rectangle([cx - 38, 560, cx + 38, 700], 16, fill=colour)
    return image


def _jpeg(draw_scene: Callable[[random.Random], Image.Image], seed: int) -> bytes:
    rng = random.Random(seed)
    image = draw_scene(rng)
    grain = Image.effect_noise((WIDTH, HEIGHT), 18).convert("RGB")
    image = Image.blend(image, grain, 0.06).filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


# (challenge slug, idea title, scene, alternative text)
IDEA_PHOTOS = [
    (
        "jardins-partages",
        "Un jardin partagé au pied des tours",
        garden,
        "Des bacs potagers en bois au pied de deux immeubles, sur la pelouse",
    ),
    (
        "proprete-parties-communes",
        "Des affiches rigolotes dans le local poubelles",
        bins,
        "Le local poubelles : bacs jaunes et verts, affiches dessinées au mur",
    ),
]
# (pilot title, scene, alternative text): on the pilot's latest update.
PILOT_PHOTOS = [
    (
        "Fête des voisins aux Tilleuls",
        workshop,
        "Des voisins autour d'une grande table sous un barnum rouge, devant la résidence",
    ),
]


def _attach(kind: PhotoOwner, owner_id: int, uploader: User, data: bytes, alt: str) -> None:
    if photo_services.count_of(kind, owner_id):
        return
    prepared = photo_services.prepare(data)
    photo = photo_services.attach(kind, owner_id, uploader, prepared, alt)
    # The smaller widths now, so the demo's pages use them before any worker runs
    # (the queued job finds them made and writes nothing).
    photo_services.finish_variants(photo)


def attach_drawn(
    kind: PhotoOwner,
    owner_id: int,
    uploader: User,
    scene: Callable[[random.Random], Image.Image],
    seed: int,
    alt: str,
) -> None:
    """A drawn photo on any owner, once (the workshops' minutes use it)."""
    _attach(kind, owner_id, uploader, _jpeg(scene, seed), alt)


def seed_photos() -> None:
    """A few photos on demo ideas and on a pilot's update."""
    for n, (slug, title, scene, alt) in enumerate(IDEA_PHOTOS):
        idea = common.idea(slug, title)
        if idea is None or idea.author is None:
            continue
        _attach(PhotoOwner.IDEA, idea.id, idea.author, _jpeg(scene, n), alt)
    for n, (title, scene, alt) in enumerate(PILOT_PHOTOS):
        pilot = db.session.scalar(select(Pilot).where(Pilot.title == title))
        if pilot is None:
            continue
        update = db.session.scalar(
            select(PilotUpdate)
            .where(PilotUpdate.pilot_id == pilot.id)
            .order_by(PilotUpdate.happened_on.desc(), PilotUpdate.id.desc())
        )
        if update is None or update.author is None:
            continue
        _attach(PhotoOwner.PILOT_UPDATE, update.id, update.author, _jpeg(scene, 10 + n), alt)
    db.session.flush()
