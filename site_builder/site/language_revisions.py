"""Which revisions a plan has in each of the site's other languages.

A plan in another language is two files, the plan and its translation (`plan.es.md`), and
it changes when either does: its revisions are the commits of either, in git's order
(`SiteHistory.order`), from the first at which both files were there; each with the two
files as they stood after it. Pure: content and history in, histories out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..content.kinds import Content
from ..history.reading import Revision, SiteHistory

#: What a commit changed of a plan in another language.
Changed = Literal["source", "translation", "both"]


@dataclass(frozen=True)
class LanguageRevision:
    """One revision of a plan in another language: a commit, and the plan and its
    translation as they stood after it."""

    #: The commit's own record: of the plan, or of the translation when only it changed.
    revision: Revision
    source: Revision
    translation: Revision
    changed: Changed


@dataclass(frozen=True)
class LanguageHistory:
    """The revisions of one plan in one other language, oldest first."""

    language: str
    revisions: tuple[LanguageRevision, ...]
    #: The plan's revisions before its translation: in the first language's history alone.
    earlier: int


#: Each plan's histories in the other languages: by its path, then by language.
LanguageHistories = Mapping[str, Mapping[str, LanguageHistory]]


def language_histories(
    content: Content, history: SiteHistory
) -> dict[str, dict[str, LanguageHistory]]:
    """The history of every translated plan in each language it is translated into."""
    found: dict[str, dict[str, LanguageHistory]] = {}
    for plan in content.plans:
        sources = history.revisions.get(plan.path, ())
        for language, translation in content.translations.get(plan.path, {}).items():
            translations = history.revisions.get(translation.path, ())
            if sources and translations:
                found.setdefault(plan.path, {})[language] = _merged(
                    language, sources, translations, history.order
                )
    return found


def _merged(
    language: str,
    sources: tuple[Revision, ...],
    translations: tuple[Revision, ...],
    order: Mapping[str, int],
) -> LanguageHistory:
    """The commits of the plan and of its translation in git's order, each with both files
    as they stood, from the first at which both were there."""
    place = {r.commit: order.get(r.commit, -1) for r in (*sources, *translations)}
    commits = sorted(place, key=lambda commit: place[commit])
    by_commit = {r.commit: r for r in sources}
    translated_at = {r.commit: r for r in translations}
    source: Revision | None = None
    translation: Revision | None = None
    revisions: list[LanguageRevision] = []
    earlier = 0
    for commit in commits:
        changed_source, changed_translation = commit in by_commit, commit in translated_at
        source = by_commit.get(commit, source)
        translation = translated_at.get(commit, translation)
        if source is None or translation is None:
            earlier += changed_source
            continue
        changed: Changed = (
            "both"
            if changed_source and changed_translation
            else "source"
            if changed_source
            else "translation"
        )
        own = by_commit[commit] if changed_source else translated_at[commit]
        revisions.append(LanguageRevision(own, source, translation, changed))
    return LanguageHistory(language, tuple(revisions), earlier)
