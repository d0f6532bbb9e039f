/**
 * The console in Debian's Chromium (never a downloaded browser), against the app served on
 * loopback: an analyst signs in, finds a candidate domain and reads why it is not listed,
 * looks up a hostname, excludes a listed domain, follows the dashboard's work queues to the
 * decision waiting for a build and the domain due for a re-check, builds after confirming, and
 * sees it gone from the new version, then weighs a delisting request; an NCB sees its stale ISP,
 * issues it a key (its pull takes it off the queue) and is asked before revoking one. Every page is checked with axe-core (injected from
 * node_modules: no violations), at 390 px for horizontal overflow, and photographed at 1280
 * and 390 px into test-results/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
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
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
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
    // Last confirmed 40 days ago: due for a re-check (WOL_REVIEW_AFTER_DAYS, 30).
    await report(ctx, a, 'http://e2e-stale.example/6', { daysAgo: 40 });
    await build(ctx, a);
    // The walk's decisions come after the builds (the test clock stands still otherwise).
    ctx.setNow(new Date(ctx.now().getTime() + 1000));
    await mkdir(RESULTS, { recursive: true });
    server = await listen(ctx);
    profile = await mkdtemp(path.join(tmpdir(), 'wol-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: DESKTOP,
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

  /**
   * The page as it is now: no axe violation (WCAG 2.1 AA and best practices), nothing wider
   * than a 390 px screen, and a screenshot at each width. axe is evaluated through the
   * DevTools protocol, which the page's CSP (no script at all) does not govern.
   */
  const check = async (name: string) => {
    if (!(await page.evaluate('typeof axe'))?.toString().includes('object'))
      await page.evaluate(await readFile(AXE, 'utf8'));
    const result = (await page.evaluate(
      'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))',
    )) as { id: string; help: string; nodes: string[] }[];
    expect(result, `axe on ${name}`).toEqual([]);
    await page.screenshot({ path: path.join(RESULTS, `console-${name}.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className}`),
    );
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0], `${name} at 390 px: ${wide.join(', ')}`).toBeLessThanOrEqual(widths[1]!);
    await page.screenshot({ path: path.join(RESULTS, `console-${name}-390.png`), fullPage: true });
    await page.setViewportSize(DESKTOP);
  };

  const signIn = async (key: string) => {
    // Each walk starts signed out, whatever the one before left.
    await browser.clearCookies();
    await page.goto(`${server.url}/console`);
    await expect.poll(() => page.url()).toContain('/console/sign-in');
    await check('sign-in');
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('lets an analyst find a candidate, read why it is not listed, exclude a listed domain and build', async () => {
    await signIn(a.analyst);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByRole('img', { name: /^Entries on the list/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /^Keys added \(up\) and removed \(down\)/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /^Longest build per day/ }).count()).toBe(1);
    await check('dashboard');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Domains' }).click();
    await page.getByLabel('State').selectOption('candidate');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'e2e-candidate.example' }).click();
    await page.getByRole('heading', { name: /e2e-candidate\.example/ }).waitFor();
    const verdict = await page.locator('main > p').first().textContent();
    expect(verdict).toMatch(/Not included .* it fails confirmingCountries/);
    const countries = page.getByRole('row', { name: /confirmingCountries/ });
    expect(await countries.textContent()).toMatch(/at least 2\s*1\s*fail/);
    expect(page.url()).not.toContain('e2e-candidate');
    await check('domain');

    // A hostname typed into the search answers with the key it falls under.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Domains' }).click();
    await page.getByLabel('Domain, hostname or URL').fill('https://img.e2e-keep.example/x/y.jpg');
    await page.getByRole('button', { name: 'Search' }).click();
    const lookup = page.getByRole('region', { name: 'img.e2e-keep.example' });
    expect(await lookup.textContent()).toMatch(/Falls under the list key e2e-keep\.example .*listed.*since v1/);
    expect(page.url()).not.toContain('e2e-keep');
    await check('domains');

    // The table counts the search and sorts by its headers, each a link with the search sealed.
    await page.getByLabel('Domain, hostname or URL').fill('e2e-');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('table', { name: /^Domains 1–6 of 6, starting with e2e-, by name/ }).waitFor();
    const table = page.getByRole('table', { name: /^Domains / });
    const firstRow = () => table.locator('tbody tr').first().textContent();
    const header = (name: string) => table.getByRole('columnheader', { name: new RegExp(`^${name}`) });
    expect(await header('Domain').getAttribute('aria-sort')).toBe('ascending');
    await header('Last seen').getByRole('link').click();
    await page.getByRole('table', { name: /by last seen, newest first/ }).waitFor();
    expect(await header('Last seen').getAttribute('aria-sort')).toBe('descending');
    expect(await table.locator('tbody tr').last().textContent()).toContain('e2e-stale.example');
    await header('Last seen').getByRole('link').click();
    await page.getByRole('table', { name: /by last seen, oldest first/ }).waitFor();
    expect(await firstRow()).toContain('e2e-stale.example');
    await header('Confirmations').getByRole('link').click();
    await page.getByRole('table', { name: /by confirmations, most first/ }).waitFor();
    // The candidate has two organisations in one country: last, failing only on countries.
    expect(await table.locator('tbody tr').last().textContent()).toMatch(
      /e2e-candidate\.example\s*candidate.*2 organisations, 1 country.*confirmingCountries$/,
    );
    expect(page.url()).not.toContain('e2e-');
    await check('domains-sorted');

    // The same candidate waits in the confirmation queue for one more country.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Confirmation queue' }).click();
    await page.getByRole('heading', { name: 'Confirmation queue' }).waitFor();
    expect(await page.getByRole('row', { name: /e2e-candidate\.example/ }).textContent()).toContain('one more country');
    await check('confirmation-queue');

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
    await check('domain-excluded');

    // The dashboard's work queues: the exclusion waits for a build, the stale domain for a re-check.
    const queue = (label: string) => page.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]/a');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Work queues' }).waitFor();
    expect(await queue('Exclusions waiting for a build').textContent()).toBe('1');
    expect(await queue('Re-checks due').textContent()).toBe('1');
    await check('dashboard-queues');
    await queue('Exclusions waiting for a build').click();
    const pending = page.getByRole('row', { name: /e2e-shared-host\.example/ });
    expect(await pending.textContent()).toMatch(
      /excluded\s*removes it from the list\s*analyst \(analyst · ZZ List team\)/,
    );
    await check('pending-exclusions');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await queue('Re-checks due').click();
    await page.getByRole('heading', { name: 'Re-check queue' }).waitFor();
    expect(await page.getByRole('row', { name: /e2e-stale\.example/ }).textContent()).toMatch(/v2.*none.*d left\)\s*2/);
    expect(page.url()).toBe(`${server.url}/console/recheck-queue`);
    await check('recheck-queue');

    await page.getByRole('link', { name: 'Builds' }).click();
    await page.getByRole('button', { name: 'Build now' }).click();
    await check('builds-confirm');
    await page.getByText('Publishes version 3 to 1 ISP: +0 −1.').waitFor();
    await page.getByRole('button', { name: 'Build and publish version 3' }).click();
    await page.getByRole('heading', { name: 'Version 3', exact: true }).waitFor();
    const removed = page.getByRole('region', { name: /Removed in version 3/ });
    expect(await removed.textContent()).toContain('e2e-shared-host.example');
    await check('version');
    expect(await listed(ctx, a)).toEqual([
      'e2e-keep.example',
      'e2e-later-too.example',
      'e2e-later.example',
      'e2e-stale.example',
    ]);

    await page.getByRole('link', { name: 'Builds' }).click();
    await page.getByRole('heading', { name: 'Recent runs' }).waitFor();
    await check('builds');

    // A delisting request: the queue says the domain is listed and offers Reject first.
    await ctx.call('POST', '/v1/delisting-requests', {
      body: { domain: 'e2e-keep.example', contact: 'owner@e2e-keep.example', statement: 'Please review this listing.' },
    });
    await page.getByRole('link', { name: 'Delisting requests' }).click();
    const request = page.getByRole('article', { name: /e2e-keep\.example/ });
    expect(await request.textContent()).toMatch(/The domain now\s*listed since v1/);
    const buttons = await request.getByRole('button').allTextContents();
    expect(buttons[0]).toMatch(/^Reject/);
    expect(await page.getByRole('link', { name: 'Open' }).getAttribute('aria-current')).toBe('page');
    await check('delisting');

    // The audit page names who excluded the shared host, by label and organisation.
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Domain, hostname or URL').fill('www.e2e-shared-host.example');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(
      await page
        .getByRole('row', { name: /excluded/ })
        .first()
        .textContent(),
    ).toMatch(/analyst \(analyst · ZZ List team\)excludede2e-shared-host\.example/);
    expect(page.url()).not.toContain('e2e-shared');
    await check('audit');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
  }, 60_000);

  it('lets an NCB see its stale ISP and issue it a key, shown once', async () => {
    // Two days on: ZZ ISP's last pull (the analyst's walk read the list with its key) is stale.
    ctx.setNow(new Date(ctx.now().getTime() + 49 * 3_600_000));
    await signIn(a.ncb);
    await page.getByRole('heading', { name: 'ISPs in SE' }).waitFor();
    // Its work queue: ZZ ISP has not pulled for WOL_ISP_STALE_HOURS (48).
    const stale = page.locator('dt', { hasText: 'Stale ISPs' }).locator('xpath=following-sibling::dd[1]/a');
    expect(await stale.textContent()).toBe('1');
    expect(
      await page
        .getByRole('region', { name: 'Pull status' })
        .getByRole('row', { name: /ZZ ISP/ })
        .textContent(),
    ).toContain('stale');
    await page.getByLabel('ISP', { exact: true }).selectOption({ label: 'ZZ ISP' });
    await page.getByLabel('Label').fill('e2e resolver');
    await page.getByRole('button', { name: 'Issue key' }).click();
    const token = (await page.locator('code.token').textContent())!.trim();
    expect(token).toMatch(/^wol_isp_/);
    await check('ncb');
    expect((await ctx.call('GET', '/v1/list/manifest', { token })).status).toBe(200);
    expect(await stale.textContent()).toBe('1');
    // The key was shown on the page the form redirected to: reloading it shows no key and issues none.
    expect(page.url()).toBe(`${server.url}/console/ncb`);
    await page.reload();
    expect(await page.content()).not.toContain(token);
    expect(await page.getByRole('row', { name: /e2e resolver/ }).count()).toBe(1);
    // Its pull took ZZ ISP off the queue.
    expect(await stale.textContent()).toBe('0');
    expect(await page.getByRole('link', { name: 'Re-check queue' }).count()).toBe(0);
    // Revoking asks first, naming the key and its ISP; cancelling leaves the key working.
    await page.getByRole('link', { name: 'Revoke the key e2e resolver…' }).click();
    await page.getByText('ZZ ISP’s key “e2e resolver” stops working at once').waitFor();
    await check('ncb-revoke');
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect((await ctx.call('GET', '/v1/list/manifest', { token })).status).toBe(200);
  }, 60_000);
});
