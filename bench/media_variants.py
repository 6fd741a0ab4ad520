"""Time the display + thumbnail variants of a 12-megapixel JPEG, with and without draft.

    .venv/bin/python bench/media_variants.py

Each mode runs in a fresh child process. Peak memory is Linux's VmHWM after resetting it
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


def twelve_megapixel_jpeg() -> bytes:
    """4000x3000 with detail in it (a gradient and noise), like a phone photo, q=90."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((4000, 3000))
    noise = Image.effect_noise((4000, 3000), 40)
    image = Image.merge(
        "RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


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
    data = twelve_megapixel_jpeg()
    print(f"12 MP JPEG: {len(data) / 1024 / 1024:.1f} MB, median of {ROUNDS} rounds")
    draft_time, draft_memory = measure(True, data)
    full_time, full_memory = measure(False, data)
    print(f"draft decode: {draft_time * 1000:6.0f} ms, peak +{draft_memory:5.0f} MB")
    print(f"full decode:  {full_time * 1000:6.0f} ms, peak +{full_memory:5.0f} MB")
    print(f"draft is {full_time / draft_time:.1f}x faster")


if __name__ == "__main__":
    main()
