import json
import subprocess
import sys
from pathlib import Path

import pytest

from tandem.engines.pairing import PairingInputError, parse_problem, score, solve
from tandem.engines.pairing.__main__ import main
from tandem.engines.pairing.reasons import CODES, render

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


def _spanish_pair() -> dict:
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
    return pair


def test_reasons_are_codes_with_parameters():
    pair = _spanish_pair()
    codes = [r["code"] for r in pair["reasons"]]
    assert codes == [
        "gap_priority",
        "shared_language",
        "overlap",
        "needs",
        "experience_gap",
        "goals",
        "score",
    ]
    params = {r["code"]: r["params"] for r in pair["reasons"]}
    assert params["gap_priority"] == {}
    assert params["shared_language"] == {
        "language": "es",
        "experienced_level": 3,
        "learning_level": 2,
        "also": [],  # only e1 speaks English
    }
    assert params["overlap"] == {"hours": 8.0}  # Mon + Wed 09:00-13:00 UTC on both sides
    assert params["needs"] == {  # "outreach" comes from the challenges text
        "total": 3,
        "covered": [
            {"topic": "metadata-quality", "level": 3, "from_challenges": False},
            {"topic": "outreach", "level": 2, "from_challenges": True},
        ],
        "missing": [{"topic": "training", "from_challenges": False}],
    }
    assert params["experience_gap"] == {"ahead": 2.0}  # (3 + 2 + 1) / 3 ahead of level 0
    assert set(params["goals"]["terms"]) == {"metadata", "quality"}
    parts = params["score"]["parts"]
    assert [name for name, _ in parts] == ["expertise", "goals", "language", "overlap", "gap"]
    assert params["score"]["score"] == pytest.approx(sum(v for _, v in parts))
    assert params["score"]["score"] == pair["score"]
    json.dumps(pair, allow_nan=False)  # stored as JSON as it is


def test_english_renderer_of_a_pair():
    text = [render(r) for r in _spanish_pair()["reasons"]]
    assert text[:5] == [
        "GAP-region learning lead (prioritised)",
        "both speak Spanish (3/3 and 2/3)",
        "8 h/week overlap",
        "covers 2 of 3 needs: metadata-quality 3/3, outreach 2/3 (from challenges); "
        "not covered: training",
        "experience gap: ahead by 2.0 levels on average on the needed topics",
    ]
    assert text[6].startswith("score 0.") and ", gap 0.100" in text[6]


@pytest.mark.parametrize(
    ("item", "english"),
    [
        ({"code": "pinned", "params": {}}, "pinned by programme staff"),
        ({"code": "swapped", "params": {}}, "swapped by programme staff"),
        (
            {
                "code": "overlap_dst",
                "params": {"min_hours": 2.0, "max_hours": 3.5, "week": "2024-03-11"},
            },
            "2 h/week overlap in the tightest weeks (first: week of 2024-03-11), up to 3.5 h in "
            "others (daylight saving time)",
        ),
        (
            {
                "code": "shared_language",
                "params": {
                    "language": "pt",
                    "experienced_level": 3,
                    "learning_level": 2,
                    "also": ["en", "fr"],
                },
            },
            "both speak Portuguese (3/3 and 2/3); also English, French",
        ),
        (
            {
                "code": "score",
                "params": {"score": 0.5, "parts": [["expertise", 0.25], ["gap", 0.25]]},
            },
            "score 0.500 = expertise 0.250, gap 0.250",
        ),
        (
            {
                "code": "candidates_full",
                "params": {
                    "count": 7,
                    "ids": ["e1", "e2", "e3", "e4", "e5"],
                    "more": 2,
                    "method": "gale-shapley",
                    "fixed": 1,
                    "gap": 0,
                    "higher_score": 6,
                },
            },
            "all 7 compatible experienced leads (Ann, e2, e3, e4, e5 and 2 more) are at full "
            "capacity in the stable assignment; their places went to 1 pinned or kept pair and "
            "6 pairs with a higher total score",
        ),
        (
            {
                "code": "no_language_match",
                "params": {"side": "experienced", "min_level": 2, "spoken": []},
            },
            "no shared language (at least level 2 of 3 on both sides) with any experienced lead "
            "from another organisation (speaks: none given)",
        ),
        ({"code": "legacy", "params": {"text": "as it was"}}, "as it was"),
    ],
)
def test_english_renderer(item, english):
    assert render(item, {"e1": "Ann"}) == english


def test_every_code_has_an_english_sentence():
    assert "legacy" in CODES and "swapped" in CODES and len(CODES) == 28


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
    # the CLI adds the English text to each code
    texts = {r["code"]: r["text"] for pair in result["pairs"] for r in pair["reasons"]}
    assert texts["gap_priority"] == "GAP-region learning lead (prioritised)"

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


def test_cli_solve_with_alternatives(tmp_path, capsys):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(valid()))
    assert main(["solve", str(path), "--alternatives", "1", "--indent", "0"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert all(len(best) == 1 for best in out["alternatives"].values())
    assert main(["solve", str(path), "--indent", "0"]) == 0
    assert "alternatives" not in json.loads(capsys.readouterr().out)


def test_empty_sides():
    out = solve(instance([], [learning("l1")]))
    assert out["pairs"] == [] and out["objective"] == 0
    assert out["unmatched"] == [
        {"id": "l1", "why": {"code": "no_candidates", "params": {"side": "experienced"}}}
    ]
    assert render(out["unmatched"][0]["why"]) == "there are no experienced leads in this input"
    assert score(instance([], [])) == {"pairs": []}
