/**
 * The Chromium binary the browser tests drive (playwright-core, never a downloaded browser).
 * `CHROMIUM_PATH` wins. Otherwise Debian's headless shell (package chromium-headless-shell, which
 * `npm run setup` installs): the browser tests measured 144.8 s of CPU with it against 155.7 s with
 * the full browser (all 63 pass with either), and on two cores the suite is CPU-bound. Without it,
 * the full browser in its headless mode.
 */
import { existsSync } from 'node:fs';

export const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';
export const FULL_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : FULL_CHROMIUM);
