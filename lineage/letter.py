"""A subject access request to the Department for Education, for a child's NPD record and its recipients.

A parent asks under Article 15 UK GDPR; the letter lists the releases that may hold the child's record (from
:func:`lineage.questions.records.record_reach`, the same answer as the /reach page) with their recipients,
what the record says was not released, and the numbered sources. It holds no data about the child but what
the parent types: the name, where given, replaces :data:`NAME_PLACEHOLDER` after the letter is rendered (the
/reach page does that in the browser, so the name never leaves it); every other personal detail is a
bracketed blank for the parent to fill in by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lineage.characters import line_break, unfit_character
from lineage.dates import academic_year_text, academic_years_text
from lineage.drafts import Draft, Part, format_of
from lineage.errors import LineageError
from lineage.model import CERTAINTY_WORDS, Citation, Node, ordered_citations, party_words
from lineage.questions.common import Related, chain_citations, quoted
from lineage.questions.records import Disclosure, Held, RecordReach, RecordRelease, listed_in, release_reference
from lineage.questions.statements import DISPUTED, Stated, said_by_sources, statement_words
from lineage.questions.timeline import TimelineEntry, compiler_note, dated_as

#: Where the child's name goes; replaced by the name the parent types, and left as a blank otherwise.
NAME_PLACEHOLDER = "[your child's full name]"
#: The longest name a letter takes, in characters: a full name, with room to spare (a 100,000-character one had
#: gone into a letter of 142 KB).
NAME_LIMIT = 200
SUBJECT = "Subject access request (Article 15 UK GDPR): my child's National Pupil Database record and its recipients"


def letter_parts(answer: RecordReach) -> list[Part]:
    """The letter, in parts: what it asks, and the releases, recipients and statements it asks about."""
    school, (first, last) = answer.chain.school, answer.years
    years = f"the academic {'year' if first == last else 'years'} {academic_years_text(first, last)}"
    those = answer.those_years
    others = [n for n in answer.schools if n.id != school.id]
    parts = [
        Part("p", "[Your name]\n[Your address]\n[Date]"),
        Part("p", "Data Protection Officer\nDepartment for Education"),
        Part("h", SUBJECT),
        Part("p", "Dear Data Protection Officer,"),
        Part(
            "p",
            "I am the parent of the child named below and I make this request on my child's behalf under Article 15 "
            "of the UK General Data Protection Regulation. Please send me:",
        ),
        Part(
            "li",
            "a copy of the personal data the Department holds about my child in the National Pupil Database "
            "(NPD) and in any data set drawn from it (Article 15(1) and 15(3));",
        ),
        Part(
            "li",
            "the purposes for which it is processed, and the categories of personal data concerned "
            "(Article 15(1)(a) and (b));",
        ),
        Part(
            "li",
            "the recipients or categories of recipient to whom it has been or will be disclosed, and for "
            "each release listed below whether my child's record was in it (Article 15(1)(c));",
        ),
        Part(
            "li",
            "how long it will be kept (Article 15(1)(d)), and where it did not come from me, its source "
            "(Article 15(1)(g)).",
        ),
        Part("h", "My child"),
        Part("p", f"Name: {NAME_PLACEHOLDER}\nDate of birth: [date of birth]\nUnique pupil number, if known: [UPN]"),
        Part(
            "p",
            f"School: {school.name} (URN {school.key}), in {years}."
            + (
                f" Get Information About Schools links it to: {'; '.join(f'{n.name} (URN {n.key})' for n in others)}."
                if others
                else ""
            )
            + (f" {answer.school_note}" if answer.school_note else ""),
            chain_citations(
                edge for side in (answer.chain.predecessors, answer.chain.successors) for *_, p in side for edge in p
            ),
        ),
        Part("h", "Releases that may hold my child's record"),
        Part(
            "p",
            f"The public record lists these releases of NPD data, which may hold records of {years}: those it "
            f"dates were made once data of {academic_year_text(first)} were in the NPD, and it gives no date for the "
            "others. Each may hold my child's record; the record does not say whether it does. Where a release's "
            "items are not published, I ask you to say what it held.",
        ),
    ]
    for group in answer.groups:
        for found in group.releases:
            release = found.reach.release
            names = ", ".join(r.node.name for r in found.recipients)
            to = f"to {names} ({group.label})" if names else group.label
            status = release.props.get("status")
            said = "".join(
                f"; {words}"
                for words in (*said_by_sources(found.statements), *said_by_sources(found.recipient_statements, True))
            )
            parts.append(
                Part(
                    "li",
                    f"{release_reference(release)}, {to}; {_when(release)}{_listed(release)}; "
                    f"{f'status: {status}; ' if status else ''}{found.certainty_words}; "
                    f"its source: {CERTAINTY_WORDS[release.certainty.level]}{said}",
                    (
                        *ordered_citations(release.citations),
                        *_recipients_citations(found),
                        *(
                            c
                            for s in (*found.statements, *found.recipient_statements)
                            for c in ordered_citations(s.statement.citations)
                        ),
                    ),
                )
            )
    if not answer.releases:
        parts.append(Part("p", f"The public record lists no release of NPD data that may hold records of {those}."))
    if answer.applications:
        parts += _section(
            "Applications and arrangements the record names without a release",
            "The public record also names these applications for NPD data and arrangements to share it; the sources "
            "naming them give no outcome, or one that is no release (a match confirmed as a flag alone). Where another "
            "source says what went under one, its words follow. Please say, for each, whether it was approved and "
            "whether my child's record was released, or checked, under it.",
        )
        for open_application in answer.applications:
            application = open_application.application
            applicant = application.props.get("applicant_as_cited")
            names = ", ".join(r.node.name for r in open_application.applicants) or (
                f"{applicant} (as the register words it; no one body)" if applicant else "applicant not named"
            )
            # the bodies it was made for, as its entry names them (DS00763: "LSE commissioned by Home Office and
            # Youth Endowment Fund"): the applicant alone hid the Home Office behind a university's application
            made_for = ", ".join(r.node.name for r in open_application.commissioned_by)
            if made_for:
                names += f", commissioned by {made_for} (as its entry words it)"
            status = application.props.get("status_as_cited")
            party = party_words(str(application.props.get("status"))).split()[-1]  # by an applicant, with a body
            said = "".join(f"; {words}" for words in said_by_sources(open_application.statements))
            if open_application.went_before_the_years:
                said += f"; the sources date what went under it before data of {those} were in the NPD"
            said += "".join(f"; {_agreement(r)}" for r in open_application.agreements)
            parts.append(
                Part(
                    "li",
                    f"{release_reference(application)}, {party} {names}; {_when(application)}"
                    f"{compiler_note(application)}{_listed(application)}; "
                    f"{f'status as cited: {status}' if status else 'status: not stated'}{said}",
                    (
                        *ordered_citations(application.citations),
                        *(c for r in open_application.commissioned_by for c in ordered_citations(r.link.citations)),
                        *(c for s in open_application.statements for c in ordered_citations(s.statement.citations)),
                        *(c for r in open_application.agreements for c in ordered_citations(r.node.citations)),
                    ),
                )
            )
    if answer.disclosures:
        parts += _section(
            "Other disclosures the record names",
            "The public record also gives these flows of pupil data to other bodies, which are not releases: "
            "figures of what the Department passed on, and accesses, each with the kind of source it rests on. It "
            "does not say whether my child's record was among them. Please say, for each, whether it was.",
        )
        parts += [_disclosed(d) for d in answer.disclosures]
    # the events of the record after 2018 that no release, disclosure or linked set gives, a part for each kind
    for lines, heading, opening in (
        (
            [*map(_event, answer.ons_access), *map(_figure, answer.ons_figures)],
            "NPD data reached through the Office for National Statistics",
            "The public record also says this of access to NPD data for research through the Office for National "
            "Statistics (ONS), and of the routes beside it, each line in its source's words with the kind of source "
            "it rests on. What they say was made available through the ONS is access, not data sent to researchers; "
            "where one says a data transfer will be necessary in some cases, or that some data are supplied "
            "directly, it names no transfer made. They name no researcher, and do not say whether my child's record "
            "was among the data reached. Please say whether my child's record was made available to anyone through "
            "the ONS, to whom and when, and whether it was transferred to any organisation instead.",
        ),
        (
            [*map(_event, answer.collection_events), *map(_figure, answer.collection_figures)],
            "What the record says of the NPD's data collections",
            "The public record also says this of the data collections that feed the NPD, each line in its source's "
            "words with the kind of source it rests on, whatever the years asked, each dated as its source dates "
            "it. It does not say whether my child's record holds what a line names. Please say whether the "
            "Department holds any such item of my child, how long it will be kept, and to whom it has been disclosed.",
        ),
        (
            [_event(r) for r in answer.npd_events],
            "What else the record says of the NPD",
            "The public record also says this of the National Pupil Database, whatever the years asked: oversight of "
            "it, agreements to share it and figures of requests to match against it, each line in its source's words "
            "with the kind of source it rests on, dated as its source dates it. It does not say whether my child's "
            "record was among the data a line concerns. Please say, for each, whether it was, and what the "
            "Department has done about each finding as it bears on my child's record.",
        ),
    ):
        if lines:
            parts += _section(heading, opening)
            parts += lines
    if answer.linked:
        parts += _section(
            "Linked data sets the record names",
            "The public record names these data sets, which link pupil records with other departments' records, and "
            "the bodies that hold them or are named as parties to them. Beyond what a line gives of a set (the "
            "children it covers, what else it draws on, its size), it does not say whose records are in them. "
            "Please say, for each, whether my child's record is, and which bodies have it.",
        )
        parts += [
            Part(
                "li",
                f"{h.text}; {h.certainty_words}",
                h.citations,
            )
            for h in answer.linked
        ]
    disputed = [held for held in answer.datasets if held.records_disputed]
    if disputed:
        parts += _section(
            "Data sets whose sources disagree whether they hold pupils' records",
            f"The Department's 2018 list of NPD data sets calls these data sets, which cover {those} or give no "
            "years, school-level; the note above each one's sheet in its NPD data tables calls its data personal level "
            "data. The public record does not say which is right. Please say, for each, whether it holds any record of "
            "my child.",
        )
        parts += [_held(held) for held in disputed]
    if answer.learner_records is not None:
        lrs = answer.learner_records
        parts.append(Part("h", "The Learning Records Service"))
        parts.append(
            Part(
                "p",
                f"If my child was 14 or over at any time in {those}, please also send the record the Department holds "
                f"of my child in its {lrs.record_set.name}, which is not the NPD, and say whether it was searched "
                "by or for any other organisation, which, when, and under what agreement.",
                tuple(ordered_citations(lrs.record_set.citations)),
            )
        )
        parts += [_disclosed(d) for d in (*lrs.accesses, *lrs.onward)]
        parts += [_event(r) for r in lrs.oversight]
    parts.append(Part("h", "What the record says was not released"))
    parts += [_stated(s) for s in answer.not_released] or [
        Part("p", "The record holds no statement that something was not released to these recipients.")
    ]
    if answer.planned:
        parts += _section(
            "What the record says was planned",
            "These sources say data were to go to bodies named here, as they give it. A plan is not a release: they "
            "do not say the data went. Please say whether any of it went, when, and whether my child's record was "
            "among it.",
        )
        parts += [_stated(s) for s in answer.planned]
    if answer.refused_to_say:
        parts += _section(
            "What bodies named here refused to say",
            "These bodies were asked about pupil data and refused to say, as the sources below give it. Please say "
            "what the Department knows of it: whether my child's record went on from them, and to whom.",
        )
        parts += [_stated(s) for s in answer.refused_to_say]
    parts += [
        Part("p", "Please reply within one month of receiving this request, as Article 12(3) requires."),
        Part("p", "Yours faithfully,\n[Your name]"),
    ]
    return parts


@dataclass(frozen=True, slots=True)
class Written(Draft):
    placeholder: str  # NAME_PLACEHOLDER as it stands in the text, where the name was not given
    references: tuple[str, ...]  # the releases it lists


def checked_name(name: str | None) -> str:
    """The child's name as a letter writes it (one line, spaces collapsed, as /reach writes it), or a
    LineageError saying why it cannot: checked before the record is read, so a mistyped name costs nothing."""
    unfit = unfit_character(name or "") or line_break(name or "")  # a cell may hold a line break; a name is one line
    if unfit:
        raise LineageError(f"the name holds {unfit}: type it as plain text on one line")
    name = " ".join((name or "").split())
    if len(name) > NAME_LIMIT:
        raise LineageError(f"the name is {len(name):,} characters long: a letter takes one of {NAME_LIMIT} at most")
    return name


def write(answer: RecordReach, fmt: str = "txt", name: str | None = None) -> Written:
    """The letter in ``fmt``; the child's name, if given, in place of :data:`NAME_PLACEHOLDER`."""
    chosen = format_of(fmt, "letter")
    name = checked_name(name)
    placeholder = chosen.safe(NAME_PLACEHOLDER)
    text = chosen.render(letter_parts(answer), SUBJECT)
    if name:
        text = text.replace(placeholder, chosen.safe(name))
    school, (first, last) = answer.chain.school, answer.years
    references = tuple(dict.fromkeys(release_reference(r.reach.release) for r in answer.releases))
    return Written(
        text,
        fmt,
        chosen.media_type,
        f"subject-access-request-urn-{school.key}-{first}-{last}.{fmt}",
        placeholder,
        references,
    )


def _when(node: Node) -> str:
    """A release's or an application's date, or its date as its source words it ("since July 2015 (monthly)": the
    Home Office's exchange had been said to have 'no date in the record' beside its own start)."""
    date, words = node.props.get("date"), node.props.get("date_as_cited")
    if isinstance(date, dt.date):
        return f"dated {date.day} {date:%B %Y}"
    return f"dated as cited: {words}" if words else "no date in the record"


def _listed(node: Node) -> str:
    """Where a referenced release or application is listed (:func:`listed_in`), after its date: the register's
    edition is no date of its own."""
    register = listed_in(node)
    return f"; listed in {register}" if register else ""


def _agreement(related: Related) -> str:
    """An agreement a source ties to the application, as its source gives it, in the words an event's line gives it
    (:func:`_event_words`): what went on under it (DWP's 2018 check "formalised" since) is asked about with the
    application, with the ends its row gives (from DfE to DWP), which its quote alone does not say."""
    event = related.node
    sure = CERTAINTY_WORDS[event.certainty.level]
    return f"an agreement its source ties to it ({dated_as(event) or 'undated'}; {sure}): {_event_words(event)}"


def _section(heading: str, asked: str) -> list[Part]:
    """A heading and what the letter asks of the items listed under it."""
    return [Part("h", heading), Part("p", asked)]


def _stated(stated: Stated) -> Part:
    """What a source says of a body or a release, in its words, with the compiler's notes as an event's or a flow's
    line gives them (the Home Office's planned nationality: "same source: nationality collection stopped 2018 and
    data destroyed"), and the kind of source it rests on: a copy of DfE's answer a third party keeps is not DfE's
    own page."""
    words = _contested(stated, statement_words(stated.statement) + compiler_note(stated.statement))
    return Part(
        "li",
        f"{stated.subject}{_as_of(stated)}: {words}; {CERTAINTY_WORDS[stated.statement.certainty.level]}",
        tuple(ordered_citations(stated.statement.citations)),
    )


def _event(concerning: Related) -> Part:
    """An event, dated as its source dates it, in the compiler's words and the source's, with the compiler's notes
    and how sure it is: the ICO's findings and the fine it considered rest on the press's and a law firm's
    accounts, the LRS clause on a third party's copy of Parliament's page, the ONS access on the regulator's letter."""
    event = concerning.node
    return Part(
        "li",
        f"{dated_as(event) or 'undated'}: {_event_words(event)}; {CERTAINTY_WORDS[event.certainty.level]}",
        tuple(ordered_citations(concerning.link.citations)),
    )


def _event_words(event: Node) -> str:
    """An event in the compiler's words (its kind and the ends its row gives: "agreement from HMRC to Department
    for Education (DfE): no records named"), then its source's words and the compiler's notes."""
    quote = event.props.get("quote")
    text = str(event.props.get("text") or event.name)
    return text + (": " + quoted(quote) if quote else "") + compiler_note(event)


def _figure(entry: TimelineEntry) -> Part:
    """A published figure that is no flow (the census's nationality items' collection period), dated as its source
    dates it, in the compiler's words with the notes on it, and how sure it is."""
    return Part(
        "li", f"{entry.when or 'undated'}: {entry.text}; {CERTAINTY_WORDS[entry.certainty.level]}", entry.citations
    )


def _held(held: Held) -> Part:
    """A data set of those years, with what each source says of its level, in its words: the list's school-level
    beside the note's "personal level data", neither chosen."""
    dataset = held.dataset
    years = academic_years_text(*held.years) if held.years else "years not given in the record"
    title = dataset.props.get("title") or dataset.name
    return Part(
        "li", f"{title} ({dataset.name}), {years}: {held.level_said}", tuple(ordered_citations(dataset.citations))
    )


def _disclosed(disclosure: Disclosure) -> Part:
    """A figure or an access, not a release: when, what went in the source's words, and how sure it is."""
    return Part(
        "li",
        f"{disclosure.when}: {disclosure.text}; {disclosure.certainty_words}",
        tuple(ordered_citations(disclosure.to.link.citations)),
    )


def _as_of(stated: Stated) -> str:
    return f" (as of {stated.as_of})" if stated.as_of else ""


def _contested(stated: Stated, words: str) -> str:
    """A statement's words, marked where another cited source disagrees: a letter quoting one side alone would
    state as settled what the record holds as disputed."""
    return f"{words}{DISPUTED}" if stated.contested else words


def _recipients_citations(found: RecordRelease) -> list[Citation]:
    """The sources of a release's links to its recipients, each link's in order."""
    return [c for r in found.recipients for c in ordered_citations(r.link.citations)]
