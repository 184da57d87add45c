"""AI engines behind one interface (ground floor: imports no hrm2 domain app).

    from hrm2.ai import get_engine
    result = get_engine("embedded").screen(resume_text, criteria, language="zh-hans")

``result`` is a :class:`~hrm2.ai.screening.ScreeningResult`, the same schema for every engine.
"""

from hrm2.ai.screening import (
    CriterionResult,
    Evidence,
    LLMCall,
    ScreeningEngine,
    ScreeningResult,
    UnknownEngineError,
    available_engines,
    check_evidence,
    get_engine,
    register_engine,
)

__all__ = [
    "CriterionResult",
    "Evidence",
    "LLMCall",
    "ScreeningEngine",
    "ScreeningResult",
    "UnknownEngineError",
    "available_engines",
    "check_evidence",
    "get_engine",
    "register_engine",
]
