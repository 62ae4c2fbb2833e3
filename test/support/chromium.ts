/**
 * The browser the headless tests drive (playwright-core, which brings no browser of its own):
 * $CHROMIUM_PATH when set, otherwise the first Chromium or Chrome found where systems install them
 * (scripts/ensure-chromium.sh looks at the same places, and installs Debian's package when none is
 * there and it can). Without one, a browser test fails when CI is set, so that a green CI run means
 * the pages were really driven, and is skipped with a warning elsewhere.
 */
import { accessSync, constants } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { describe, it } from "vitest";

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The browser to use, or null (with the reason) when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { path: string } | { path: null; reason: string } {
  if (env.CHROMIUM_PATH) {
    return executable(env.CHROMIUM_PATH) ? { path: env.CHROMIUM_PATH } : { path: null, reason: `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file` };
  }
  const found = CANDIDATES.find(executable);
  return found
    ? { path: found }
    : { path: null, reason: `no Chromium or Chrome in ${CANDIDATES.join(", ")} (install one, run scripts/ensure-chromium.sh as root, or set CHROMIUM_PATH)` };
}

/**
 * For a browser test file: the browser's path, or null after registering what happens without one
 * (a failing test when CI is set, a warning otherwise). Use with `describe.skipIf(!path)`.
 */
export function browserForTests(suite: string): string | null {
  const found = findChromium();
  if (found.path !== null) return found.path;
  const message = `${suite}: ${found.reason}.`;
  if (process.env.CI) {
    describe(suite, () => {
      it("has a browser to run in (CI is set)", () => {
        throw new Error(message);
      });
    });
  } else {
    console.warn(`${message} Skipping it; it fails instead when CI is set.`);
  }
  return null;
}

/** Headless Chromium as every browser test starts it (no sandbox: the tests may run as root). */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
