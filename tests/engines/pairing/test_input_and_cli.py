import json
import subprocess
import sys
from pathlib import Path

import pytest

from tandem.engines.pairing import PairingInputError, parse_problem, score, solve
from tandem.engines.pairing.__main__ import main

from .factories import experienced, instance, learning

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]


def valid() -> dict:
    return instance([experienced("e1", capacity=2)], [learning("l1"), learning("l2", gap=True)])


@pytest.mark.parametrize(
    ("mutate", "participant", "field", "text"),
    [
        (lambda d: d["experienced"][0].pop("timezone"), "e1", "timezone", "missing"),
        (
            lambda d: d["experienced"][0].update(timezone="Mars/Olympus"),
            "e1",
            "timezone",
            "unknown IANA time zone",
        ),
        (lambda d: d["learning"][1].update(languages={"en": 5}), "l2", "languages.en", "1..3"),
        (
            lambda d: d["learning"][0].update(availability=[["mon", "9am", "10:00"]]),
            "l1",
            "availability[0]",
            "HH:MM",
        ),
        (lambda d: d["experienced"][0].update(capacity=-1), "e1", "capacity", ">= 0"),
        (lambda d: d["experienced"][0].update(capacity=True), "e1", "capacity", ">= 0"),
        (lambda d: d["learning"][0].pop("needs"), "l1", "needs", "missing"),
        (lambda d: d["learning"][0].update(gap="yes"), "l1", "gap", "true or false"),
        (lambda d: d["learning"][1].update(goals="text"), "l2", "goals", "list of strings"),
        (lambda d: d["experienced"][0].update(expertise={"x": 4}), "e1", "expertise.x", "0..3"),
        (lambda d: d["learning"][0].pop("id"), None, "id", "missing"),
        (lambda d: d["learning"].append(learning("e1")), "e1", "id", "duplicate"),
        (
            lambda d: d.update(
                pinned=[["e1", "l1"], ["e1", "l2"], ["e1", "l1"]],
                experienced=[experienced("e1", capacity=1)],
            ),
            "e1",
            "capacity",
            "exceed",
        ),
    ],
)
def test_errors_name_participant_and_field(mutate, participant, field, text):
    data = valid()
    mutate(data)
    with pytest.raises(PairingInputError) as info:
        parse_problem(data)
    err = info.value
    assert err.participant == participant and err.field == field
    assert text in str(err) and repr(field) in str(err)
    if participant:
        assert repr(participant) in str(err)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("settings"), "settings"),
        (lambda d: d["settings"].update(period=["2024-13-01", "2024-12-31"]), "settings.period[0]"),
        (lambda d: d["settings"].update(period=["2024-12-01", "2024-01-01"]), "settings.period"),
        (lambda d: d["settings"].update(weights={"charm": 1}), "settings.weights.charm"),
        (lambda d: d["settings"].update(weights={"goals": -1}), "settings.weights.goals"),
        (lambda d: d["settings"].update(min_overlap_hours="2"), "settings.min_overlap_hours"),
        (lambda d: d.update(forbidden=[["e1", "nobody"]]), "forbidden[0]"),
        (lambda d: d.update(keep=[["l1", "e1"]]), "keep[0]"),
        (lambda d: d.update(pinned=[["e1", "l1"]], forbidden=[["e1", "l1"]]), "pinned"),
        (lambda d: d.pop("learning"), "learning"),
    ],
)
def test_structural_errors(mutate, field):
    data = valid()
    mutate(data)
    with pytest.raises(PairingInputError) as info:
        parse_problem(data)
    assert info.value.field == field


def test_weights_are_overridable_and_normalised():
    data = valid()
    data["settings"]["weights"] = {"overlap": 0, "goals": 0, "language": 0, "gap": 0}
    problem = parse_problem(data)
    assert problem.settings.weights["expertise"] == 1.0
    out = solve(data)
    # only expertise counts now: e1 has metadata-quality 3 and the needs are exactly that
    assert all(p["score"] == pytest.approx(1.0) for p in out["pairs"])


def test_score_lists_every_feasible_pair():
    data = instance(
        [experienced("e1"), experienced("e2", organization="org-l1")],
        [learning("l1"), learning("l2")],
        forbidden=[["e1", "l2"]],
    )
    out = score(data)
    assert set(out) == {"pairs"}
    got = {(p["experienced"], p["learning"]) for p in out["pairs"]}
    assert got == {("e1", "l1"), ("e2", "l2")}  # (e2, l1) same organisation, (e1, l2) forbidden
    scores = [p["score"] for p in out["pairs"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


def test_reasons_are_human_readable():
    e = experienced(
        "e1",
        languages={"es": 3, "en": 3},
        expertise={"metadata-quality": 3, "outreach": 2, "training": 1},
    )
    lrn = learning(
        "l1",
        languages={"es": 2},
        needs=["metadata-quality", "training"],
        challenges=["weak outreach to universities"],
        gap=True,
    )
    (pair,) = solve(instance([e], [lrn]))["pairs"]
    text = " | ".join(pair["reasons"])
    assert "GAP-region learning lead (prioritised)" in text
    assert "both speak Spanish (3/3 and 2/3)" in text
    assert "8 h/week overlap" in text
    assert "covers 2 of 3 needs: metadata-quality 3/3, outreach 2/3 (from challenges)" in text
    assert "not covered: training" in text
    assert pair["reasons"][-1].startswith(f"score {pair['score']:.3f} = expertise")


def test_cli_exit_2_names_participant_and_field(tmp_path, capsys):
    data = valid()
    data["learning"][1]["availability"] = [["someday", "09:00", "10:00"]]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    assert main(["solve", str(path)]) == 2
    err = capsys.readouterr().err
    assert "'l2'" in err and "'availability[0]'" in err and "someday" in err

    path.write_text("{not json")
    assert main(["score", str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["solve", str(tmp_path / "missing.json")]) == 2


def test_cli_subprocess_happy_path_and_exit_status(tmp_path):
    path, out = tmp_path / "in.json", tmp_path / "out.json"
    path.write_text(json.dumps(valid()))
    run = subprocess.run(
        [sys.executable, "-m", "tandem.engines.pairing", "solve", str(path), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(out.read_text())
    assert set(result) == {"pairs", "unmatched", "objective", "stats"}
    assert len(result["pairs"]) == 2 and result["stats"]["gap_matched"] == 1

    bad = valid()
    del bad["experienced"][0]["organization"]
    path.write_text(json.dumps(bad))
    run = subprocess.run(
        [sys.executable, "-m", "tandem.engines.pairing", "score", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "'e1'" in run.stderr and "'organization'" in run.stderr


def test_cli_score_to_stdout(tmp_path, capsys):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(valid()))
    assert main(["score", str(path), "--indent", "0"]) == 0
    assert len(json.loads(capsys.readouterr().out)["pairs"]) == 2


def test_empty_sides():
    out = solve(instance([], [learning("l1")]))
    assert out["pairs"] == [] and out["objective"] == 0
    assert out["unmatched"] == [{"id": "l1", "why": "there are no experienced leads in this input"}]
    assert score(instance([], [])) == {"pairs": []}
