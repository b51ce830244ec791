import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (no browser download here), with what it needs to run headless in CI. */
export async function openBrowser(): Promise<{ browser: Browser } & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { browser, [Symbol.asyncDispose]: () => browser.close() };
}
