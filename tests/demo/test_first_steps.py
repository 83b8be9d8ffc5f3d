"""The demo as a newcomer meets it, in one real demo process on a non-default port:
it leaves the user's own database alone, its README query answers, the token command the
README shows works, GraphiQL needs nothing from the internet, and every connector tells
one story about each demo family."""

from __future__ import annotations

import base64
import hashlib
import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from tests.demo.process import Demo, cli, example, graphql

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
DEMO_DISTRICT_VILLAGE = "Jakasampurna"  # the only pilot village of Bekasi Barat (32.75.02)


@pytest.fixture(scope="module")
def users_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's own SQLite database, with data, that SLRT_DATABASE_URL names when the demo starts."""
    path = tmp_path_factory.mktemp("mine") / "mine.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        db.executemany("INSERT INTO notes (text) VALUES (?)", [("keep me",), ("and me",)])
    return path


@pytest.fixture(scope="module")
def before(users_database: Path) -> bytes:
    return users_database.read_bytes()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, users_database: Path, before: bytes) -> Iterator[Demo]:
    workdir = tmp_path_factory.mktemp("newcomer")
    # What the newcomer had exported: their own database and the default public URL.
    started = Demo(workdir, SLRT_DATABASE_URL=f"sqlite+aiosqlite:///{users_database}",
                   SLRT_PUBLIC_URL="http://127.0.0.1:8000").start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def client(demo: Demo) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.url, timeout=30) as c:
        yield c


def test_the_demo_never_touches_the_database_named_by_SLRT_DATABASE_URL(
        demo: Demo, users_database: Path, before: bytes) -> None:
    assert users_database.read_bytes() == before
    assert not Path(f"{users_database}-wal").exists() and not Path(f"{users_database}-shm").exists()
    assert "demo: ignoring SLRT_DATABASE_URL" in demo.stdout
    assert (demo.workdir / ".slrt" / "demo" / "demo.db").exists()


def test_the_readme_first_query_shows_the_district_cases_waiting_for_approval(demo: Demo, client: httpx.Client) -> None:
    query = example("00-submitted-cases.graphql")
    assert _body(query) in README, "the README's first query is docs/examples/00-submitted-cases.graphql"
    data = graphql(client, demo.printed_tokens()["SUPERVISOR"], query)["cases"]
    cases = [edge["node"] for edge in data["edges"]]
    assert data["totalCount"] == len(cases) >= 1
    assert {c["status"] for c in cases} == {"SUBMITTED"}
    assert {c["village"]["name"] for c in cases} == {DEMO_DISTRICT_VILLAGE}
    for case in cases:  # without pii:read no identity number is shown in clear
        numbers = [case["household"]["kkNumber"], *(m["nik"] for m in case["household"]["members"])]
        assert numbers and not any(re.fullmatch(r"\d{16}", n) for n in numbers)
        assert [e["toStatus"] for e in case["events"]] == ["DRAFT", "SUBMITTED"]


def test_the_token_command_the_readme_shows_mints_a_token_the_demo_accepts(demo: Demo, client: httpx.Client) -> None:
    assert "slrt-hub token --demo --role SUPERVISOR --area 32.75.02" in README
    assert "slrt-hub token --demo --role SUPERVISOR --area 32.75.02" in demo.stdout  # the banner says it too
    token = demo.token("SUPERVISOR", "32.75.02")
    data = graphql(client, token, "{ cases(first: 1) { totalCount } }")
    assert data["cases"]["totalCount"] > 0
    assert not (demo.workdir / ".slrt" / "keys").exists(), "no stray keys beside the demo's"


def test_a_token_for_another_hub_is_refused_and_the_token_command_says_which_to_use(
        demo: Demo, client: httpx.Client) -> None:
    minted = cli("token", "--role", "SUPERVISOR", "--area", "32.75.02", cwd=demo.workdir, env=demo.env)
    assert minted.returncode == 0
    assert "slrt-hub token --demo" in minted.stderr  # printed beside the token it minted for port 8000
    refused = client.post("/graphql", json={"query": "{ cases { totalCount } }"},
                          headers={"authorization": f"Bearer {minted.stdout.strip()}"})
    assert refused.status_code == 401
    # the refusal names the reason a developer acts on: the token was signed by another hub's key
    assert refused.json()["errors"][0]["extensions"]["reason"] == "unknown_signing_key"


def test_graphiql_loads_every_asset_from_the_hub(demo: Demo, client: httpx.Client) -> None:
    page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "GraphiQL" in page.text
    assets = _assets(page.text)
    assert len(assets) >= 5  # react, react-dom, graphiql (js + css), the explorer plugin
    for url, integrity in assets:
        assert url.startswith("/"), f"{url} is not served by the hub"
        response = client.get(url)
        assert response.status_code == 200, url
        if integrity:  # the exact bytes the page expects (the npm release strawberry's page names)
            algorithm, _, digest = integrity.partition("-")
            assert base64.b64encode(hashlib.new(algorithm, response.content).digest()).decode() == digest, url


def test_every_demo_family_is_the_same_family_in_every_sector_system(demo: Demo, client: httpx.Client) -> None:
    token = demo.printed_tokens()["FRONT_OFFICE"]
    query = """query($after: String) { cases(first: 25, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { village { name parentCode } household {
        kkNumber address rt rw
        welfare { inDtsen } housing { habitable }
        members { nik name birthDate sex
          civilRegistry { nikMatch birthDateMatch sexMatch registeredName birthDate sex kkNumber address rt rw village }
          healthCoverage { active } education { enrolled } } } } } } }"""
    households, after = {}, None
    while True:
        page = graphql(client, token, query, {"after": after})["cases"]
        for edge in page["edges"]:
            households[edge["node"]["household"]["kkNumber"]] = edge["node"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(households) >= 9 * 8
    registered = 0
    for node in households.values():
        household = node["household"]
        for member in household["members"]:
            record = member["civilRegistry"]
            if record is None:  # a person Dukcapil does not know: the ADMINDUK story
                continue
            registered += 1
            assert record["nikMatch"] == "MATCH"
            assert record["registeredName"] == member["name"]
            assert record["sex"] == member["sex"] and record["sexMatch"] == "MATCH"
            assert record["kkNumber"] == household["kkNumber"]
            assert (record["address"], record["rt"], record["rw"]) == (household["address"], household["rt"],
                                                                       household["rw"])
            assert record["village"] == node["village"]["name"].upper()
            if record["birthDateMatch"] == "MATCH":
                assert record["birthDate"] == member["birthDate"]
    assert registered > 0
    # The household systems answer for the same KK: SIKS-NG knows most families, PUPR surveyed most
    # houses, BPJS and Dapodik answer for the members (None only where the story says so).
    assert sum(h["household"]["welfare"] is not None for h in households.values()) > len(households) // 2
    assert sum(h["household"]["housing"] is not None for h in households.values()) > len(households) // 2
    members = [m for h in households.values() for m in h["household"]["members"]]
    assert any(m["healthCoverage"] is not None for m in members)
    assert any(m["education"] is not None for m in members)


def _body(document: str) -> str:
    """A document without its comment lines, as the README shows it."""
    return "\n".join(line for line in document.splitlines() if not line.startswith("#")).strip()


class _AssetParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        url = a.get("src") if tag == "script" else a.get("href") if tag == "link" else None
        if url and not url.startswith("data:"):
            self.assets.append((url, a.get("integrity")))


def _assets(html: str) -> list[tuple[str, str | None]]:
    parser = _AssetParser()
    parser.feed(html)
    return parser.assets
