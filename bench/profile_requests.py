"""Where a request's time goes: pyinstrument over GET household, the list, POST household and
a transition.

    python bench/profile_requests.py [--db URL] [--requests 300] [--html DIR]

In-process (Flask's test client), on a small world: what it shows is the application's own
path (token lookup, loading, guards, serialisation), not the server's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from pyinstrument import Profiler  # noqa: E402

from bench.http_world import prepare  # noqa: E402
from caseflow import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--html", default=None, help="also write each profile as HTML here")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/profile.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    world = prepare(app, households=args.requests + 50)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.token}"}
    ids = iter(world.registered)
    cases = {
        "get_household": lambda: client.get(f"/api/v1/households/{world.one}", headers=headers),
        "list": lambda: client.get("/api/v1/households?per_page=50", headers=headers),
        "post_household": lambda: client.post(
            "/api/v1/households",
            json={"head_name": "Nguyễn Văn Bench", "unit_code": "C1", "village": "Thôn 1"},
            headers=headers,
        ),
        "transition": lambda: client.post(
            f"/api/v1/households/{next(ids)}/transitions",
            json={"trigger": "start_review", "data": {"started_on": world.started_on}},
            headers=headers,
        ),
    }
    for name, call in cases.items():
        call()  # warm
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(args.requests):
                response = call()
                assert response.status_code < 300, response.json
        print(f"===== {name}: {args.requests} requests")
        print(profiler.output_text(unicode=True, color=False, show_all=False, timeline=False))
        if args.html:
            with open(os.path.join(args.html, f"{name}.html"), "w") as out:
                out.write(profiler.output_html())


if __name__ == "__main__":
    main()
