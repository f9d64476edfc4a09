"""The load test's visitors (locust): people browsing and searching the public site, API
clients reading, and focal points editing their cases and uploading presentations.

Run by `scripts/stack load`, which starts the stack, seeds it and checks the figures; the
focal points' tokens and cases come in PAKS_LOAD_FOCAL_POINTS (JSON), and each focal point
writes down what the portal accepted, so that lost or doubled writes can be counted.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

WORDS = ["registration", "health", "tax", "digital identity", "open data", "mobile", "pension"]
COUNTRIES = ["BGD", "KOR", "UGA", "FJI", "BTN", "KEN"]
PDF = Path(__file__).resolve().parents[1] / "paks" / "demo_files" / "example.pdf"
FOCAL_POINTS = json.loads(os.environ.get("PAKS_LOAD_FOCAL_POINTS", "[]"))
_next_focal_point = itertools.cycle(range(max(len(FOCAL_POINTS), 1)))
ACCEPTED: dict[str, dict[str, int]] = {}  # case slug: {"edits": n, "uploads": n}


class Visitor(HttpUser):
    """Browses the public pages and searches with filters."""

    weight = 6
    wait_time = between(1, 3)

    @task(3)
    def search(self) -> None:
        params: dict[str, Any] = {"q": random.choice(WORDS)}
        if random.random() < 0.5:
            params["country"] = random.choice(COUNTRIES)
        if random.random() < 0.3:
            params["sort"] = "newest"
        self.client.get("/cases/", params=params, name="pages")

    @task(2)
    def browse(self) -> None:
        path = random.choice(["/", "/cases/", "/themes/", "/sdgs/", "/countries/", "/events/"])
        self.client.get(path, name="pages")

    @task(2)
    def case(self) -> None:
        self.client.get(f"/cases/load-case-{random.randrange(200)}/", name="pages")


class ApiClient(HttpUser):
    """A member institution's system reading the API."""

    weight = 3
    wait_time = between(1, 3)

    @task(2)
    def search(self) -> None:
        params = {"q": random.choice(WORDS), "page_size": 20}
        self.client.get("/api/v1/cases/", params=params, name="api reads")

    @task(1)
    def case(self) -> None:
        self.client.get(f"/api/v1/cases/load-case-{random.randrange(200)}/", name="api reads")

    @task(1)
    def themes(self) -> None:
        self.client.get("/api/v1/themes/", name="api reads")


class FocalPoint(HttpUser):
    """Keeps its own country's draft current: edits with If-Match, uploads with an
    Idempotency-Key (and sometimes retries one, as a client on a bad line does)."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        assigned = FOCAL_POINTS[next(_next_focal_point)]
        self.slug = assigned["case"]
        self.client.headers["Authorization"] = f"Token {assigned['token']}"
        ACCEPTED.setdefault(self.slug, {"edits": 0, "uploads": 0})

    @task(3)
    def edit(self) -> None:
        url = f"/api/v1/cases/{self.slug}/"
        read = self.client.get(url, name="writes: read")
        if read.status_code != 200:
            return
        with self.client.patch(
            url,
            json={"summary": f"Updated {uuid.uuid4().hex}"},
            headers={"If-Match": read.headers["ETag"]},
            name="writes: edit",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                ACCEPTED[self.slug]["edits"] += 1
            elif response.status_code == 412:
                response.success()  # another focal point of the case saved first: expected
            else:
                response.failure(f"{response.status_code}")

    @task(1)
    def upload(self) -> None:
        key = str(uuid.uuid4())
        body = PDF.read_bytes() + key.encode()  # a new file each time
        for _attempt in range(2 if random.random() < 0.3 else 1):
            response = self.client.post(
                f"/api/v1/cases/{self.slug}/documents/",
                files={"file": ("slides.pdf", body, "application/pdf")},
                headers={"Idempotency-Key": key},
                name="writes: upload",
            )
        if response.status_code == 201:
            ACCEPTED[self.slug]["uploads"] += 1


@events.test_stop.add_listener
def write_down_accepted(**_kwargs: Any) -> None:
    target = os.environ.get("PAKS_LOAD_ACCEPTED")
    if target:
        Path(target).write_text(json.dumps(ACCEPTED))
