// Asking the app's /graphql: the cookbook's operations (graphql/queries, served at /cookbook/NAME.graphql) are
// the one source of every question a page asks. Each page names those it asks, loaded once as it starts.
// Touches the network (the app only) and the header's #playground-link.

import { $ } from "/static/shared/dom.js";

const QUERIES = {};
let loaded = null; // the page's operations loading or loaded, once loadOperations has been called

/** Loads the cookbook's operations ``names``, once for the page; every question waits for them. */
export function loadOperations(names) {
  loaded = Promise.all(
    names.map(async (name) => {
      const response = await fetch(`/cookbook/${name}.graphql`);
      if (!response.ok) throw new Error(`the cookbook's ${name} operation did not load (${response.status})`);
      QUERIES[name] = await response.text();
    }),
  );
  return loaded;
}

export async function ask(name, variables) {
  await loaded;
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: QUERIES[name], variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`/graphql answered ${response.status} without a JSON body`);
  }
  if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  if (!response.ok) throw new Error(`/graphql answered ${response.status}`);
  if (!body.data) throw new Error("/graphql answered without data");
  return body.data;
}

export function playgroundUrl(name, variables) {
  const params = new URLSearchParams({ query: QUERIES[name], variables: JSON.stringify(variables, null, 2) });
  return `/graphql?${params}`;
}

/** Points the header's playground link at the question the view asks. */
export function setPlayground(name, variables) {
  $("#playground-link").href = playgroundUrl(name, variables);
}
