// The GraphiQL playground: every cookbook operation opens as a tab of its own (GraphiQL's defaultTabs), its
// first comment the question it asks (the README's words) and its variables an example from the bundled data.
// The address names what is shown, so it can be shared: ?tab=NAME for a cookbook tab as it is, ?query= and
// ?variables= for anything else (a tab edited, or a question the explorer and /reach link to, which opens as a
// tab beside the cookbook's). Over React, ReactDOM and GraphiQL's own bundle (globals the page loads first).
//
// GraphiQL keeps tabs in localStorage between visits, which would hide the cookbook behind what was open last
// time: its tabs are kept for the page's life only (what lasts is the address). Its editors' text areas get
// names and their scrolling panes a place in the tab order, which GraphiQL does not give them (WCAG 2: every
// field named, every scrolling region reachable by keyboard). Touches #playground and the address.

import { addressParams } from "/static/shared/address.js";

const COOKBOOK = JSON.parse(document.getElementById("cookbook").textContent);
const TABS = COOKBOOK.map((operation) => ({
  query: `# ${operation.asks}\n${operation.query}`,
  variables: JSON.stringify(operation.variables, null, 2),
}));

/** Variables compared as what they mean, not how they are spaced; text that is not JSON as it is. */
function sameVariables(a, b) {
  const meaning = (text) => {
    try {
      return JSON.stringify(JSON.parse(text || "{}"));
    } catch {
      return text;
    }
  };
  return meaning(a) === meaning(b);
}

function cookbookIndex(tab) {
  return TABS.findIndex((t) => t.query === tab.query && sameVariables(t.variables, tab.variables));
}

/** The tabs to open and which is shown: the cookbook's, and the shared question's if the address has one. */
function opening(params) {
  const tabs = [...TABS];
  if (params.has("query")) {
    const shared = { query: params.get("query"), variables: params.get("variables") || "" };
    const index = cookbookIndex(shared);
    if (index >= 0) return { tabs, active: index };
    return { tabs: [...tabs, shared], active: tabs.length };
  }
  const named = COOKBOOK.findIndex((operation) => operation.name === params.get("tab"));
  return { tabs, active: Math.max(named, 0) };
}

/** The address of a tab: its cookbook name while it is as the cookbook has it, else its text. */
function remember(tab) {
  const index = cookbookIndex(tab);
  const params = new URLSearchParams();
  if (index >= 0) params.set("tab", COOKBOOK[index].name);
  else {
    params.set("query", tab.query || "");
    if (tab.variables) params.set("variables", tab.variables);
  }
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

/** GraphiQL's editors and their names: CodeMirror's hidden text area is what a screen reader lands in. */
function editors(root) {
  const [variables, headers] = root.querySelectorAll(".graphiql-editor-tool > .graphiql-editor");
  return [
    [root.querySelector(".graphiql-query-editor"), "Query"],
    [variables, "Variables"],
    [headers, "Headers"],
    [root.querySelector(".graphiql-response"), "Response"],
  ];
}

function labelEditors(root) {
  for (const [editor, name] of editors(root)) {
    if (!editor) continue;
    const area = editor.querySelector(".CodeMirror textarea");
    if (area && !area.hasAttribute("aria-label")) area.setAttribute("aria-label", `${name} editor`);
    const pane = editor.querySelector(".CodeMirror-scroll"); // CodeMirror leaves it out of the tab order (-1)
    if (pane && pane.getAttribute("tabindex") !== "0") {
      pane.setAttribute("tabindex", "0"); // arrow keys scroll it, as in any scrolling region
      pane.setAttribute("role", "region");
      pane.setAttribute("aria-label", `${name}, scrolled with the arrow keys`);
    }
  }
}

/** GraphiQL's tab bar is a tablist holding its "Add tab" button and tabs holding their close buttons, which
 * WCAG's ARIA rules do not allow: it is said instead as what it works as, a group of buttons, the one shown
 * marked current. Kept so as GraphiQL redraws it (a tab opened, closed or chosen). */
function mendTabBar(root) {
  const bar = root.querySelector("ul.graphiql-tabs");
  if (!bar) return;
  if (bar.getAttribute("role") !== "group") bar.setAttribute("role", "group");
  for (const tab of bar.querySelectorAll(":scope > li")) {
    if (tab.getAttribute("role") !== "none") tab.setAttribute("role", "none");
    if (tab.hasAttribute("aria-selected")) tab.removeAttribute("aria-selected");
    const choose = tab.querySelector(".graphiql-tab-button");
    const shown = tab.classList.contains("graphiql-tab-active");
    if (choose && choose.hasAttribute("aria-current") !== shown) {
      if (shown) {
        choose.setAttribute("aria-current", "true");
        choose.scrollIntoView({ block: "nearest", inline: "nearest" }); // a tab named by the address, in sight
      } else choose.removeAttribute("aria-current");
    }
  }
}

function mendGraphiQL(root) {
  labelEditors(root);
  mendTabBar(root);
}

/** GraphiQL opens its first tab, and fills its editors as it makes them (they load after it): this shows the
 * tab the address names, once, as soon as both editors are there to show it in. */
function ShowTab({ index }) {
  const { queryEditor, variableEditor, changeTab } = GraphiQL.React.useEditorContext({ nonNull: true });
  const shown = React.useRef(false);
  React.useEffect(() => {
    if (shown.current || !queryEditor || !variableEditor) return;
    shown.current = true;
    changeTab(index); // the first tab too: GraphiQL fills its variables only as a tab is chosen
  }, [queryEditor, variableEditor]);
  return null;
}

/** GraphiQL's storage (its keys "graphiql:…" in localStorage: theme, panes), less what it keeps of tabs, so
 * that the cookbook opens afresh each time. */
const TAB_KEYS = new Set(["graphiql:tabState", "graphiql:query", "graphiql:variables", "graphiql:headers"]);
const ownKeys = () => Object.keys(localStorage).filter((key) => key.startsWith("graphiql:"));
const storage = {
  getItem: (key) => (TAB_KEYS.has(key) ? null : localStorage.getItem(key)),
  setItem: (key, value) => TAB_KEYS.has(key) || localStorage.setItem(key, value),
  removeItem: (key) => localStorage.removeItem(key),
  clear: () => ownKeys().forEach((key) => localStorage.removeItem(key)),
  get length() {
    return ownKeys().length;
  },
};

const { tabs, active } = opening(addressParams());
const root = document.getElementById("playground");
new MutationObserver(() => mendGraphiQL(root)).observe(root, {
  childList: true,
  subtree: true,
  attributeFilter: ["class", "role", "aria-selected"],
});
remember(tabs[active]);
ReactDOM.createRoot(root).render(
  React.createElement(
    GraphiQL,
    {
      fetcher: GraphiQL.createFetcher({ url: "/graphql" }),
      defaultTabs: tabs,
      storage,
      onTabChange: (state) => remember(state.tabs[state.activeTabIndex]),
      defaultEditorToolsVisibility: true,
    },
    React.createElement(
      GraphiQL.Logo,
      null,
      React.createElement("a", { href: "/explore" }, "pupil-data lineage"),
      React.createElement(ShowTab, { index: active }),
    ),
  ),
);
