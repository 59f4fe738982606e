// Finds a Chromium or Chrome for the browser tests (test/review.test.ts) where one usually lives.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Environment variables that name a browser executable, checked first (in this order). */
export const BROWSER_ENV = ['CHROMIUM_PATH', 'CHROME_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'];

/** Where system browsers usually live, per platform. */
function candidates(): string[] {
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return [
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
        path.join(home, 'Applications/Chromium.app/Contents/MacOS/Chromium'),
        path.join(home, 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
      ];
    case 'win32': {
      const roots = [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA].filter((r): r is string => !!r);
      return roots.flatMap((r) => [path.join(r, 'Google/Chrome/Application/chrome.exe'), path.join(r, 'Chromium/Application/chrome.exe')]);
    }
    default:
      return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/snap/bin/chromium',
        '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'];
  }
}

/** Browsers that Playwright installed itself (`npx playwright install chromium`), newest first. */
function playwrightBrowsers(): string[] {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH
    ?? (process.platform === 'darwin' ? path.join(os.homedir(), 'Library/Caches/ms-playwright')
      : process.platform === 'win32' ? path.join(process.env.LOCALAPPDATA ?? os.homedir(), 'ms-playwright')
        : path.join(os.homedir(), '.cache/ms-playwright'));
  let dirs: string[];
  try { dirs = fs.readdirSync(cache).filter((d) => d.startsWith('chromium-')).sort().reverse(); } catch { return []; }
  const inside = process.platform === 'darwin' ? 'chrome-mac/Chromium.app/Contents/MacOS/Chromium'
    : process.platform === 'win32' ? 'chrome-win/chrome.exe' : 'chrome-linux/chrome';
  return dirs.map((d) => path.join(cache, d, inside));
}

/** The first executable browser found, or undefined. */
export function findChromium(): string | undefined {
  for (const name of BROWSER_ENV) {
    const value = process.env[name];
    if (value) return value; // named on purpose: a wrong path should fail loudly, not be skipped
  }
  return [...candidates(), ...playwrightBrowsers()].find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** One line saying how to enable the browser tests. */
export const NO_BROWSER = 'browser tests skipped: no Chromium or Chrome found; install one (e.g. `apt-get install chromium`, '
  + '`brew install --cask chromium`) or set CHROMIUM_PATH to its executable. Under CI=true a missing browser fails instead.';
