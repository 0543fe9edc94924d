// Type into the search page as a resident would, for tests/browser/test_browser.py.
//
// Job: {"url": "http://127.0.0.1:PORT/city-plans/search/", "query": "word",
//       "expect": "/city-plans/plans/x/", "tags": ["wcag2a", ...], "named": "search"}
// ("named": a word of the search box's label, "search" unless told: "buscar" in Spanish)
// Result: the label of the search box, the result links (href and title) once the expected
// one shows (or the wait times out), and axe's violations with the results on screen.
import { createRequire } from "node:module";
import { job, launch, run } from "./chromium.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

run(async () => {
  const { url, query, expect, tags, named = "search" } = job();
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ path: AXE });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    page.on("requestfailed", (request) => errors.push(`failed to load ${request.url()}`));
    page.on("response", (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} for ${response.url()}`);
    });
    await page.goto(url, { waitUntil: "load" });
    // Found by its accessible name: only a label tied to the box gives it one with "search".
    const box = page.getByRole("textbox", { name: new RegExp(named, "i") });
    await box.waitFor({ state: "visible" });
    const label = await page.evaluate(() => {
      const input = document.querySelector("#search input");
      return input && input.labels && input.labels.length ? input.labels[0].textContent : null;
    });
    await box.click();
    await box.pressSequentially(query, { delay: 20 });
    const links = page.locator(".pagefind-ui__result-link");
    let found = true;
    try {
      await page.waitForFunction(
        (href) => [...document.querySelectorAll(".pagefind-ui__result-link")]
          .some((a) => new URL(a.href).pathname === href),
        expect,
        { timeout: 60_000 },
      );
    } catch {
      found = false;
    }
    const results = await links.evaluateAll((all) =>
      all.map((a) => ({ href: new URL(a.href).pathname, title: a.textContent.trim() })));
    const axe = await page.evaluate(
      (values) => window.axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] }),
      tags,
    );
    const violations = axe.violations.map((v) => ({
      id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
    return { label, found, results, violations, errors };
  } finally {
    await browser.close();
  }
});
