// Where the record may have gone: record-reach's answer drawn as lists a parent reads top to bottom (the
// schools asked about together, the data sets, the releases by who received them, what was not released) and
// the timeline of those years, each fact with its numbered sources. Touches #answer and what is in it, #status,
// #error (a page of releases that failed) and the header's #playground-link.

import { nodeParams } from "/static/shared/address.js";
import { $, button, element, plural, showError } from "/static/shared/dom.js";
import { ask, setPlayground } from "/static/shared/graphql.js";
import { CERTAINTY_WORDS, STATEMENT_KINDS } from "/static/shared/vocabulary.js";
import { cite } from "./sources.js";
import { academicYears, reachVariables } from "./years.js";

const PAGE = 100; // releases per request when a group is shown whole

export async function showAnswer(search, current) {
  const variables = reachVariables(search);
  $("#status").textContent = "Looking up the record…";
  setPlayground("record-reach", variables);
  performance.mark("reach-requested");
  const timeline = ask("timeline", {
    from: `${variables.fromYear}-09-01`,
    to: `${variables.toYear + 1}-08-31`,
    kinds: null,
  });
  timeline.catch(() => {}); // awaited below; a failure before that (or a view left behind) is no unhandled one
  const answer = (await ask("record-reach", variables)).recordReach;
  if (!current()) return;
  performance.mark("reach-received");
  drawAnswer(answer, variables);
  performance.mark("reach-drawn");
  requestAnimationFrame(() => performance.mark("reach-painted"));
  drawTimeline((await timeline).timeline, answer.thoseYears);
  if (!current()) return;
  $("#status").textContent = `Shown: ${answer.releasesCount} releases that may hold the record.`;
}

function drawAnswer(answer, variables) {
  const school = answer.chain.school;
  const years = academicYears(answer.fromYear, answer.toYear);
  const statements = answer.notReleased.length;
  $("#answer").hidden = false;
  // the page's words for the years asked, as the letter's (RecordReach.those_years): "that year" for one
  for (const words of document.querySelectorAll(".those-years")) words.textContent = answer.thoseYears;
  $("#answer-title").textContent = `${school.name} (URN ${school.key}), ${years}`;
  $("#answer-summary").textContent =
    `${plural(answer.releasesCount, "release")} of NPD data may hold the record of a pupil at this school in ` +
    `${years}; ${plural(statements, "statement")} ${statements === 1 ? "says" : "say"} what was not released.`;
  drawChain(answer.chain, answer.schoolNote);
  drawDatasets(answer.datasets);
  $("#groups").replaceChildren(...answer.groups.map((group) => drawGroup(group, variables)));
  drawNotReleased(answer.notReleased);
  drawListed("#planned", statedItems(answer.planned)); // a plan, never a release: the Home Office's 2015 MoU
  drawListed("#refused", statedItems(answer.refusedToSay));
  drawApplications(answer.applications, answer.thoseYears);
  drawDisclosures(answer.disclosures, answer.thoseYears);
  // what the record says of NPD data reached through the ONS (the OSR's letters) and of the routes beside it
  drawListed("#ons", [...answer.onsAccess.map(eventItem), ...answer.onsFigures.map(figureItem)]);
  // the census's nationality items: the events of 2018, and the figure whose notes give the later accounts of them
  drawListed("#collection-events", [
    ...answer.collectionEvents.map(eventItem),
    ...answer.collectionFigures.map(figureItem),
  ]);
  drawListed("#npd-events", answer.npdEvents.map(eventItem)); // the ICO's audit, the Home Office's agreement and requests
  drawLinked(answer.linked);
  drawLearnerRecords(answer.learnerRecords);
  $("#answer-title").focus();
}

function drawChain(chain, note) {
  const asked = `${chain.school.name} (URN ${chain.school.key}): the school asked about`;
  const items = [element("li", note ? `${asked}. ${note}` : asked)];
  for (const [side, said] of [[chain.predecessors, "before it"], [chain.successors, "after it"]]) {
    for (const step of side) {
      const item = element("li", `${step.school.name} (URN ${step.school.key}): ${said}, ${step.hops} link(s) away`);
      for (const l of step.links) {
        item.append(element("span", ` (${l.linkType}${l.validFrom ? `, ${l.validFrom}` : ""})`));
      }
      item.append(cite(step.links.flatMap((l) => l.citations)));
      items.push(item);
    }
  }
  $("#chain").replaceChildren(...items);
}

/** The data sets of those years; those DfE's list calls school-level apart, each with what every source says of it
 * (lineage.questions.records.Held.level_said): where the note above its sheet says "personal level data", the sources
 * disagree whether it holds pupils' records, and the page says so without choosing. */
function drawDatasets(datasets) {
  $("#datasets").replaceChildren(...datasets.filter((held) => !held.schoolLevel).map(datasetItem));
  drawListed(
    "#school-level-datasets",
    datasets.filter((held) => held.schoolLevel).map((held) => {
      const item = datasetItem(held);
      item.lastChild.before(`. ${held.levelSaid}`); // before its sources
      return item;
    }),
  );
}

function datasetItem(held) {
  const item = element("li");
  const dataset = held.dataset;
  const years = held.fromYear === null
    ? "years not given in the record"
    : academicYears(held.fromYear, held.toYear);
  item.append(element("strong", dataset.title || dataset.name), ` (${dataset.name}): ${years}`);
  if (held.collections.length) item.append(`; fed by ${held.collections.map((c) => c.node.name).join(", ")}`);
  item.append(cite([...dataset.citations, ...held.collections.flatMap((c) => c.link.citations)]));
  return item;
}

/** A group of releases by kind of recipient; a group cut short has a button that shows the rest, a page at a time. */
function drawGroup(group, variables) {
  const section = element("section", null, "group");
  const releases = group.releases;
  section.append(element("h4", `${group.label} (${releases.totalCount})`));
  const list = element("ul");
  list.append(...releases.nodes.map(drawRelease));
  section.append(list);
  if (releases.truncated) {
    let after = releases.pageInfo.endCursor;
    const more = button(`Show all ${releases.totalCount}`, async () => {
      more.disabled = true;
      try {
        while (after) {
          const page = (await ask("record-reach", { ...variables, group: group.label, first: PAGE, after }))
            .recordReach.groups[0].releases;
          list.append(...page.nodes.map(drawRelease));
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        }
        more.remove();
      } catch (error) {
        more.disabled = false;
        showError(error);
      }
    });
    section.append(more);
  }
  return section;
}

function drawRelease(found) {
  const release = found.release;
  const item = element("li", null, "release");
  item.append(element("strong", found.reference));
  if (found.recipients.length) {
    item.append(" to ");
    found.recipients.forEach((r, i) => item.append(i ? ", " : "", nodeLink(r.node)));
  } else {
    item.append(" (the record names no recipient)");
  }
  const when = release.date
    ? `dated ${release.date}`
    : release.dateAsCited
      ? `dated as cited: ${release.dateAsCited}`
      : "no date in the record";
  item.append(`; ${when}${listed(found.listedIn)}`);
  if (release.status) item.append(`; ${release.status}`);
  const certainty = `certainty ${found.scopePublished ? "scoped" : "unpublished"}`;
  item.append(" ", element("span", found.certaintyWords, certainty));
  // the kind of source the release itself rests on, as the letter says it: a requester's quote of a register is
  // not DfE's register
  item.append(`; its source: ${CERTAINTY_WORDS[release.certainty.level]}`);
  item.append(cite([...release.citations, ...found.recipients.flatMap((r) => r.link.citations)]));
  const detail = element("details");
  const summary = found.scopePublished ? "data sets and years it may hold" : "why nothing can be matched";
  detail.append(element("summary", summary));
  const matched = element("ul");
  matched.append(...found.matched.map((said) => element("li", said)));
  detail.append(matched);
  item.append(detail);
  // what sources say went in it, or to its recipients naming no release (maybe in this one), each in its words
  const said = [
    ...byQuote(found.statements).map((stated) => [stated, "a source says: "]),
    ...byQuote(found.recipientStatements).map((stated) => [
      stated,
      `a source says of ${stated.about.node.name}, naming no release: `,
    ]),
  ];
  if (said.length) {
    const sources = element("details");
    sources.append(element("summary", "what sources say went"));
    const list = element("ul");
    for (const [stated, lead] of said) {
      const line = element("li", lead);
      appendStated(line, stated);
      list.append(line);
    }
    sources.append(list);
    item.append(sources);
  }
  return item;
}

/** Where a referenced release or application is listed (the answer's listedIn), after its date, as the letter says
 * it: where it is listed, never a date of its own. */
function listed(register) {
  return register ? `; listed in ${register}` : "";
}

/** A link to the node in the explorer, where all it is linked to can be seen. */
function nodeLink(node) {
  const a = element("a", node.name);
  a.href = `/explore?${nodeParams(node.id)}`;
  return a;
}

/** The statements, one per quote, its items together, each distinct note of its rows once and every statement's
 * sources cited: a quote naming five items is five statements, and was shown five times (the letter groups them
 * alike, lineage.questions.said_by_sources). */
function byQuote(statements) {
  const grouped = new Map();
  for (const stated of statements) {
    const s = stated.statement;
    const key = JSON.stringify([s.sourceKind, stated.kind, s.quote || s.id, stated.contested, stated.about.node.id]);
    const found = grouped.get(key);
    if (!found) {
      grouped.set(key, { ...stated, notes: [s.notes], statement: { ...s, citations: [...s.citations] } });
      continue;
    }
    if (!found.notes.includes(s.notes)) found.notes.push(s.notes);
    const items = found.statement.itemsAsWritten;
    if (s.itemsAsWritten && !(items || "").split("; ").includes(s.itemsAsWritten)) {
      found.statement.itemsAsWritten = items ? `${items}; ${s.itemsAsWritten}` : s.itemsAsWritten;
    }
    found.statement.citations.push(...s.citations);
  }
  return [...grouped.values()];
}

/** What one source says, in its words, appended to ``item``: the kind, its items and quote, the compiler's notes
 * (each of a quote's rows' once, as byQuote gathers them: the Cabinet Office's extraction, its link to the register's
 * entries "NOT established"), its source, and whether another cited source disagrees. */
function appendStated(item, stated) {
  const s = stated.statement;
  item.append(STATEMENT_KINDS[stated.kind]);
  if (s.itemsAsWritten) item.append(` (${s.itemsAsWritten})`);
  if (s.quote) item.append(": ", element("q", s.quote));
  // the letter says these alike (lineage.questions.statements.quoted_words): the years its source gives where its
  // quote does not, and what another copy of its source reads
  const quoted = (s.quote || "").toLowerCase();
  if (s.yearsAsWritten && !quoted.includes(s.yearsAsWritten.toLowerCase())) {
    item.append(` (years, as the source gives them: ${s.yearsAsWritten})`);
  }
  if (s.anotherCopyReads) item.append(" (another copy of its source reads ", element("q", s.anotherCopyReads), ")");
  for (const notes of stated.notes || [s.notes]) item.append(compilerNote(notes));
  item.append(element("span", ` — ${[s.sourceKind, s.dateAsCited].filter(Boolean).join(", ")}`, "hint"));
  if (stated.contested) item.append(element("span", " another cited source disagrees", "contested"));
  item.append(cite(s.citations));
}

/** Statements about the bodies and releases asked about, each under the name of what it is about. */
function statedItems(statements) {
  return statements.map((stated) => {
    const item = element("li");
    const asOf = stated.asOf ? ` (as of ${stated.asOf})` : ""; // what a body was told, as of its source's day
    item.append(element("strong", stated.subject + asOf), ": "); // the bodies in the source's words, if it gives them
    appendStated(item, stated);
    return item;
  });
}

function drawNotReleased(statements) {
  const items = statedItems(statements);
  const none = "The record holds no such statement about these releases or recipients.";
  $("#not-released").replaceChildren(...(items.length ? items : [element("li", none)]));
}

/** An event's date as its source gives it, and what the date is where it is not the event's own (an article's),
 * as the letter says it (timeline.dated_as). */
function datedAs(event) {
  return event.dateAsCited ? `${event.dateAsCited}${event.dateIs ? ` (${event.dateIs})` : ""}` : "undated";
}

/** The compiler's notes on a row, said after what it gives, as the letter says them (timeline.compiler_note). */
function compilerNote(notes) {
  return notes ? ` (the compiler's note: ${notes})` : "";
}

/** Applications without an outcome, or with one that is no release: listed apart, never as releases, each with its
 * applicant and sources. */
function drawApplications(applications, thoseYears) {
  const items = applications.map((open) => {
    const application = open.application;
    const item = element("li");
    const asCited = application.applicantAsCited && `${application.applicantAsCited} (as the register words it; no one body)`;
    const applicant = open.applicants.map((a) => a.node.name).join(", ") || asCited || "applicant not named";
    // the bodies it was made for, as its entry names them, as the letter gives them (DS00763's Home Office)
    const madeFor = open.commissionedBy.map((c) => c.node.name).join(", ");
    const by = madeFor ? `${applicant}, commissioned by ${madeFor} (as its entry words it)` : applicant;
    // its date, and the compiler's note on what it is where the row says (a column of three kinds of date)
    const day = application.date || application.dateAsCited || "no date in the record";
    const when = day + compilerNote(application.notes) + listed(open.listedIn);
    const status = application.statusAsCited ? `status as cited: ${application.statusAsCited}` : "status: not stated";
    item.append(element("strong", application.reference || application.name), ` by ${by}; ${when}; ${status}`);
    const linked = [...open.applicants, ...open.commissionedBy];
    item.append(cite([...application.citations, ...linked.flatMap((a) => a.link.citations)]));
    // the register gives no outcome; another source may say what went under it, in its own words
    for (const stated of byQuote(open.statements)) {
      item.append("; a source says: ");
      appendStated(item, stated);
    }
    if (open.wentBeforeTheYears) {
      item.append(`; the sources date what went under it before data of ${thoseYears} were in the NPD`);
    }
    // an agreement a source ties to the application, as the letter gives it (lineage.letter._agreement)
    for (const agreed of open.agreements) {
      const event = agreed.node;
      const sure = CERTAINTY_WORDS[event.certainty.level];
      item.append(`; an agreement its source ties to it (${datedAs(event)}; ${sure}): `);
      appendEvent(item, event);
      item.append(cite(event.citations));
    }
    return item;
  });
  const none = "The record names no application without a release.";
  $("#applications").replaceChildren(...(items.length ? items : [element("li", none)]));
}

/** Linked data sets, each with who holds it or is a party to it, how sure, its sources. */
function drawLinked(linked) {
  const items = linked.map((h) => {
    const item = element("li", `${h.text}; ${h.certaintyWords}`);
    item.append(cite(h.citations));
    return item;
  });
  $("#linked").replaceChildren(...(items.length ? items : [element("li", "The record names no linked data set.")]));
}

/** A figure or an access, not a release: when, what went (in the source's words), how sure, its sources. */
function disclosed(d) {
  const item = element("li");
  item.append(element("strong", d.when), `: ${d.text}; ${d.certaintyWords}`);
  item.append(cite(d.to.link.citations));
  return item;
}

function drawDisclosures(disclosures, thoseYears) {
  const items = disclosures.map(disclosed);
  const none = `The record names no other disclosure once data of ${thoseYears} were in the NPD.`;
  $("#disclosures").replaceChildren(...(items.length ? items : [element("li", none)]));
}

/** The LRS's accesses (whatever the years asked), what those given access passed on, then the oversight that
 * judged its use, each in its source's words. */
function drawLearnerRecords(learners) {
  const items = learners ? [...learners.accesses, ...learners.onward].map(disclosed) : [];
  items.push(...(learners ? learners.oversight : []).map(eventItem));
  $("#learners").replaceChildren(...(items.length ? items : [element("li", "The record names no access to it.")]));
}

/** An event concerning what is asked about, as the letter gives it (lineage.letter._event): its date as its source
 * gives it, its words, the compiler's note, how sure, its sources. */
function eventItem(o) {
  const item = element("li");
  item.append(element("strong", datedAs(o.node)), ": ");
  appendEvent(item, o.node);
  // how sure, as every other line says: the ICO's findings are the press's and a law firm's accounts of them
  item.append(`; ${CERTAINTY_WORDS[o.node.certainty.level]}`);
  item.append(cite(o.link.citations));
  return item;
}

/** An event appended to ``item`` in the compiler's words (its kind and the ends its row gives), its source's and
 * the compiler's notes, as the letter says it (lineage.letter._event_words). */
function appendEvent(item, event) {
  item.append(event.text || event.name);
  if (event.quote) item.append(": ", element("q", event.quote));
  item.append(compilerNote(event.notes));
}

/** A published figure that is no flow, as the letter gives it: dated as its source dates it, in the compiler's
 * words with the notes on it, and how sure it is. */
function figureItem(entry) {
  const item = element("li");
  item.append(element("strong", entry.when || "undated"), `: ${entry.text}`);
  item.append(`; ${CERTAINTY_WORDS[entry.certainty.level]}`);
  item.append(cite(entry.citations));
  return item;
}

/** Lines listed under ``selector`` (events, statements, figures), their section shown only where there is one. */
function drawListed(selector, items) {
  $(selector).replaceChildren(...items);
  $(selector).closest("section").hidden = !items.length;
}

function drawTimeline(answer, thoseYears) {
  const entries = answer.entries.nodes.map((entry) => {
    const item = element("li");
    item.append(element("strong", entry.when), `: ${entry.text}`); // its date says what it is, its text if unverified
    item.append(cite(entry.citations));
    return item;
  });
  if (answer.entries.truncated) entries.push(element("li", `and ${answer.entries.totalCount - entries.length} more`));
  $("#timeline").replaceChildren(...(entries.length ? entries : [element("li", `No dated event in ${thoseYears}.`)]));
}
