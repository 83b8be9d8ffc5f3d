"""``slrt-hub partner add|list|enable`` against a fresh database."""

from __future__ import annotations

from click.testing import CliRunner

from hub.cli import main
from hub.db.migrate import upgrade


def test_partner_add_then_list_shows_it_without_secrets(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    env = {"SLRT_DATABASE_URL": url, "SLRT_DATA_DIR": str(tmp_path), "SLRT_ALLOW_PRIVATE_WEBHOOKS": "true"}
    runner = CliRunner()
    added = runner.invoke(main, ["partner", "add", "--name", "Dinas Perkim", "--sector", "HOUSING",
                                 "--webhook-url", "http://127.0.0.1:9/hook",
                                 "--programme", "BSPS_RTLH:HOUSING:NATIONAL:Bantuan Stimulan Perumahan Swadaya"], env=env)
    assert added.exit_code == 0, added.output
    secret = added.output.split("signing_secret:")[1].split()[0]
    assert secret.startswith("whsec_")
    listed = runner.invoke(main, ["partner", "list"], env=env)
    assert "Dinas Perkim" in listed.output and "BSPS_RTLH" in listed.output and secret not in listed.output
    refused = runner.invoke(main, ["partner", "add", "--name", "X", "--sector", "HOUSING", "--webhook-url",
                                   "ftp://x", "--programme", "X_1:HOUSING:NATIONAL:x"], env=env)
    assert refused.exit_code != 0 and "INVALID_INPUT" in refused.output
    bad = runner.invoke(main, ["partner", "add", "--name", "X", "--sector", "HOUSING", "--webhook-url",
                               "http://127.0.0.1:9/h", "--programme", "nonsense"], env=env)
    assert bad.exit_code != 0 and "CODE:SECTOR:LEVEL:NAME" in bad.output
