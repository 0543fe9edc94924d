"""How fresh each translation is: the revision of its source it reflects, and whether the
source's words have changed since.

A translation reflects the source's revision that was current when the translation last
changed: the newest commit of the source at or before the translation's newest commit, in
git's order (`SiteHistory.order`, which a rebase's dates do not upset); a commit that only
moved the translation (its plan's folder renamed) is no change of it. One saved since its
last commit, or never committed, is being written against the source as it is: it
reflects the newest revision. A translator who has checked a translation against a later
revision says so with `translation_of: <commit>`, which must name a revision of the source
(a short id will do); the translation is then `reviewed` against it, unless the
translation has changed since (its commits give a later revision, which it reflects).

The source has changed since when its translatable text (`translatable_text`: the text
fields and the prose) differs from that revision's: a change of a number, a date or a
status alone leaves the translation current. Pure: content and history in, states out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..content.frontmatter import parse_content
from ..content.kinds import Content
from ..content.load import UNREADABLE
from ..content.models import Plan
from ..content.text import decode
from ..content.translations import TRANSLATION_OF, Translation, translatable_text
from ..engine.errors import ContentError, Problem
from ..history.reading import FileCommit, FileLog, Revision, SiteHistory
from .urls import compare_url, revision_url

#: current: the source's words are as the translation found them; reviewed: so too, the
#: translator having said which later revision (`translation_of`); outdated: they have
#: changed since; unknown: without a full history there is no telling.
State = Literal["current", "outdated", "reviewed", "unknown"]
#: Characters of a commit id in messages, as `git log --oneline` shows them.
SHORT = 7


@dataclass(frozen=True)
class SourceRevision:
    """A revision of a translation's source, as a notice names it."""

    commit: str
    date: dt.datetime
    subject: str
    #: Its page (a plan's revision page), or None when its kind has no history pages.
    url: str | None = None

    @property
    def short(self) -> str:
        return self.commit[:SHORT]


@dataclass(frozen=True)
class TranslationState:
    """One translation's freshness against its source."""

    language: str
    path: str
    source: str
    state: State
    #: The source's revision the translation reflects; None when history cannot say, or
    #: the source was started anew after the translation last changed.
    reflects: SourceRevision | None
    #: When outdated: the first later revision that changed the source's words (None when
    #: they changed only in the file, not yet committed).
    changed: SourceRevision | None = None
    #: The source's newest revision: what `translation_of` would name once reviewed.
    latest: SourceRevision | None = None
    #: When the translation was last committed.
    last_changed: dt.datetime | None = None
    #: Everything that changed in the source since `reflects` (a plan's compare page);
    #: None when there is no such page (not a plan, or `reflects` is its newest revision).
    compare_url: str | None = None
    #: Why `translation_of` cannot be taken: it names no revision of the source.
    problem: Problem | None = None

    @property
    def outdated(self) -> bool:
        return self.state == "outdated"


#: Translation states by the source's path, then by language (as `Content.translations`).
TranslationStates = Mapping[str, Mapping[str, TranslationState]]


def history_paths(content: Content) -> tuple[list[str], list[str]]:
    """The files whose every revision the site reads (plans, updates, the sources of
    translations, to compare their words, and the translations of plans, which have
    history pages of their own), and the translations, whose commits it reads: the two
    lists `HistoryReading.finish` takes."""
    read = [item.path for item in (*content.plans, *content.of("update"))]
    shown = set(read)
    read += [source for source in content.translations if source not in shown]
    read += [
        t.path for plan in content.plans for t in content.translations.get(plan.path, {}).values()
    ]
    logged = [t.path for found in content.translations.values() for t in found.values()]
    return read, logged


def translation_states(
    content: Content, history: SiteHistory
) -> dict[str, dict[str, TranslationState]]:
    """The state of every translation whose source could be read."""
    items = {item.path: item for found in content.items.values() for item in found}
    states: dict[str, dict[str, TranslationState]] = {}
    for source, translations in content.translations.items():
        item = items.get(source)
        if item is None:
            continue  # the source has a mistake: said already
        judge = _Judge(content, history, item)
        states[source] = {
            language: judge.state(translation) for language, translation in translations.items()
        }
    return states


def problems_of(states: TranslationStates) -> list[Problem]:
    """Each `translation_of` that names no revision of its source: a mistake."""
    return [s.problem for found in states.values() for s in found.values() if s.problem]


def outdated(states: TranslationStates) -> list[TranslationState]:
    """The translations whose source's words have changed since, in the order of paths."""
    return sorted(
        (s for found in states.values() for s in found.values() if s.outdated),
        key=lambda s: s.path,
    )


def _last_change(log: FileLog) -> FileCommit | None:
    """The commit that last changed the file's text: a later one that only moved it (its
    plan's folder renamed, say) leaves the text as the translator left it."""
    commits = log.commits
    if not commits:
        return None
    n = len(commits) - 1
    while n and commits[n - 1].blob == commits[n].blob:
        n -= 1
    return commits[n]


class _Judge:
    """Tells the state of each translation of one source item."""

    def __init__(self, content: Content, history: SiteHistory, item: Any) -> None:
        self.content = content
        self.history = history
        self.item = item
        self.record = type(item)
        self.revisions = history.revisions.get(item.path, ())
        self.texts: dict[str, Any] = {}  # the source's translatable text, by blob
        doc = content.documents[item.path]
        self.now = translatable_text(self.record, doc.data, doc.body)

    def state(self, translation: Translation) -> TranslationState:
        log = self.history.logs.get(translation.path, FileLog())
        last_change = _last_change(log)
        base = TranslationState(
            translation.language,
            translation.path,
            translation.source,
            "unknown",
            None,
            latest=self._named(self.revisions[-1]) if self.revisions else None,
            last_changed=last_change.date if last_change else None,
        )
        complete = self.history.state == "full"
        if self.history.state == "absent" or (
            not complete and (last_change is None or last_change is log.commits[0])
        ):
            # A shallow clone's oldest commit seems to add every file: a change the
            # translation's first listed commit may never have made.
            return base
        reflects = self._derived(translation, log, last_change)
        reviewed = False
        if translation.translation_of is not None:
            named = {
                r.commit: r
                for r in self.revisions
                if r.commit.startswith(translation.translation_of)
            }
            if len(named) != 1:  # (in a shallow clone, the commit may be beyond its depth)
                problem = self._not_a_revision(translation, len(named)) if complete else None
                return replace(base, problem=problem)
            [marked] = named.values()
            if reflects is None or self._order(marked) >= self._order(reflects):
                reflects, reviewed = marked, True
        if reflects is None:
            if not complete or not self.revisions:
                # Not known; or a source never committed, which nothing can be behind yet.
                return replace(base, state="unknown" if self.revisions else "current")
            # The source was started anew (deleted, then written again) since.
            return replace(base, state="outdated", changed=self._named(self.revisions[0]))
        found = replace(
            base,
            reflects=self._named(reflects),
            compare_url=compare_url(self.item.slug, reflects.commit)
            if isinstance(self.item, Plan) and reflects is not self.revisions[-1]
            else None,
        )
        if self._text(reflects) == self.now:
            return replace(found, state="reviewed" if reviewed else "current")
        return replace(found, state="outdated", changed=self._first_change_after(reflects))

    def _derived(
        self, translation: Translation, log: FileLog, last_change: FileCommit | None
    ) -> Revision | None:
        """The revision the translation's own commits say it reflects."""
        if not self.revisions:
            return None
        if last_change is None or self._saved_since(translation, log):
            return self.revisions[-1]
        last = self.history.order.get(last_change.commit)
        if last is None:
            return None
        before = [r for r in self.revisions if self._order(r) <= last]
        return before[-1] if before else None

    def _saved_since(self, translation: Translation, log: FileLog) -> bool:
        """Whether the translation's file differs from its newest commit (as far as its
        fields and prose go: a blob that cannot be read is taken to be the file)."""
        if log.text is None:
            return False
        doc = self.content.documents.get(translation.path)
        try:
            committed = parse_content(decode(log.text, translation.path), translation.path)
        except ContentError:
            return True
        return doc is None or (committed.data, committed.body) != (doc.data, doc.body)

    def _order(self, revision: Revision) -> int:
        return self.history.order.get(revision.commit, -1)

    def _text(self, revision: Revision) -> Any:
        """The source's translatable text at `revision`; None when it cannot be read."""
        if revision.blob not in self.texts:
            try:
                doc = parse_content(decode(revision.raw, revision.path), revision.path)
                self.texts[revision.blob] = translatable_text(self.record, doc.data, doc.body)
            except (ContentError, *UNREADABLE):
                self.texts[revision.blob] = None
        return self.texts[revision.blob]

    def _first_change_after(self, reflects: Revision) -> SourceRevision | None:
        """The first revision after `reflects` that changed the source's words; None when
        only the file, not yet committed, has."""
        before = self._text(reflects)
        for revision in self.revisions[self.revisions.index(reflects) + 1 :]:
            text = self._text(revision)
            if text != before:
                return self._named(revision)
            before = text
        return None

    def _named(self, revision: Revision) -> SourceRevision:
        url = revision_url(self.item.slug, revision.commit) if isinstance(self.item, Plan) else None
        return SourceRevision(revision.commit, revision.date, revision.subject, url)

    def _not_a_revision(self, translation: Translation, named: int) -> Problem:
        """Why `translation_of` is not taken, when it names `named` revisions (not one)."""
        doc = self.content.documents[translation.path]
        commit, source = translation.translation_of, translation.source
        if named > 1:
            said = (
                f"'{TRANSLATION_OF}' {commit} names more than one commit of {source}; "
                "write more of its characters"
            )
        elif not self.revisions:
            said = (
                f"'{TRANSLATION_OF}' {commit} names a commit of {source}, which has none "
                f"yet; commit {source} first, or remove '{TRANSLATION_OF}'"
            )
        else:
            newest = self.revisions[-1]
            said = (
                f"'{TRANSLATION_OF}' {commit} is not a commit that changed {source}; name "
                f"the revision of {source} this translation was checked against (its newest "
                f"is {newest.commit[:SHORT]}, of {newest.date.date().isoformat()}; "
                f"git log --oneline -- {source} lists them all)"
            )
        return Problem(translation.path, doc.line((TRANSLATION_OF,)), said)
