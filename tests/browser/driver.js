// Drives headless Chromium for the Python browser tests and benchmark (tests/browser/browser.py) through
// playwright-core (pinned in web/package.json). One JSON command per line on stdin, one JSON answer per line
// on stdout. The page may reach only the app under test: any other request is refused and reported.
"use strict";

const path = require("node:path");
const readline = require("node:readline");
const { chromium } = require(path.resolve(__dirname, "../../web/node_modules/playwright-core"));
// axe-core (pinned in web/package.json) is put into the page from node_modules, never fetched
const AXE = path.resolve(__dirname, "../../web/node_modules/axe-core/axe.min.js");
// the rules the accessibility tests hold the pages to: WCAG 2.0 and 2.1, levels A and AA
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function main() {
  const [executablePath, origin] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath, args: FLAGS, headless: true });
  const [width, height] = (process.argv[4] || "1400x900").split("x").map(Number);
  const page = await browser.newPage({ viewport: { width, height } });
  page.setDefaultTimeout(15000);
  const problems = [];
  const requests = []; // every request the page made, with its body: what a page sends is tested
  page.on("request", (request) => requests.push({ url: request.url(), body: request.postData() || "" }));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // a request the page itself abandons (a navigation cancels the icon it was fetching) is no failure of the app
    const reason = request.failure() ? request.failure().errorText : "";
    if (reason === "net::ERR_ABORTED" && request.resourceType() !== "fetch") return;
    problems.push(`request failed: ${request.url()} (${reason})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith("data:")) return route.continue();
    problems.push(`outside the app: ${url}`);
    return route.abort();
  });

  const commands = {
    goto: ({ url }) => page.goto(url).then(() => null),
    waitFor: ({ selector, state, timeout }) => page.waitForSelector(selector, { state, timeout }).then(() => null),
    waitForFunction: ({ expression, timeout }) => page.waitForFunction(expression, null, { timeout }).then(() => null),
    count: ({ selector }) => page.locator(selector).count(),
    texts: ({ selector }) => page.locator(selector).allTextContents(),
    attributes: ({ selector, name }) =>
      page.locator(selector).evaluateAll((nodes, attribute) => nodes.map((n) => n.getAttribute(attribute)), name),
    click: ({ selector }) => page.locator(selector).first().click().then(() => null),
    clickAt: ({ x, y }) => page.mouse.click(x, y).then(() => null),
    press: ({ selector, key }) => page.locator(selector).first().press(key).then(() => null),
    fill: ({ selector, value }) => page.locator(selector).fill(value).then(() => null),
    evaluate: ({ expression }) => page.evaluate(expression),
    screenshot: ({ file, fullPage }) => page.screenshot({ path: file, fullPage: fullPage !== false }).then(() => null),
    url: () => page.url(),
    problems: () => problems.splice(0),
    requests: () => requests.splice(0),
    download: async ({ selector, file }) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator(selector).first().click()]);
      await download.saveAs(file);
      return download.suggestedFilename();
    },
    downloadByKey: async ({ key, file }) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press(key)]);
      await download.saveAs(file);
      return download.suggestedFilename();
    },
    select: ({ selector, value }) => page.locator(selector).selectOption(value).then(() => null),
    keyboard: async ({ keys }) => {
      for (const key of keys) await page.keyboard.press(key);
      return null;
    },
    type: ({ text }) => page.keyboard.type(text).then(() => null),
    axe: async ({ exclude }) => {
      if (!(await page.evaluate("typeof window.axe === 'object'"))) await page.addScriptTag({ path: AXE });
      return page.evaluate(
        async ([tags, excluded]) => {
          const context = excluded.length ? { include: [document], exclude: excluded.map((s) => [s]) } : document;
          const results = await window.axe.run(context, { runOnly: { type: "tag", values: tags } });
          return results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.map((n) => n.target.join(" ")),
          }));
        },
        [AXE_TAGS, exclude || []],
      );
    },
  };

  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const { op, args } = JSON.parse(line);
    let answer;
    try {
      if (!(op in commands)) throw new Error(`unknown command ${op}`);
      answer = { ok: true, result: (await commands[op](args || {})) ?? null };
    } catch (error) {
      answer = { ok: false, error: String(error.message || error) };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
  await browser.close();
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
