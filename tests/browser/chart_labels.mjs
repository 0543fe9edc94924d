// The words of each chart as Chromium lays them out: for every label laid over a chart's
// drawing, its computed font size and box, at each width asked for.
//   node tests/browser/chart_labels.mjs '{"base": "http://127.0.0.1:8000/", "paths": ["plans/x/"],
//     "widths": [320, 1280]}'
import { job, launch, run } from "./chromium.mjs";

run(async () => {
  const { base, paths, widths } = job();
  const browser = await launch();
  const pages = [];
  try {
    for (const width of widths) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      for (const path of paths) {
        const response = await page.goto(new URL(path, base).href, { waitUntil: "load" });
        const charts = await page.$$eval(".chart__plot", (plots) =>
          plots.map((plot) => {
            const box = (element) => {
              const r = element.getBoundingClientRect();
              return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
            };
            return {
              plot: box(plot),
              labels: [...plot.querySelectorAll("[aria-hidden=true] > span")].map((span) => ({
                kind: span.className.split(" ")[0],
                text: span.textContent,
                fontSize: parseFloat(getComputedStyle(span).fontSize),
                box: box(span),
              })),
            };
          }),
        );
        pages.push({ path, width, status: response.status(), viewport: width, charts });
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { pages };
});
