"""The skill and certification lexicon (``data/skills.json``): canonical names and aliases.

A criterion term found in the lexicon matches any of its entry's surface forms ("Go" matches
"Golang"); a term not in the lexicon matches literally. Forms of at most two characters and
entries flagged ``case_sensitive`` (common English words such as Go, Spring, Less) match only
as written or in capitals; everything else matches case-insensitively.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "skills.json"


@dataclass(frozen=True)
class Form:
    text: str
    case_sensitive: bool


@dataclass(frozen=True)
class Entry:
    name: str
    aliases: tuple[str, ...]
    category: str
    case_sensitive: bool = False

    @cached_property
    def forms(self) -> tuple[Form, ...]:
        return tuple(
            Form(t, self.case_sensitive or len(t) <= 2) for t in (self.name, *self.aliases)
        )


class Lexicon:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._by_form: dict[str, Entry] = {}
        for entry in entries:
            for form in (entry.name, *entry.aliases):
                self._by_form.setdefault(form.casefold(), entry)

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> Lexicon:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            [
                Entry(
                    name=item["name"],
                    aliases=tuple(item.get("aliases", ())),
                    category=item.get("category", ""),
                    case_sensitive=bool(item.get("case_sensitive", False)),
                )
                for item in raw["skills"]
            ]
        )

    def lookup(self, term: str) -> Entry | None:
        return self._by_form.get(" ".join(term.split()).casefold())

    def forms_for(self, term: str) -> tuple[Form, ...]:
        """Surface forms that count as ``term`` in a resume."""
        entry = self.lookup(term)
        if entry is not None:
            return entry.forms
        term = " ".join(term.split())
        return (Form(term, len(term) <= 2),)

    def all_terms(self) -> list[str]:
        return [form for e in self.entries for form in (e.name, *e.aliases)]


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()
