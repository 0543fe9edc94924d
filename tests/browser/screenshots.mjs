// Full-page screenshots of built pages at phone and desktop widths, to look at by eye.
// Not run by the tests. Serve a build first, then for example:
//   node tests/browser/screenshots.mjs '{"base": "http://127.0.0.1:8000/", "out": "/tmp/shots",
//     "pages": {"home": "", "plan": "plans/halverton/"}, "widths": [390, 1280]}'
// A page may also be {"path": "plans/halverton/", "selector": "#plan-goals"} to shoot one part,
// and {"path": "search/?q=word", "wait": ".pagefind-ui__result"} to wait for something first.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { job, launch, run } from "./chromium.mjs";

run(async () => {
  const { base, out, pages, widths = [390, 1280] } = job();
  mkdirSync(out, { recursive: true });
  const browser = await launch();
  const written = [];
  try {
    for (const width of widths) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      for (const [name, spec] of Object.entries(pages)) {
        const { path, selector, wait } = typeof spec === "string" ? { path: spec } : spec;
        await page.goto(new URL(path, base).href, { waitUntil: "load" });
        if (wait) await page.locator(wait).first().waitFor({ timeout: 60_000 });
        const file = join(out, `${name}-${width}.png`);
        if (selector) await page.locator(selector).first().screenshot({ path: file });
        else await page.screenshot({ path: file, fullPage: true });
        written.push(file);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { written };
});
