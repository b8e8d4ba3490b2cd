"""Where a logged-in request spends its time: pyinstrument over N views of one page.

    python bench/throughput.py --rounds 1 --seconds 1   # once: seeds bench_throughput
    python bench/profile_page.py                        # the logged-in challenge page
    python bench/profile_page.py --path /idees/1 --anonymous

Production configuration, in process (no server), on the database the throughput
benchmark seeded (1,000 ideas); prints pyinstrument's tree and the mean time per view.
Needs `pip install pyinstrument`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", help="default: the seeded challenge page")
    parser.add_argument("--anonymous", action="store_true")
    parser.add_argument("--views", type=int, default=200)
    parser.add_argument("--db", default="bench_throughput", help="as given to throughput.py")
    parser.add_argument("--cache", help="a page cache in this Redis (redis://127.0.0.1:6379/6)")
    args = parser.parse_args()

    url, site = json.loads((Path(tempfile.gettempdir()) / f"{args.db}.json").read_text())
    os.environ.update(
        FLASK_CONFIG="production",
        SECRET_KEY="banc-d-essai-" + "k" * 40,
        DATABASE_URL=url,
        BASE_URL="https://127.0.0.1",
        REQUIRE_SECOND_FACTOR="0",
    )
    os.environ.pop("PAGE_CACHE_URL", None)
    os.environ.pop("REDIS_URL", None)
    if args.cache:  # the members' shared idea list lives in the page cache
        os.environ.update(PAGE_CACHE_URL=args.cache, PAGE_CACHE_PREFIX=f"profile:{os.getpid()}:")
    from pyinstrument import Profiler

    from bench._serve import PASSWORD, csrf_token
    from ideation import create_app

    app = create_app("production")
    client = app.test_client()
    base = "https://127.0.0.1"
    if not args.anonymous:
        token = csrf_token(client.get("/connexion", base_url=base).text)
        answer = client.post(
            "/connexion",
            base_url=base,
            data={"csrf_token": token, "email": site["email"], "password": PASSWORD},
            headers={"Referer": base + "/connexion"},
        )
        assert answer.status_code == 302, answer.status_code
    path = args.path or f"/defis/{site['slug']}"
    for _ in range(20):  # warm up: templates compiled, connections open
        assert client.get(path, base_url=base).status_code == 200
    profiler = Profiler(interval=0.0005)
    start, cpu = time.perf_counter(), time.process_time()
    with profiler:
        for _ in range(args.views):
            client.get(path, base_url=base)
    elapsed = (time.perf_counter() - start) / args.views
    cpu = (time.process_time() - cpu) / args.views
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(
        f"{path} ({'anonymous' if args.anonymous else 'logged in'}): {elapsed * 1000:.1f} ms per view, {cpu * 1000:.1f} ms of CPU"
    )


if __name__ == "__main__":
    main()
