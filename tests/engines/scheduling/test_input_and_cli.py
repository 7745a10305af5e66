"""Input validation (participant + field in every message), the CLI, and purity."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tandem.engines.scheduling import SchedulingInputError, find_slots, parse_problem, rotate
from tandem.engines.scheduling.__main__ import main

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]


def valid() -> dict:
    return {
        "participants": [
            {"id": "a", "timezone": "Europe/Berlin", "availability": [["mon", "09:00", "17:00"]]},
            {"id": "b", "timezone": "America/New_York"},
        ],
        "settings": {"from": "2024-05-06", "to": "2024-05-07", "duration_minutes": 60},
    }


def _p(k):
    return lambda d: d["participants"][k]


@pytest.mark.parametrize(
    ("mutate", "participant", "field", "text"),
    [
        (lambda d: _p(0)(d).pop("timezone"), "a", "timezone", "missing"),
        (lambda d: _p(1)(d).update(timezone="Mars/Olympus"), "b", "timezone", "unknown IANA"),
        (lambda d: _p(1)(d).update(timezone=5), "b", "timezone", "non-empty string"),
        (
            lambda d: _p(0)(d).update(availability=[["mon", "9am", "10:00"]]),
            "a",
            "availability[0]",
            "HH:MM",
        ),
        (
            lambda d: _p(0)(d).update(availability=[["someday", "09:00", "10:00"]]),
            "a",
            "availability[0]",
            "unknown weekday",
        ),
        (
            lambda d: _p(0)(d).update(availability=[["mon", "09:00"]]),
            "a",
            "availability[0]",
            "expected [weekday",
        ),
        (lambda d: _p(0)(d).update(availability="mon 9-5"), "a", "availability", "a list"),
        (lambda d: _p(1)(d).update(region=""), "b", "region", "non-empty"),
        (lambda d: _p(1)(d).pop("id"), None, "id", "missing"),
        (lambda d: _p(1)(d).update(id="a"), "a", "id", "duplicate"),
        (lambda d: d["participants"].append("x"), None, "(entry)", "expected an object"),
    ],
)
def test_participant_errors_name_participant_and_field(mutate, participant, field, text):
    data = valid()
    mutate(data)
    with pytest.raises(SchedulingInputError) as info:
        find_slots(data)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.field == field and err.participant == participant
    assert text in str(err) and f"field {field!r}" in str(err)
    if participant:
        assert f"participant {participant!r}" in str(err)


@pytest.mark.parametrize(
    ("mutate", "field", "text"),
    [
        (lambda d: d.pop("settings"), "settings", "missing"),
        (lambda d: d["settings"].pop("from"), "settings.from", "missing"),
        (lambda d: d["settings"].update(to="7 May"), "settings.to", "ISO date"),
        (lambda d: d["settings"].update(to="2024-05-01"), "settings.to", "before"),
        (lambda d: d["settings"].update(to="2024-12-31"), "settings.to", "longer than"),
        (lambda d: d["settings"].pop("duration_minutes"), "settings.duration_minutes", "missing"),
        (
            lambda d: d["settings"].update(duration_minutes=0),
            "settings.duration_minutes",
            "1..1440",
        ),
        (lambda d: d["settings"].update(sessions=3), "settings.sessions", "1..2"),
        (lambda d: d["settings"].update(top=0), "settings.top", "1..1000"),
        (lambda d: d["settings"].update(step_minutes=7), "settings.step_minutes", "divide"),
        (lambda d: d["settings"].update(step_minutes=True), "settings.step_minutes", "integer"),
        (lambda d: d.update(participants=[]), "participants", "no participants"),
        (lambda d: d.update(participants={"a": 1}), "participants", "a list"),
        (lambda d: d.pop("participants"), "participants", "missing"),
    ],
)
def test_settings_errors(mutate, field, text):
    data = valid()
    mutate(data)
    with pytest.raises(SchedulingInputError) as info:
        find_slots(data)
    assert info.value.field == field and text in str(info.value)


@pytest.mark.parametrize(
    ("settings", "field", "text"),
    [
        ({}, "settings.meetings", "missing"),
        ({"meetings": 0}, "settings.meetings", "1..60"),
        ({"meetings": "three"}, "settings.meetings", "integer or a list"),
        ({"meetings": [{"from": "2024-05-06"}]}, "settings.meetings[0].to", "missing"),
        ({"meetings": 2, "coverage_tolerance": 1.5}, "settings.coverage_tolerance", "[0, 1)"),
    ],
)
def test_rotation_settings_errors(settings, field, text):
    data = valid()
    data["settings"].update(settings)
    with pytest.raises(SchedulingInputError) as info:
        rotate(data)
    assert info.value.field == field and text in str(info.value)


def test_pairing_documents_are_accepted():
    data = {
        "experienced": [
            {
                "id": "e1",
                "timezone": "Europe/Madrid",
                "capacity": 2,
                "availability": [["mon", "10:00", "12:00"]],
            }
        ],
        "learning": [
            {"id": "l1", "timezone": "Africa/Lagos", "availability": [["mon", "09:00", "12:00"]]}
        ],
        "settings": {
            "period": ["2024-05-01", "2024-06-01"],
            "from": "2024-05-06",
            "to": "2024-05-06",
            "duration_minutes": 60,
        },
    }
    problem = parse_problem(data)
    assert problem.ids == ["e1", "l1"]
    assert find_slots(data)["slots"][0]["attendees"] == ["e1", "l1"]
    data["learning"][0].pop("timezone")
    with pytest.raises(SchedulingInputError, match=r"learning\[0\]"):
        find_slots(data)


def test_cli_happy_path_with_out(tmp_path, capsys):
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    data = valid()
    data["settings"]["sessions"] = 2
    src.write_text(json.dumps(data))
    assert main(["slots", str(src), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result == find_slots(data)
    assert len(result["slots"]) == 10 and result["pairs"]
    assert "wrote 10 slots" in capsys.readouterr().err


def test_cli_rotate_to_stdout(tmp_path, capsys):
    src = tmp_path / "in.json"
    data = valid()
    data["settings"]["meetings"] = 2
    src.write_text(json.dumps(data))
    assert main(["rotate", str(src)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["meetings"]) == 2 and set(result["unsociable_counts"]) == {"a", "b"}


def test_cli_exit_status_2_on_bad_input(tmp_path):
    bad = valid()
    bad["participants"][1]["timezone"] = "Mars/Olympus"
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(bad))
    proc = subprocess.run(
        [sys.executable, "-m", "tandem.engines.scheduling", "slots", str(src)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert "participant 'b'" in proc.stderr and "'timezone'" in proc.stderr
    (tmp_path / "broken.json").write_text("{not json")
    assert main(["slots", str(tmp_path / "broken.json")]) == 2
    assert main(["rotate", str(tmp_path / "missing.json")]) == 2
    with pytest.raises(SystemExit) as info:
        main(["slots"])
    assert info.value.code == 2
