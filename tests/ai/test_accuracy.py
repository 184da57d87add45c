"""Per-criterion extraction accuracy of the embedded engine on the labelled fixture set."""

from hrm2.ai import check_evidence

from .fixtures.labelled import POSITIONS, RESUMES


def _verdicts(engine, resume):
    result = engine.screen(resume["text"], POSITIONS[resume["position"]])
    check_evidence(result, resume["text"])
    return {f"{r.criterion.kind}:{r.criterion.name}": r.verdict for r in result.criteria_results}


def test_fixture_set_shape():
    assert len(RESUMES) >= 20
    assert len({r["position"] for r in RESUMES}) >= 3
    chinese = sum(1 for r in RESUMES if "-zh-" in r["id"])
    assert 0.4 <= chinese / len(RESUMES) <= 0.6


def test_every_labelled_criterion_is_produced(engine):
    for resume in RESUMES:
        assert set(_verdicts(engine, resume)) == set(resume["expected"]), resume["id"]


def test_extraction_accuracy(engine):
    total = correct = 0
    misses = []
    for resume in RESUMES:
        got = _verdicts(engine, resume)
        for key, want in resume["expected"].items():
            total += 1
            if got.get(key) == want:
                correct += 1
            else:
                misses.append(f"{resume['id']} {key}: expected {want}, got {got.get(key)}")
    accuracy = correct / total
    print(f"\nembedded extraction accuracy: {correct}/{total} = {accuracy:.3f}")
    print("\n".join(misses))
    assert accuracy >= 0.9, misses
