// Accessibility of built pages in headless Chromium, for tests/browser/test_browser.py.
//
// Job: {"base": "http://127.0.0.1:PORT/prefix/", "paths": ["", "plans/x/", ...],
//       "keyboard": ["", "plans/x/"], "tags": ["wcag2a", ...]}
// Result: one entry per path with axe's violations at 1280 px and 320 px wide, what
// overflows a 320 px wide window, which table cells are clipped there, and for the `keyboard` paths where the skip link and
// focus styles fall short. The test decides what fails; this script only observes.
import { createRequire } from "node:module";
import { job, launch, run } from "./chromium.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 720 };

/** axe's violations, trimmed to what a person needs to find and fix each one.
 *  axe-core is loaded into every page by an init script and run directly: five times
 *  faster than @axe-core/playwright, which injects its 500 KB source again for each run. */
async function violations(page, tags) {
  const found = await page.evaluate(
    (values) => window.axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] }),
    tags,
  );
  return found.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}

/** Elements that stick out of the window sideways, outside any scrolling wrapper. */
function overflowing() {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrolls = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return true;
    }
    return false;
  };
  const describe = (el) =>
    el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !scrolls(el)) found.push(`${describe(el)} (right edge ${Math.round(box.right)} px)`);
    if (found.length >= 5) break;
  }
  return found.length ? found : [`page is ${document.documentElement.scrollWidth} px wide`];
}

/** Table cells a reader cannot see all of at this width: a cell whose content sticks out
 *  of it, or that lies past the edge of a box that hides what overflows it, or of a box
 *  that scrolls without a visible cue or a name. */
function clippedCells() {
  const describe = (cell) => {
    const table = cell.closest("table");
    const caption = table && table.caption ? table.caption.textContent.trim() : "";
    const where = caption || (table && table.closest("[aria-label]")?.getAttribute("aria-label")) || "a table";
    return `"${cell.textContent.trim().slice(0, 30)}" in ${where.slice(0, 40)}`;
  };
  const cutBy = (cell) => {
    const box = cell.getBoundingClientRect();
    for (let node = cell.parentElement; node && node !== document.documentElement; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === "auto" || overflow === "scroll") {
        // Scrolling reaches it, if the box shows that it scrolls and says what it holds.
        const cue = getComputedStyle(node).backgroundImage.includes("gradient");
        const named = node.hasAttribute("aria-label") || node.hasAttribute("aria-labelledby");
        return !(cue && named) && box.right > node.getBoundingClientRect().right + 1;
      }
      if (overflow === "hidden" || overflow === "clip") {
        const edge = node.getBoundingClientRect();
        return box.right > edge.right + 1 || box.left < edge.left - 1;
      }
    }
    return false;
  };
  const found = [];
  // Hidden on purpose, as a stacked table's headings are: read by a screen reader, not seen.
  const hidden = (cell) => {
    for (let node = cell; node && node !== document.body; node = node.parentElement) {
      if (node.getBoundingClientRect().width <= 1) return true;
    }
    return !cell.checkVisibility();
  };
  for (const cell of document.querySelectorAll("td, th")) {
    if (hidden(cell)) continue;
    const sticksOut = cell.scrollWidth > cell.clientWidth + 1 && getComputedStyle(cell).overflowX !== "visible";
    const spills = Array.from(cell.children).some((child) => child.getBoundingClientRect().right > cell.getBoundingClientRect().right + 1);
    if (sticksOut || spills || cutBy(cell)) found.push(describe(cell));
    if (found.length >= 5) break;
  }
  return found;
}

/** What a focus indicator can change: compared focused vs. not focused. */
function focusLook(el) {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color,
    s.textDecorationLine, s.borderColor].join("|");
}

/** The skip link comes first, shows when focused and moves focus to the main content;
 *  every element reached by Tab looks different when focused. */
async function keyboard(page) {
  const problems = [];
  await page.addScriptTag({ content: `window.__focusLook = ${focusLook.toString()};` });
  await page.evaluate(() => {
    window.__looks = new Map();
    const selector = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";
    for (const el of document.querySelectorAll(selector)) window.__looks.set(el, window.__focusLook(el));
  });
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return {
      skip: el.classList.contains("skip-link"),
      href: el.getAttribute("href"),
      visible: box.width > 1 && box.height > 1 && box.left >= 0 && box.top >= 0 && box.right <= innerWidth,
    };
  });
  if (!first.skip) problems.push("the first Tab stop is not the skip link");
  else if (!first.visible) problems.push("the skip link is not visible when focused");
  for (let i = 0; i < 14; i++) {
    const look = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || !window.__looks.has(el)) return null;
      return {
        before: window.__looks.get(el),
        now: window.__focusLook(el),
        shown: el.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
        text: (el.textContent || el.getAttribute("aria-label") || el.tagName).trim().slice(0, 40),
      };
    });
    if (look && !look.shown) problems.push(`focus lands on "${look.text}", which cannot be seen`);
    else if (look && look.before === look.now) problems.push(`no visible focus on "${look.text}"`);
    await page.keyboard.press("Tab");
  }
  if (first.skip) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator(".skip-link").focus();
    await page.keyboard.press("Enter");
    const landed = await page.evaluate(() => document.activeElement && document.activeElement.id);
    if (landed !== first.href.replace(/^#/, "")) problems.push(`the skip link moves focus to "${landed}", not ${first.href}`);
  }
  return problems;
}

run(async () => {
  const { base, paths, keyboard: keyboardPaths = [], tags } = job();
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: WIDE, reducedMotion: "reduce" });
    await context.addInitScript({ path: AXE });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const pages = [];
    for (const path of paths) {
      const url = new URL(path, base).href;
      const response = await page.goto(url, { waitUntil: "load" });
      const entry = { path, status: response ? response.status() : 0 };
      await page.setViewportSize(WIDE);
      entry.wide = await violations(page, tags);
      if (keyboardPaths.includes(path)) entry.keyboard = await keyboard(page);
      await page.setViewportSize(NARROW);
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
      entry.overflow = await page.evaluate(overflowing);
      entry.clipped = await page.evaluate(clippedCells);
      entry.narrow = await violations(page, tags);
      pages.push(entry);
    }
    return { pages };
  } finally {
    await browser.close();
  }
});
