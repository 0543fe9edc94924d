// Search as a resident narrows it, for tests/browser/test_browser.py: type words, read the
// results (title, type, city and date, excerpt), then tick a type and a city in Pagefind's
// filter panel and read them again; axe runs with the results and the filters open, at
// 1280 and 320 px.
//
// Job: {"url": "http://127.0.0.1:PORT/city-plans/search/", "query": "words",
//       "type": "Plan", "tags": ["wcag2a", ...]}
// Result: {"found": [...], "by_type": [...], "by_city": [...], "city": "…", "errors": [...],
//          "violations": {"1280": [...], "320": [...]}, "overflow": bool}; each result is
//          {"href", "title", "tags": {"type": "Type: Plan", …}, "excerpt"}.
import { createRequire } from "node:module";
import { job, launch, run } from "./chromium.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The results on screen as plain data, once the message above them ("16 results for …")
 * is no longer `previous`. */
async function results(page, previous) {
  await page.waitForFunction(
    (before) => {
      const message = document.querySelector(".pagefind-ui__message");
      return message && /result/.test(message.textContent) && message.textContent !== before
        && document.querySelector(".pagefind-ui__result-link");
    },
    previous,
    { timeout: 60_000 },
  );
  await page.waitForTimeout(300); // the last results' data arrive one by one
  return page.evaluate(() => ({
    message: document.querySelector(".pagefind-ui__message").textContent,
    list: [...document.querySelectorAll(".pagefind-ui__result")].map((item) => ({
      href: new URL(item.querySelector(".pagefind-ui__result-link").href).pathname,
      title: item.querySelector(".pagefind-ui__result-link").textContent.trim(),
      tags: Object.fromEntries([...item.querySelectorAll(".pagefind-ui__result-tag")]
        .map((tag) => [tag.dataset.pagefindUiMeta, tag.textContent.trim()])),
      excerpt: [...item.querySelectorAll(".pagefind-ui__result-excerpt")]
        .map((p) => p.textContent).join(" | "),
    })),
  }));
}

/** Open a filter of the panel by its name and tick one of its values. Pagefind's UI now and
 * then draws no filter panel for a search typed while it was still starting (its own
 * race, seen once in many runs): the query is typed again then, as a resident would. */
async function tick(page, filter, value) {
  const block = page.locator(".pagefind-ui__filter-block", {
    has: page.locator(".pagefind-ui__filter-name", { hasText: filter }),
  });
  try {
    await block.waitFor({ timeout: 15_000 });
  } catch {
    const box = page.getByRole("textbox", { name: /search/i });
    const query = await box.inputValue();
    await box.fill("");
    await box.fill(query);
  }
  if (!(await block.evaluate((details) => details.open))) {
    await block.locator("summary").click();
  }
  await block.locator(`input[type=checkbox][value="${value}"]`).check();
}

async function axe(page, tags) {
  const found = await page.evaluate(
    (values) => window.axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] }),
    tags,
  );
  return found.violations.map((v) => ({
    id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}

async function open(browser, url, width, errors) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.addInitScript({ path: AXE });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("requestfailed", (request) => errors.push(`failed to load ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} for ${response.url()}`);
  });
  await page.goto(url, { waitUntil: "load" });
  return page;
}

run(async () => {
  const { url, query, type, tags } = job();
  const browser = await launch();
  const errors = [];
  const violations = {};
  try {
    const page = await open(browser, url, 1280, errors);
    await page.getByRole("textbox", { name: /search/i }).fill(query);
    const found = await results(page, null);
    const city = found.list[0].tags.city.replace(/^City: /, "");
    await tick(page, "Type", type);
    const byType = await results(page, found.message);
    await tick(page, "City", city);
    const byCity = await results(page, byType.message);
    violations["1280"] = await axe(page, tags);

    const narrow = await open(browser, url, 320, errors);
    await narrow.getByRole("textbox", { name: /search/i }).fill(query);
    const first = await results(narrow, null);
    await tick(narrow, "Type", type);
    await results(narrow, first.message);
    violations["320"] = await axe(narrow, tags);
    const overflow = await narrow.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
    return { found, by_type: byType, by_city: byCity, city, errors, violations, overflow };
  } finally {
    await browser.close();
  }
});
