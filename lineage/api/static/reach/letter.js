// The letter: a subject access request to DfE for the school and years of the search, written by the letter
// operation; the child's name typed for it goes in here, in the browser, and is never among what is sent.
// Touches #letter-format, #child-name, #letter-status and #error.

import { lineBreak, unfitCharacter } from "/static/shared/characters.js";
import { $, element, showError } from "/static/shared/dom.js";
import { ask } from "/static/shared/graphql.js";
import { NAME_LIMIT } from "/static/shared/vocabulary.js";
import { reachVariables } from "./years.js";

export async function downloadLetter(search) {
  const variables = { ...reachVariables(search), format: $("#letter-format").value };
  $("#letter-status").textContent = "Writing the letter…";
  try {
    // as `lineage letter` refuses it, before anything is asked, and as typed: \s, which collapses its spaces, holds
    // the line separators and the byte-order mark, which a name had been taken with as spaces
    const typed = $("#child-name").value;
    const unfit = unfitCharacter(typed) ?? lineBreak(typed);
    if (unfit) throw new Error(`The name holds ${unfit}: type it as plain text on one line.`);
    const name = typed.split(/\s+/).filter(Boolean).join(" ");
    const length = [...name].length; // in characters, as `lineage letter` counts them
    if (length > NAME_LIMIT) throw new Error(`The name is ${length} characters long: a letter takes ${NAME_LIMIT} at most.`);
    const letter = (await ask("letter", variables)).letter; // the name is not among the variables
    const text = name ? withName(letter, name) : letter.text;
    const a = element("a");
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
