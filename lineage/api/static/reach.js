// /reach: where a record from a school in some years may have gone, for parents. It asks the app's own /graphql
// the cookbook's operations (school-search, record-reach, timeline, letter), fetched from /cookbook as the
// explorer does, so the page asks exactly what the playground answers. Every search is an address (?q, ?urn,
// ?from, ?to) that can be shared. The child's name typed for the letter stays in this page: it goes into the
// letter here, is never part of the address and is never sent.
"use strict";

(() => {
  const OPERATIONS = ["school-search", "record-reach", "timeline", "letter"];
  const FIRST_YEAR = 1996; // the NPD's pupil records begin then (the campaign's timeline)
  const PAGE = 100; // releases per request when a group is shown whole
  const $ = (selector) => document.querySelector(selector);
  const texts = new Map(OPERATIONS.map((name) => [name, load(name)]));
  let routeToken = 0;
  let sources = new Map(); // "document|file|row|address" -> its number on the page
  let focusYears = false; // a school was just picked: the years are what to do next

  // ---- asking /graphql the cookbook's operations ------------------------------------------------------

  async function load(name) {
    const response = await fetch(`/cookbook/${name}.graphql`);
    if (!response.ok) throw new Error(`the cookbook's ${name} operation is missing (${response.status})`);
    return response.text();
  }

  async function ask(name, variables) {
    const request = { query: await texts.get(name), variables };
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(request),
    });
    const body = await response.json().catch(() => null);
    const problems = (body && body.errors) || [];
    if (!body || problems.length || !body.data) {
      const said = problems.map((problem) => problem.message).join("; ");
      throw new Error(said || `/graphql answered ${response.status} without an answer`);
    }
    return body.data;
  }

  // ---- small builders -------------------------------------------------------------------------------

  function make(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function academic(year) {
    return `${year}/${String((year + 1) % 100).padStart(2, "0")}`;
  }

  function reachUrl(params) {
    const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== "")).toString();
    return query ? `/reach?${query}` : "/reach";
  }

  function go(params) {
    history.pushState(null, "", reachUrl(params));
    route();
  }

  function nodeLink(node) {
    const a = make("a", node.name);
    a.href = `/explore?${new URLSearchParams({ view: "node", id: node.id })}`;
    return a;
  }

  /** Numbered references to the page's list of sources, each a link to it. */
  function cite(citations) {
    const span = make("span", null, "refs");
    const numbers = new Set();
    for (const c of citations || []) {
      const key = [c.document, c.file, c.row, c.address].join("|");
      if (!sources.has(key)) {
        sources.set(key, sources.size + 1);
        $("#sources").append(sourceItem(c, sources.size));
      }
      numbers.add(sources.get(key));
    }
    for (const number of numbers) {
      const a = make("a", `[${number}]`);
      a.href = `#source-${number}`;
      a.setAttribute("aria-label", `source ${number}`);
      span.append(" ", a);
    }
    return span;
  }

  function sourceItem(c, number) {
    const item = make("li");
    item.id = `source-${number}`;
    item.append(`${c.document}, ${c.file}${c.row ? `, row ${c.row}` : ""}`);
    if (/^https?:\/\//.test(c.address || "")) {
      const a = make("a", c.address);
      a.href = c.address;
      a.rel = "noopener noreferrer";
      item.append(": ", a);
    } else if (c.address) {
      item.append(`: ${c.address}`);
    }
    return item;
  }

  function showError(error) {
    $("#error").hidden = !error;
    $("#error").textContent = error ? String(error.message || error) : "";
  }

  // ---- the address is the search ----------------------------------------------------------------------

  function readParams() {
    const params = new URLSearchParams(location.search);
    const year = (name) => (/^\d{4}$/.test(params.get(name) || "") ? Number(params.get(name)) : null);
    const urn = /^\d+$/.test(params.get("urn") || "") ? Number(params.get("urn")) : null;
    return { q: params.get("q") || "", urn, from: year("from"), to: year("to") };
  }

  async function route() {
    const token = ++routeToken;
    const current = () => token === routeToken;
    const state = readParams();
    document.body.dataset.view = "reach";
    document.body.dataset.state = "loading";
    showError(null);
    sources = new Map();
    $("#sources").replaceChildren();
    $("#school-text").value = state.q || (state.urn ? String(state.urn) : "");
    try {
      const schoolName = state.q ? await showSchools(state, current) : null;
      if (!current()) return;
      $("#schools").hidden = !state.q;
      showYears(state, schoolName);
      if (focusYears && state.urn) $("#from-year").focus();
      focusYears = false;
      if (state.urn && state.from !== null && state.to !== null) await showAnswer(state, current);
      else $("#answer").hidden = true;
      $("#sources-section").hidden = sources.size === 0;
      if (current()) document.body.dataset.state = "ready";
    } catch (error) {
      if (!current()) return;
      $("#answer").hidden = true;
      $("#status").textContent = "";
      showError(error);
      document.body.dataset.state = "error";
    }
  }

  // ---- finding the school ------------------------------------------------------------------------------

  async function showSchools(state, current) {
    const answer = (await ask("school-search", { text: state.q, first: 20 })).schoolSearch;
    if (!current()) return null;
    const list = $("#school-results");
    list.replaceChildren();
    const found = answer.nodes;
    $("#schools-summary").textContent = found.length
      ? `${answer.totalCount} school${answer.totalCount === 1 ? "" : "s"} found for “${state.q}”` +
        (answer.truncated ? `; the first ${found.length} are shown: type more of the name to narrow them.` : ".")
      : `No school found for “${state.q}”. Try its URN, part of its name, its town or its postcode district.`;
    let picked = null;
    for (const match of found) {
      const school = match.school;
      const item = make("li");
      const a = make("a", `${school.name} (URN ${school.key})`);
      a.href = reachUrl({ q: state.q, urn: school.key, from: state.from, to: state.to });
      a.addEventListener("click", (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        focusYears = true;
        go({ q: state.q, urn: school.key, from: state.from, to: state.to });
      });
      if (String(state.urn) === school.key) {
        a.setAttribute("aria-current", "true");
        picked = school.name;
      }
      item.append(a, make("span", ` ${foundWords(match)}`, "hint"));
      if (match.links.length) item.append(cite(match.links.flatMap((r) => r.link.citations)));
      list.append(item);
    }
    return picked;
  }

  function foundWords(match) {
    const school = match.school;
    const where = [school.town, school.postcode].filter(Boolean).join(", ");
    const status = school.status ? `${school.status.toLowerCase()}; ` : "";
    const how =
      match.foundBy === "successor"
        ? `it became ${match.through.name} (URN ${match.through.key}), found by the search`
        : `found by its ${match.foundBy}`;
    return `— ${where ? `${where}; ` : ""}${status}${how}`;
  }

  function showYears(state, schoolName) {
    $("#years-form").hidden = !state.urn;
    if (!state.urn) return;
    $("#years-school").textContent = schoolName ? `${schoolName} (URN ${state.urn})` : `URN ${state.urn}`;
    const last = new Date().getFullYear() - 1;
    for (const [select, chosen] of [[$("#from-year"), state.from], [$("#to-year"), state.to]]) {
      if (!select.options.length) {
        for (let year = FIRST_YEAR; year <= last; year++) select.append(new Option(academic(year), String(year)));
      }
      select.value = String(chosen ?? last);
    }
  }

  // ---- the answer ---------------------------------------------------------------------------------------

  async function showAnswer(state, current) {
    const variables = { urn: state.urn, fromYear: Math.min(state.from, state.to), toYear: Math.max(state.from, state.to) };
    $("#status").textContent = "Looking up the record…";
    const playground = new URLSearchParams({ query: await texts.get("record-reach"), variables: JSON.stringify(variables) });
    $("#playground-link").href = `/graphql?${playground}`;
    performance.mark("reach-requested");
    const timeline = ask("timeline", {
      from: `${variables.fromYear}-09-01`,
      to: `${variables.toYear + 1}-08-31`,
      kinds: null,
    });
    const answer = (await ask("record-reach", variables)).recordReach;
    if (!current()) return;
    performance.mark("reach-received");
    drawAnswer(answer, variables);
    performance.mark("reach-drawn");
    requestAnimationFrame(() => performance.mark("reach-painted"));
    drawTimeline((await timeline).timeline);
    if (!current()) return;
    $("#status").textContent = `Shown: ${answer.releasesCount} releases that may hold the record.`;
  }

  function drawAnswer(answer, variables) {
    const school = answer.chain.school;
    const years = `${academic(answer.fromYear)} to ${academic(answer.toYear)}`;
    $("#answer").hidden = false;
    $("#answer-title").textContent = `${school.name} (URN ${school.key}), ${years}`;
    $("#answer-summary").textContent =
      `${answer.releasesCount} release${answer.releasesCount === 1 ? "" : "s"} of NPD data may hold the record of a ` +
      `pupil at this school in ${years}; ${answer.notReleased.length} statement` +
      `${answer.notReleased.length === 1 ? " says" : "s say"} what was not released.`;
    drawChain(answer.chain);
    drawDatasets(answer.datasets);
    $("#groups").replaceChildren(...answer.groups.map((group) => drawGroup(group, variables)));
    drawNotReleased(answer.notReleased);
    $("#answer-title").focus();
  }

  function drawChain(chain) {
    const items = [make("li", `${chain.school.name} (URN ${chain.school.key}): the school asked about`)];
    for (const [side, words] of [[chain.predecessors, "before it"], [chain.successors, "after it"]]) {
      for (const step of side) {
        const item = make("li", `${step.school.name} (URN ${step.school.key}): ${words}, ${step.hops} link(s) away`);
        for (const l of step.links) item.append(make("span", ` (${l.linkType}${l.validFrom ? `, ${l.validFrom}` : ""})`));
        item.append(cite(step.links.flatMap((l) => l.citations)));
        items.push(item);
      }
    }
    $("#chain").replaceChildren(...items);
  }

  function drawDatasets(datasets) {
    $("#datasets").replaceChildren(
      ...datasets.map((held) => {
        const item = make("li");
        const dataset = held.dataset;
        const years =
          held.fromYear === null ? "years not given in the record" : `${academic(held.fromYear)} to ${academic(held.toYear)}`;
        item.append(make("strong", dataset.title || dataset.name), ` (${dataset.name}): ${years}`);
        if (held.collections.length) item.append(`; fed by ${held.collections.map((c) => c.node.name).join(", ")}`);
        item.append(cite([...dataset.citations, ...held.collections.flatMap((c) => c.link.citations)]));
        return item;
      }),
    );
  }

  function drawGroup(group, variables) {
    const section = make("section", null, "group");
    const releases = group.releases;
    section.append(make("h4", `${group.label} (${releases.totalCount})`));
    const list = make("ul");
    list.append(...releases.nodes.map(drawRelease));
    section.append(list);
    if (releases.truncated) {
      let after = releases.pageInfo.endCursor;
      const more = make("button", `Show all ${releases.totalCount}`);
      more.type = "button";
      more.addEventListener("click", async () => {
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
    const item = make("li", null, "release");
    item.append(make("strong", found.reference));
    if (found.recipients.length) {
      item.append(" to ");
      found.recipients.forEach((r, i) => item.append(i ? ", " : "", nodeLink(r.node)));
    } else {
      item.append(" (the record names no recipient)");
    }
    item.append(`; ${release.date ? `dated ${release.date}` : "no date in the record"}`);
    if (release.status) item.append(`; ${release.status}`);
    item.append(" ", make("span", found.certaintyWords, `certainty ${found.scopePublished ? "scoped" : "unpublished"}`));
    item.append(cite([...release.citations, ...found.recipients.flatMap((r) => r.link.citations)]));
    const detail = make("details");
    detail.append(make("summary", found.scopePublished ? "data sets and years it may hold" : "why nothing can be matched"));
    const matched = make("ul");
    matched.append(...found.matched.map((words) => make("li", words)));
    detail.append(matched);
    item.append(detail);
    return item;
  }

  function drawNotReleased(statements) {
    const items = statements.map((stated) => {
      const s = stated.statement;
      const item = make("li");
      item.append(make("strong", stated.about.node.name), `: ${stated.kind.replaceAll("_", " ")}`);
      if (s.itemsAsWritten) item.append(` (${s.itemsAsWritten})`);
      if (s.quote) item.append(": ", make("q", s.quote));
      item.append(make("span", ` — ${[s.sourceKind, s.dateAsCited].filter(Boolean).join(", ")}`, "hint"));
      if (stated.contested) item.append(make("span", " another cited source disagrees", "contested"));
      item.append(cite(s.citations));
      return item;
    });
    $("#not-released").replaceChildren(
      ...(items.length ? items : [make("li", "The record holds no such statement about these releases or recipients.")]),
    );
  }

  function drawTimeline(answer) {
    const entries = answer.entries.nodes.map((entry) => {
      const item = make("li");
      item.append(make("strong", entry.dateAsCited), `: ${entry.text}`, cite(entry.citations));
      return item;
    });
    if (answer.entries.truncated) entries.push(make("li", `and ${answer.entries.totalCount - entries.length} more`));
    $("#timeline").replaceChildren(...(entries.length ? entries : [make("li", "No dated event in those years.")]));
  }

  // ---- the letter: the name goes in here, in the browser -------------------------------------------------

  async function downloadLetter(event) {
    event.preventDefault();
    const state = readParams();
    const format = $("#letter-format").value;
    const variables = { urn: state.urn, fromYear: Math.min(state.from, state.to), toYear: Math.max(state.from, state.to), format };
    $("#letter-status").textContent = "Writing the letter…";
    try {
      const letter = (await ask("letter", variables)).letter; // the name is not among the variables
      const name = $("#child-name").value.split(/\s+/).filter(Boolean).join(" ");
      const text = name ? withName(letter, name) : letter.text;
      const a = make("a");
      a.href = URL.createObjectURL(new Blob([text], { type: `${letter.mediaType};charset=utf-8` }));
      a.download = letter.filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      $("#letter-status").textContent = `Downloaded ${letter.filename}, listing ${letter.references.length} releases.`;
    } catch (error) {
      $("#letter-status").textContent = "";
      showError(error);
    }
  }

  /** The letter with the name in place of its placeholder: as text, or in the HTML's text, never as markup. */
  function withName(letter, name) {
    if (letter.format !== "html") return letter.text.split(letter.namePlaceholder).join(name);
    const parse = (html) => new DOMParser().parseFromString(html, "text/html");
    const placeholder = parse(letter.namePlaceholder).body.textContent;
    const page = parse(letter.text);
    const walker = page.createTreeWalker(page.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.nodeValue.includes(placeholder)) node.nodeValue = node.nodeValue.split(placeholder).join(name);
    }
    return `<!doctype html>\n${page.documentElement.outerHTML}\n`;
  }

  $("#school-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("#school-text").value.trim();
    if (text) go({ q: text });
  });
  $("#years-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const state = readParams();
    go({ q: state.q, urn: state.urn, from: $("#from-year").value, to: $("#to-year").value });
  });
  $("#letter-form").addEventListener("submit", downloadLetter);
  window.addEventListener("popstate", route);
  route();
})();
