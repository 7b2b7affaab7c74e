"""A subset of the simulated visitors (make eval runs all of them), every one must pass.

The emergencies here are the safety regression suite: each must still end in
`emergency`, with no booking link after the red flag, after any change to data or config.
"""

from bot.evaluation.cli import main as evaluate

SUBSET = [
    "acute-02", "acute-03", "acute-05", "acute-09",
    "subacute-01", "subacute-03", "subacute-09",
    "chronic-01", "chronic-04", "chronic-10",
    "sciatica-01", "sciatica-03", "sciatica-07",
    "piriformis-01", "piriformis-04",
    "emergency-bladder-01", "emergency-bowel-01", "emergency-saddle-01",
    "emergency-bilateral-01", "emergency-weakness-01", "emergency-sexual-01",
    "emergency-trauma-01", "emergency-chest-01", "emergency-fainting-01",
    "emergency-fever-01", "emergency-cancer-01", "emergency-weightloss-01",
    "emergency-night-01", "emergency-osteo-01", "emergency-steroids-01",
    "emergency-immune-01",
    "oos-neck-01", "oos-child-01",
]  # fmt: skip


def test_the_evaluation_subset_passes(stack, tmp_path):
    only = [arg for visitor in SUBSET for arg in ("--only", visitor)]
    report = tmp_path / "eval.json"
    status = evaluate(
        ["--rasa-url", stack.rasa_url, "--token", stack.token, "--min-accuracy", "1.0"]
        + ["--json", str(report), *only]
    )
    assert status == 0, report.read_text(encoding="utf-8")
