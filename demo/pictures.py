"""Pictures and documents for the demo, drawn here with Pillow: scenes made of shapes,
colours and text. Never a photograph, never a face: the demo must not contain images of real
children, and anything copied from elsewhere could be exactly that."""

import functools
import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

# Modest on purpose: big enough to go through the real pipeline (re-encode, display size,
# thumbnail), small enough to seed in seconds.
WIDTH, HEIGHT = 1600, 1200

SCENES = (
    "playground",
    "craft",
    "autumn",
    "sports",
    "garden",
    "science",
    "reading",
    "drawing",
    "winter",
    "beach",
    "music",
    "camping",
)


def _font(size: int):
    # Pillow's own scalable font: no system font, so the pictures are the same everywhere.
    return ImageFont.load_default(size=size)


def _sky(draw, top, bottom, rng):
    for y in range(HEIGHT):
        t = y / HEIGHT
        draw.line(
            [(0, y), (WIDTH, y)],
            fill=tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3)),
        )


def _clouds(draw, rng, count=4):
    for _ in range(count):
        x, y = rng.randint(0, WIDTH), rng.randint(40, 320)
        for dx, dy, r in ((0, 0, 60), (60, -25, 70), (130, 0, 55), (65, 20, 60)):
            draw.ellipse([x + dx - r, y + dy - r, x + dx + r, y + dy + r], fill=(250, 250, 252))


def _sun(draw, x, y, r=90):
    draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 214, 64))
    for n in range(12):
        a = n * math.pi / 6
        draw.line(
            [
                (x + math.cos(a) * (r + 20), y + math.sin(a) * (r + 20)),
                (x + math.cos(a) * (r + 70), y + math.sin(a) * (r + 70)),
            ],
            fill=(255, 200, 40),
            width=12,
        )


def _figure(draw, x, y, colour, scale=1.0):
    """A pupil as a faceless shape: a round head and a coloured coat, seen from afar."""
    h = int(70 * scale)
    draw.ellipse([x - h // 2, y - 3 * h, x + h // 2, y - 2 * h], fill=(222, 184, 135))
    draw.rounded_rectangle([x - h // 2 - 8, y - 2 * h + 6, x + h // 2 + 8, y - h], 18, fill=colour)
    draw.rectangle([x - h // 2, y - h, x - 6, y], fill=(60, 70, 110))
    draw.rectangle([x + 6, y - h, x + h // 2, y], fill=(60, 70, 110))


def _bright(rng):
    return rng.choice(
        [
            (230, 57, 70),
            (244, 162, 97),
            (42, 157, 143),
            (38, 70, 83),
            (233, 196, 106),
            (106, 76, 147),
            (25, 130, 196),
            (138, 201, 38),
            (255, 89, 94),
            (255, 202, 58),
        ]
    )


def _playground(draw, rng):
    _sky(draw, (120, 190, 240), (200, 230, 250), rng)
    _clouds(draw, rng)
    _sun(draw, rng.randint(1200, 1450), 170)
    draw.rectangle([0, 760, WIDTH, HEIGHT], fill=(108, 170, 76))
    # climbing frame and slide
    draw.rectangle([260, 420, 290, 860], fill=(200, 60, 50))
    draw.rectangle([520, 420, 550, 860], fill=(200, 60, 50))
    draw.rectangle([240, 400, 570, 450], fill=(240, 180, 40))
    draw.polygon([(550, 470), (590, 470), (860, 860), (800, 860)], fill=(40, 120, 200))
    # swings
    draw.rectangle([1000, 440, 1020, 880], fill=(90, 90, 90))
    draw.rectangle([1400, 440, 1420, 880], fill=(90, 90, 90))
    draw.rectangle([990, 430, 1430, 460], fill=(90, 90, 90))
    for sx in (1100, 1300):
        draw.line([(sx - 40, 460), (sx - 40, 720)], fill=(60, 60, 60), width=6)
        draw.line([(sx + 40, 460), (sx + 40, 720)], fill=(60, 60, 60), width=6)
        draw.rectangle([sx - 55, 715, sx + 55, 735], fill=_bright(rng))
    # sandbox
    draw.rectangle([120, 960, 700, 1100], fill=(160, 110, 60))
    draw.rectangle([140, 975, 680, 1085], fill=(236, 212, 150))
    for x in range(3):
        _figure(draw, rng.randint(700, 1500), rng.randint(1000, 1150), _bright(rng), 0.9 + x * 0.1)


def _craft(draw, rng):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(196, 150, 100))
    for y in range(0, HEIGHT, 90):
        draw.line([(0, y), (WIDTH, y + 20)], fill=(180, 134, 86), width=4)
    for _ in range(9):
        x, y = rng.randint(80, 1400), rng.randint(80, 1000)
        w, h = rng.randint(160, 320), rng.randint(120, 260)
        draw.rectangle([x, y, x + w, y + h], fill=_bright(rng))
    for _ in range(7):
        cx, cy, r = rng.randint(150, 1450), rng.randint(150, 1050), rng.randint(40, 90)
        points = []
        for n in range(10):
            radius = r if n % 2 == 0 else r * 0.45
            a = -math.pi / 2 + n * math.pi / 5
            points.append((cx + math.cos(a) * radius, cy + math.sin(a) * radius))
        draw.polygon(points, fill=(255, 215, 0), outline=(200, 150, 0))
    # scissors and a glue stick
    draw.ellipse([1180, 900, 1260, 980], outline=(220, 40, 40), width=14)
    draw.ellipse([1280, 900, 1360, 980], outline=(220, 40, 40), width=14)
    draw.polygon([(1250, 910), (1290, 910), (1420, 700), (1400, 690)], fill=(170, 170, 180))
    draw.rounded_rectangle([300, 950, 360, 1150], 14, fill=(250, 250, 250), outline=(90, 90, 200))


def _leaf(draw, rng, cx, cy, size):
    colour = rng.choice([(196, 90, 30), (226, 140, 40), (170, 50, 30), (214, 170, 40)])
    a = rng.uniform(0, math.pi)
    points = []
    for n in range(16):
        t = n / 16 * 2 * math.pi
        r = size * (0.55 + 0.45 * abs(math.sin(t * 2.5)))
        points.append((cx + math.cos(t + a) * r, cy + math.sin(t + a) * r * 0.8))
    draw.polygon(points, fill=colour)
    draw.line(
        [(cx, cy), (cx + math.cos(a) * size * 1.3, cy + math.sin(a) * size * 1.3)],
        fill=(110, 60, 20),
        width=6,
    )


def _autumn(draw, rng):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(92, 120, 70))
    for _ in range(60):
        _leaf(draw, rng, rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(40, 110))
    for _ in range(8):
        x, y = rng.randint(100, 1500), rng.randint(100, 1100)
        draw.ellipse([x, y, x + 70, y + 60], fill=(110, 55, 25))
        draw.ellipse([x + 12, y + 8, x + 34, y + 24], fill=(160, 100, 60))


def _sports(draw, rng):
    _sky(draw, (110, 180, 235), (190, 225, 245), rng)
    _clouds(draw, rng, 3)
    draw.rectangle([0, 620, WIDTH, HEIGHT], fill=(90, 160, 70))
    for n in range(5):
        y = 760 + n * 90
        draw.rectangle([0, y, WIDTH, y + 70], fill=(200, 90, 60))
        draw.line([(0, y), (WIDTH, y)], fill=(250, 250, 250), width=6)
    for x in range(150, WIDTH, 260):
        draw.polygon([(x, 740), (x - 30, 800), (x + 30, 800)], fill=(255, 140, 0))
    # bunting
    for x in range(0, WIDTH, 80):
        draw.polygon([(x, 300), (x + 80, 300), (x + 40, 370)], fill=_bright(rng))
    draw.line([(0, 300), (WIDTH, 300)], fill=(80, 80, 80), width=4)
    for n in range(4):
        _figure(draw, 260 + n * 340 + rng.randint(-40, 40), 1150, _bright(rng), 1.1)


def _garden(draw, rng):
    _sky(draw, (150, 205, 240), (220, 240, 250), rng)
    _sun(draw, 220, 200, 80)
    draw.rectangle([0, 560, WIDTH, HEIGHT], fill=(120, 84, 50))
    for row in range(4):
        y = 640 + row * 140
        for x in range(80, WIDTH, 150):
            draw.line([(x, y), (x, y - 60)], fill=(40, 130, 50), width=8)
            draw.ellipse([x - 40, y - 110, x, y - 60], fill=(60, 170, 70))
            draw.ellipse([x, y - 110, x + 40, y - 60], fill=(60, 170, 70))
            if rng.random() < 0.35:
                draw.ellipse([x - 18, y - 140, x + 18, y - 104], fill=_bright(rng))
    draw.polygon([(1250, 1000), (1450, 1000), (1420, 1150), (1280, 1150)], fill=(40, 140, 200))
    draw.line([(1450, 1020), (1560, 950)], fill=(40, 140, 200), width=24)


def _science(draw, rng):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(235, 240, 245))
    draw.rectangle([0, 800, WIDTH, HEIGHT], fill=(160, 170, 180))
    for n in range(5):
        x = 160 + n * 290
        colour = _bright(rng)
        draw.polygon(
            [(x, 420), (x + 60, 420), (x + 60, 560), (x + 150, 790), (x - 90, 790), (x, 560)],
            fill=(220, 235, 245),
            outline=(120, 130, 140),
        )
        draw.polygon(
            [(x - 50, 700), (x + 110, 700), (x + 150, 790), (x - 90, 790)],
            fill=colour,
        )
        for _ in range(6):
            bx, by = x + rng.randint(-10, 70), rng.randint(300, 690)
            r = rng.randint(10, 28)
            draw.ellipse([bx - r, by - r, bx + r, by + r], outline=colour, width=5)


def _reading(draw, rng):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(250, 236, 210))
    for shelf in range(4):
        y = 120 + shelf * 270
        draw.rectangle([60, y + 230, WIDTH - 60, y + 250], fill=(140, 90, 50))
        x = 80
        while x < WIDTH - 140:
            w, h = rng.randint(30, 70), rng.randint(150, 225)
            draw.rectangle([x, y + 230 - h, x + w, y + 230], fill=_bright(rng))
            x += w + rng.randint(2, 8)
    draw.ellipse([1150, 1000, 1550, 1180], fill=(200, 60, 90))


def _drawing(draw, rng):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(252, 252, 246))
    draw.rectangle([500, 560, 1000, 960], outline=(220, 60, 40), width=12)
    draw.polygon([(460, 580), (750, 330), (1040, 580)], outline=(200, 40, 40), width=12)
    draw.rectangle([700, 780, 800, 960], outline=(90, 60, 30), width=10)
    draw.line([(0, 970), (WIDTH, 990)], fill=(60, 170, 60), width=16)
    draw.line([(1250, 980), (1250, 620)], fill=(110, 70, 30), width=30)
    draw.ellipse([1100, 400, 1400, 700], outline=(40, 160, 40), width=16)
    _sun(draw, 220, 200, 70)
    for _ in range(5):
        x = rng.randint(100, 1500)
        draw.arc([x, 150, x + 90, 210], 200, 340, fill=(30, 30, 30), width=6)


def _winter(draw, rng):
    _sky(draw, (170, 190, 215), (230, 236, 245), rng)
    draw.rectangle([0, 780, WIDTH, HEIGHT], fill=(248, 250, 252))
    draw.ellipse([620, 640, 900, 900], fill=(255, 255, 255), outline=(200, 205, 215), width=4)
    draw.ellipse([670, 470, 850, 650], fill=(255, 255, 255), outline=(200, 205, 215), width=4)
    draw.rectangle([680, 430, 840, 470], fill=(200, 30, 40))
    draw.polygon([(760, 560), (830, 575), (760, 585)], fill=(245, 130, 30))
    for _ in range(160):
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(4, 11)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255))


def _beach(draw, rng):
    _sky(draw, (90, 170, 235), (180, 220, 245), rng)
    _sun(draw, 1350, 180)
    draw.rectangle([0, 560, WIDTH, 760], fill=(40, 120, 190))
    for x in range(0, WIDTH, 120):
        draw.arc([x, 540, x + 120, 600], 0, 180, fill=(230, 240, 250), width=6)
    draw.rectangle([0, 760, WIDTH, HEIGHT], fill=(238, 214, 160))
    draw.polygon([(450, 1050), (520, 880), (590, 1050)], fill=(214, 180, 110))
    draw.rectangle([380, 1000, 660, 1100], fill=(214, 180, 110))
    draw.ellipse([1000, 950, 1120, 1070], fill=_bright(rng))
    draw.polygon([(1250, 760), (1500, 760), (1375, 640)], fill=_bright(rng))


def _music(draw, rng):
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(40, 44, 80))
    for n in range(5):
        y = 300 + n * 40
        draw.line([(100, y), (WIDTH - 100, y)], fill=(240, 240, 240), width=4)
    for x in range(220, WIDTH - 200, 170):
        y = 300 + rng.randint(0, 8) * 20
        draw.ellipse([x, y - 22, x + 52, y + 22], fill=(255, 220, 90))
        draw.line([(x + 50, y), (x + 50, y - 150)], fill=(255, 220, 90), width=8)
    for n in range(3):
        cx = 350 + n * 450
        draw.ellipse([cx - 130, 720, cx + 130, 1000], fill=_bright(rng))
        draw.ellipse([cx - 110, 740, cx + 110, 790], fill=(245, 235, 220))


def _camping(draw, rng):
    _sky(draw, (40, 60, 120), (230, 150, 110), rng)
    draw.rectangle([0, 760, WIDTH, HEIGHT], fill=(70, 110, 60))
    draw.polygon([(300, 1000), (650, 520), (1000, 1000)], fill=(240, 150, 40))
    draw.polygon([(600, 1000), (650, 700), (700, 1000)], fill=(120, 60, 20))
    for x in range(1100, 1500, 90):
        draw.polygon([(x, 780), (x + 45, 560), (x + 90, 780)], fill=(30, 80, 40))
    draw.polygon([(1150, 1100), (1220, 980), (1290, 1100)], fill=(255, 120, 20))
    for _ in range(30):
        x, y = rng.randint(0, WIDTH), rng.randint(0, 400)
        draw.ellipse([x, y, x + 5, y + 5], fill=(255, 255, 230))


DRAWERS = {
    "playground": _playground,
    "craft": _craft,
    "autumn": _autumn,
    "sports": _sports,
    "garden": _garden,
    "science": _science,
    "reading": _reading,
    "drawing": _drawing,
    "winter": _winter,
    "beach": _beach,
    "music": _music,
    "camping": _camping,
}


@functools.lru_cache(maxsize=64)
def scene_jpeg(scene: str, seed: int, caption: str) -> bytes:
    """A drawn scene as a JPEG. Cached: the demo draws the same pictures every run (and the
    tests seed several times), and drawing is the slow part."""
    rng = random.Random(seed)  # noqa: S311 -- a picture's layout, not a secret
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    DRAWERS[scene](draw, rng)
    if caption:
        draw.rectangle([0, HEIGHT - 110, WIDTH, HEIGHT], fill=(0, 0, 0))
        font = _font(60)
        # Centred: feeds show a square crop of the middle of the picture.
        left = (WIDTH - draw.textlength(caption, font=font)) / 2
        draw.text((left, HEIGHT - 90), caption, font=font, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _pdf_text(value: str) -> str:
    raw = value.encode("cp1252", errors="replace").decode("latin-1")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


@functools.lru_cache(maxsize=32)
def text_pdf(title: str, lines: tuple[str, ...]) -> bytes:
    """A one-page A4 PDF with a title and lines of text, written by hand: real, selectable
    text in a few hundred bytes, and no PDF library to depend on."""
    commands = ["BT", "/F1 20 Tf", "56 780 Td", f"({_pdf_text(title)}) Tj", "/F1 12 Tf"]
    commands.append("0 -34 Td")
    for line in lines:
        commands.append(f"({_pdf_text(line)}) Tj")
        commands.append("0 -18 Td")
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
