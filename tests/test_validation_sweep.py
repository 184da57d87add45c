"""Sweeps over every input schema: each field has a label, each pydantic error type the schemas
can produce has a sentence, and our own checks speak Chinese. A new field without a label, a
constraint whose error type has no sentence, or an English ``ValueError`` in a validator fails
here."""

import re
import typing

import pytest
from django.utils import translation
from ninja.params.models import ParamModel
from pydantic import BaseModel, ValidationError

import hrm2.urls  # noqa: F401 - mounts every router on the API
from hrm2.ai.screening import Criteria
from hrm2.api.field_labels import HIDDEN_PARTS, field_names, registered_labels
from hrm2.api.main import api
from hrm2.api.validation_messages import OWN_MESSAGE_TYPES, TRANSLATED_TYPES, error_sentence
from hrm2.interviews.schemas import RecordQAIn, SessionIn
from hrm2.positions.schemas import CriteriaIn
from hrm2.recommend.schemas import EvaluationIn
from hrm2.resumes.schemas import ResumeCreateIn
from hrm2.resumes.schemas import UploadFormIn as ResumeUploadFormIn
from hrm2.screening.schemas import AssignmentIn, ScreeningIn
from hrm2.videos.schemas import ReanalyzeIn, VideoUpdateIn
from hrm2.videos.schemas import UploadFormIn as VideoUploadFormIn

CJK = re.compile(r"[\u4e00-\u9fff]")
# Validated outside ninja's operations (multipart forms, JSON read by hand, criteria in a dict).
EXTRA_SCHEMAS = (ResumeCreateIn, ResumeUploadFormIn, VideoUploadFormIn, ReanalyzeIn, Criteria)
# The error types the task names; each must have a sentence of its own.
REQUIRED_TYPES = {
    "missing",
    "string_too_short",
    "string_too_long",
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "int_parsing",
    "float_parsing",
    "bool_parsing",
    "enum",
    "literal_error",
    "too_short",
    "too_long",
    "json_invalid",
    "date_parsing",
    "datetime_parsing",
    "extra_forbidden",
    "uuid_parsing",
    "value_error",
}
JUNK = [
    None,
    "",
    "   ",
    "abc",
    "x" * 300_000,
    -1,
    0,
    1.5,
    10**30,
    float("inf"),
    True,
    [],
    [None],
    ["x"] * 2000,
    [5, 1],
    [-1, 1],
    {},
    {"k": "v"},
    "2024-13-45",
]


def _models(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _walk(model: type[BaseModel], path: tuple[str, ...], found: dict) -> None:
    """Every field path (as error locations name them) and every model under ``model``."""
    found.setdefault("models", set()).add(model)
    for name, field in model.model_fields.items():
        key = field.alias or name
        nested = _models(field.annotation)
        flattened = issubclass(model, ParamModel) and nested  # ninja spreads these out
        here = path if flattened or key in HIDDEN_PARTS else (*path, key)
        if here != path:
            found.setdefault("paths", set()).add(here)
        for sub in nested:
            if sub is not model:
                _walk(sub, here, found)


@pytest.fixture(scope="module")
def schemas() -> dict:
    found: dict = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _walk(model, (), found)
    for model in EXTRA_SCHEMAS:
        _walk(model, (), found)
    return found


def _labelled(path: tuple[str, ...], labels: dict) -> bool:
    return any(".".join(path[i:]) in labels for i in range(len(path)))


def test_every_input_field_has_a_label(schemas):
    labels = registered_labels()
    unlabelled = sorted(".".join(p) for p in schemas["paths"] if not _labelled(p, labels))
    assert not unlabelled, f"add these to an app's FIELD_LABELS: {unlabelled}"


def test_every_label_is_translated():
    with translation.override("zh-hans"):
        untranslated = {key: str(label) for key, label in registered_labels().items()}
    assert all(CJK.search(text) or text.startswith("If-Match") for text in untranslated.values()), (
        untranslated
    )


def _fuzzed_errors(models) -> list[dict]:
    errors = []
    for model in models:
        attempts = [{"unexpected_field_name": 1}, {}]
        attempts += [{name: value} for name in model.model_fields for value in JUNK]
        for data in attempts:
            try:
                model.model_validate(data)
            except ValidationError as exc:
                errors.extend(exc.errors(include_url=False))
            except (TypeError, ValueError):  # a model that needs a request to resolve
                continue
    return errors


# Our own checks, each triggered once: their messages must be gettext strings.
OWN_CHECKS = [
    (CriteriaIn, {"position": "x", "required_skills": ["y" * 101]}),
    (CriteriaIn, {"position": "x", "salary_range": [-1, 5]}),
    (CriteriaIn, {"position": "x", "salary_range": [9, 5]}),
    (CriteriaIn, {"position": "x", "weights": {"skills": 0}}),
    (CriteriaIn, {"position": "x", "required_skills": ["Go"], "optional_skills": ["go"]}),
    (ScreeningIn, {}),
    (ScreeningIn, {"position_id": "00000000-0000-0000-0000-000000000001", "position": {}}),
    (AssignmentIn, {"reviewer_ids": [1]}),
    (
        SessionIn,
        {
            "resume_data_id": "00000000-0000-0000-0000-000000000001",
            "job_config": {str(i): i for i in range(51)},
        },
    ),
    (RecordQAIn, {"question": {}, "answer": {"content": "x"}}),
    (VideoUpdateIn, {}),
    (EvaluationIn, {"group_id": "00000000-0000-0000-0000-000000000001", "weights": {"x": 1}}),
    (
        EvaluationIn,
        {"group_id": "00000000-0000-0000-0000-000000000001", "weights": {"soft_skills": -1}},
    ),
    (ResumeCreateIn, {"resume_content": "x"}),
]


def test_every_error_type_our_schemas_produce_has_a_sentence(schemas):
    assert REQUIRED_TYPES <= TRANSLATED_TYPES
    with translation.override("zh-hans"):
        errors = _fuzzed_errors(schemas["models"])
        for model, data in OWN_CHECKS:
            with pytest.raises(ValidationError) as caught:
                model.model_validate(data)
            errors.extend(caught.value.errors(include_url=False))
        produced = {e["type"] for e in errors}
        assert produced - TRANSLATED_TYPES == set(), "give these error types a sentence"
        assert {"missing", "extra_forbidden", "value_error", "string_too_long"} <= produced
        for error in errors:
            sentence = error_sentence(error)
            assert CJK.search(sentence), (error, sentence)
            assert "「" in sentence or not field_names(error["loc"]), (error, sentence)
            if error["type"] == "value_error":  # our own words, in Chinese
                assert CJK.search(str(error["ctx"]["error"])), error


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_sentence_names_the_field_in_both_languages(language):
    with translation.override(language):
        label = "最低工作年限" if language == "zh-hans" else "Minimum years of experience"
        contexts = {
            "too_short": {"min_length": 2},
            "too_long": {"max_length": 3},
            "string_too_short": {"min_length": 3},
            "string_too_long": {"max_length": 3},
            "greater_than": {"gt": 0},
            "greater_than_equal": {"ge": 0},
            "less_than": {"lt": 60},
            "less_than_equal": {"le": 60},
            "multiple_of": {"multiple_of": 2},
            "enum": {"expected": "'a' or 'b'"},
            "literal_error": {"expected": "'a', 'b' or 'c'"},
            "value_error": {"error": ValueError("x")},
            "assertion_error": {"error": AssertionError("x")},
        }
        for kind in TRANSLATED_TYPES - {"extra_forbidden"}:
            error = {"type": kind, "loc": ("body", "min_experience"), "ctx": contexts.get(kind)}
            sentence = error_sentence(error)
            if kind in OWN_MESSAGE_TYPES:  # our own words follow the label
                assert sentence in ("「最低工作年限」：x", "Minimum years of experience: x")
                continue
            assert label in sentence, (kind, sentence)
            in_chinese = bool(CJK.search(sentence.replace(label, "")))
            assert in_chinese == (language == "zh-hans"), (kind, sentence)
