// Shared by the browser helpers: start the system Chromium headless, and read the JSON job
// that tests/browser/test_browser.py passes as the one command-line argument.
//
// playwright-core never downloads a browser of its own, so the Chromium installed by the
// system (Debian's `chromium` package) is used; CHROMIUM overrides its path.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// Quiet, offline, reproducible: no GPU, no QUIC, no background traffic or updates.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A fresh headless browser (playwright gives it a new, temporary user-data-dir). */
export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 120_000 });
}

/** The job passed by the test as JSON in argv[2]. */
export function job() {
  if (process.argv.length < 3) {
    throw new Error(`usage: node ${process.argv[1]} '<json job>'`);
  }
  return JSON.parse(process.argv[2]);
}

/** Run `main`, print its result as JSON on stdout, and exit non-zero with the error if it throws. */
export function run(main) {
  main()
    .then((result) => {
      process.stdout.write(JSON.stringify(result, null, 1) + "\n");
    })
    .catch((error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
      process.exit(1);
    });
}
