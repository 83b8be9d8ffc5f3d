"""The README's settings table is the operators' reference: every setting must be in it."""

from pathlib import Path

from hub.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [f"SLRT_{name.upper()}" for name in Settings.model_fields if f"`SLRT_{name.upper()}`" not in README]
    assert missing == [], f"add these to the README's settings table: {missing}"
