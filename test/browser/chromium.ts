import { type Browser, chromium } from 'playwright-core';

// Debian's chromium, headless and quiet: no sandbox (containers), no GPU, no background traffic.
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser every browser suite drives (`.ci/run` installs the Debian package when missing). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
