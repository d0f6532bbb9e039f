/**
 * The console in Debian's Chromium (never a downloaded browser), against the app served on
 * loopback: an analyst signs in, finds a candidate domain and reads why it is not listed,
 * excludes a listed domain, builds, and sees it gone from the new version; an NCB issues an
 * ISP key. Screenshots of the dashboard and a domain page go to test-results/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actors, createActors } from './support/actors.ts';
import { createTestContext, type TestContext } from './support/context.ts';
import { databaseName } from './support/database.ts';
import { build, listed, report } from './support/evidence.ts';
import { listen } from './support/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const RESULTS = path.resolve('test-results');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`console-e2e: skipped, ${CHROMIUM} is missing (apt-get install chromium)`);

let ctx: TestContext;
let a: Actors;
let server: Awaited<ReturnType<typeof listen>>;
let profile: string;
let browser: BrowserContext;
let page: Page;

describe.skipIf(!haveChromium)(`console in Chromium on ${databaseName}`, () => {
  beforeAll(async () => {
    ctx = await createTestContext();
    a = await createActors(ctx);
    await report(ctx, a, 'http://e2e-keep.example/1');
    await report(ctx, a, 'http://www.e2e-shared-host.example/2');
    await report(ctx, a, 'http://e2e-candidate.example/3', { from: [a.reporterA, a.reporterC] });
    await build(ctx, a);
    await report(ctx, a, 'http://e2e-later.example/4');
    await report(ctx, a, 'http://e2e-later-too.example/5');
    await build(ctx, a);
    await mkdir(RESULTS, { recursive: true });
    server = await listen(ctx);
    profile = await mkdtemp(path.join(tmpdir(), 'wol-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(10_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await ctx?.close();
  });

  const signIn = async (key: string) => {
    await page.goto(`${server.url}/console`);
    await expect.poll(() => page.url()).toContain('/console/sign-in');
    if (!existsSync(path.join(RESULTS, 'console-sign-in.png')))
      await page.screenshot({ path: path.join(RESULTS, 'console-sign-in.png'), fullPage: true });
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('lets an analyst find a candidate, read why it is not listed, exclude a listed domain and build', async () => {
    await signIn(a.analyst);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByRole('img', { name: /List size and changes/ }).count()).toBe(1);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Domains' }).click();
    await page.getByLabel('State').selectOption('candidate');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'e2e-candidate.example' }).click();
    await page.getByRole('heading', { name: /e2e-candidate\.example/ }).waitFor();
    const verdict = await page.locator('main > p').first().textContent();
    expect(verdict).toMatch(/Not included .* it fails confirmingCountries/);
    const countries = page.getByRole('row', { name: /confirmingCountries/ });
    expect(await countries.textContent()).toMatch(/at least 2\s*1\s*fail/);
    await page.screenshot({ path: path.join(RESULTS, 'console-domain.png'), fullPage: true });

    // The same candidate waits in the confirmation queue for one more country.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Confirmation queue' }).click();
    await page.getByRole('heading', { name: 'Confirmation queue' }).waitFor();
    expect(await page.getByRole('row', { name: /e2e-candidate\.example/ }).textContent()).toContain('one more country');
    await page.screenshot({ path: path.join(RESULTS, 'console-confirmation-queue.png'), fullPage: true });

    await page.getByRole('link', { name: 'Domains' }).first().click();
    await page.getByLabel('Domain, hostname or URL').fill('e2e-shared');
    await page.getByLabel('State').selectOption('listed');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'e2e-shared-host.example' }).click();
    await page.locator('#exclude-reason').fill('Shared host: the material is on one customer’s site');
    await page.getByRole('button', { name: 'Exclude' }).click();
    await page.getByText('The domain is excluded').waitFor();
    // The decision is in force at once: Restore is offered, and the page says what the next build does.
    await page.getByText('The next build removes it from the list.').waitFor();
    expect(await page.getByRole('button', { name: 'Restore' }).count()).toBe(1);
    expect(page.url()).not.toContain('e2e-shared');

    await page.getByRole('link', { name: 'Builds' }).click();
    await page.getByRole('button', { name: 'Build now' }).click();
    await page.getByText('Publishes version 3 to 1 ISP: +0 −1.').waitFor();
    await page.getByRole('button', { name: 'Build and publish version 3' }).click();
    await page.getByRole('heading', { name: 'Version 3', exact: true }).waitFor();
    const removed = page.getByRole('region', { name: /Removed in version 3/ });
    expect(await removed.textContent()).toContain('e2e-shared-host.example');
    await page.screenshot({ path: path.join(RESULTS, 'console-version.png'), fullPage: true });
    expect(await listed(ctx, a)).toEqual(['e2e-keep.example', 'e2e-later-too.example', 'e2e-later.example']);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.screenshot({ path: path.join(RESULTS, 'console-dashboard.png'), fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
  }, 60_000);

  it('lets an NCB issue an ISP key, shown once', async () => {
    await signIn(a.ncb);
    await page.getByRole('heading', { name: 'ISPs in SE' }).waitFor();
    await page.getByLabel('ISP', { exact: true }).selectOption({ label: 'ZZ ISP' });
    await page.getByLabel('Label').fill('e2e resolver');
    await page.getByRole('button', { name: 'Issue key' }).click();
    const token = (await page.locator('code.token').textContent())!.trim();
    expect(token).toMatch(/^wol_isp_/);
    await page.screenshot({ path: path.join(RESULTS, 'console-ncb.png'), fullPage: true });
    expect((await ctx.call('GET', '/v1/list/manifest', { token })).status).toBe(200);
    // The key was shown on the page the form redirected to: reloading it shows no key and issues none.
    expect(page.url()).toBe(`${server.url}/console/ncb`);
    await page.reload();
    expect(await page.content()).not.toContain(token);
    expect(await page.getByRole('row', { name: /e2e resolver/ }).count()).toBe(1);
  }, 60_000);
});
