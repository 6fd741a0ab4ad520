"""Time the display + thumbnail variants of a 12-megapixel JPEG, with and without draft.

    .venv/bin/python bench/media_variants.py

Two photos: a playground scene (sky, grass texture, children as shapes, sensor noise; about
5 MB, like a phone photo) and a worst case with strong noise in every pixel (7 MB), where
entropy decoding, which draft cannot shorten, is most of the work. Each mode runs in a fresh
child process. Peak memory is Linux's VmHWM after resetting it
(/proc/self/clear_refs), minus the resident size just before the first round: the memory
the variants themselves needed at their peak.
Targets from issue 8: <= 350 ms and <= 150 MB per photo; draft at least 2x faster.
"""

import io
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

ROUNDS = 7


def _jpeg(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def playground_jpeg() -> bytes:
    """4000x3000: a sky gradient, textured grass, seven children as simple shapes, and
    fine sensor noise over everything."""
    from PIL import Image, ImageChops, ImageDraw

    width, height = 4000, 3000
    sky = Image.linear_gradient("L").resize((width, height))
    image = Image.merge(
        "RGB",
        (
            sky.point(lambda v: 90 + v // 3),
            sky.point(lambda v: 140 + v // 4),
            sky.point(lambda v: 235 - v // 5),
        ),
    )
    texture = Image.effect_noise((width // 4, height // 4), 60).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    grass = Image.merge(
        "RGB",
        (
            texture.point(lambda v: v // 3 + 30),
            texture.point(lambda v: v // 2 + 70),
            texture.point(lambda v: v // 4 + 20),
        ),
    )
    ground = Image.new("L", (width, height), 0)
    ImageDraw.Draw(ground).rectangle((0, int(height * 0.55), width, height), fill=255)
    image.paste(grass, (0, 0), ground)
    draw = ImageDraw.Draw(image)
    for n in range(7):
        x, y = 300 + n * 520, 1100 + (n % 3) * 200
        draw.ellipse((x, y, x + 260, y + 300), fill=(230 - n * 15, 180, 150))
        draw.rectangle((x - 40, y + 300, x + 300, y + 1100), fill=(40 + n * 25, 60 + n * 10, 160))
    fine = Image.effect_noise((width, height), 12)
    return _jpeg(ImageChops.add(image, Image.merge("RGB", (fine, fine, fine)), offset=-128))


def noise_jpeg() -> bytes:
    """4000x3000, a gradient with strong noise in every pixel: the worst case for draft."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((4000, 3000))
    noise = Image.effect_noise((4000, 3000), 40)
    return _jpeg(
        Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    )


def run(use_draft: bool, data: bytes, results) -> None:
    import django

    django.setup()
    from media_sharing.services import variants_render

    variants_render(data, use_draft=use_draft)  # warm up: imports, codec tables
    Path("/proc/self/clear_refs").write_text("5")
    baseline = _status_kb("VmRSS")
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        variants_render(data, use_draft=use_draft)
        timings.append(time.perf_counter() - start)
    peak = _status_kb("VmHWM")
    results.put((statistics.median(timings), (peak - baseline) / 1024))


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def measure(use_draft: bool, data: bytes):
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=run, args=(use_draft, data, results))
    process.start()
    outcome = results.get()
    process.join()
    return outcome


def main():
    for label, data in (("playground", playground_jpeg()), ("noise", noise_jpeg())):
        size = len(data) / 1024 / 1024
        print(f"{label}: 12 MP JPEG of {size:.1f} MB, median of {ROUNDS} rounds")
        draft_time, draft_memory = measure(True, data)
        full_time, full_memory = measure(False, data)
        print(f"  draft decode: {draft_time * 1000:6.0f} ms, peak +{draft_memory:5.0f} MB")
        print(f"  full decode:  {full_time * 1000:6.0f} ms, peak +{full_memory:5.0f} MB")
        print(f"  draft is {full_time / draft_time:.2f}x faster")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
