// The review page in a real browser: a headless system Chromium (or Chrome) driven by playwright-core.
// The tests assert what a person sees. The browser is looked for where it usually lives
// (test/support/browser.ts; CHROMIUM_PATH names another); without one these tests are skipped with one
// line, except under CI=true, where a missing browser fails (`.ci/run` installs Debian's Chromium).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { Browser, chromium, Page } from 'playwright-core';
import { EXAMPLE_APPS } from '../apps';
import { loadManifests } from '../lib/audit';
import { diffSynths, renderReview, Change } from '../lib/review';
import { findChromium, NO_BROWSER } from './support/browser';

const ARTIFACTS = path.join(__dirname, 'artifacts');
const CHROMIUM = findChromium();
const REQUIRED = process.env.CI === 'true';
// One line, not jest's console block.
if (!CHROMIUM && !REQUIRED) process.stderr.write(`${NO_BROWSER}\n`);
const browserTest = CHROMIUM || REQUIRED ? test : test.skip;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

jest.setTimeout(60_000);

let browser: Browser;
let outdir: string;
let examplesPage: string;
let fixturePage: string;
const hasMyversion = EXAMPLE_APPS.some((e) => e.name === 'myversion');

async function open(file: string, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) errors.push(`network request: ${r.url()}`); });
  await page.goto(`file://${file}`);
  return { page, errors };
}

beforeAll(async () => {
  if (!CHROMIUM) {
    if (REQUIRED) throw new Error(`CI=true and no browser was found. ${NO_BROWSER}`);
    return;
  }
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-review-'));
  const app = new App({ outdir: path.join(outdir, 'dist'), yamlOutputType: YamlOutputType.FILE_PER_CHART });
  for (const e of EXAMPLE_APPS) e.build(app);
  app.synth();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  examplesPage = path.join(ARTIFACTS, 'review-examples.html');
  fs.writeFileSync(examplesPage, await renderReview(loadManifests([path.join(outdir, 'dist')])));
  fixturePage = path.join(ARTIFACTS, 'review-fixture.html');
  fs.writeFileSync(fixturePage, await renderReview(loadManifests([path.join(__dirname, 'fixtures/audit/vs-weights.yaml')])));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

afterAll(async () => {
  await browser?.close();
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

browserTest('the page for all example apps loads in under 1 s, with no console errors and no network', async () => {
  const { page, errors } = await open(examplesPage);
  const loadMs = await page.evaluate('performance.getEntriesByType("navigation")[0].loadEventEnd') as number;
  expect(loadMs).toBeLessThan(1000);
  expect(errors).toEqual([]);
  for (const e of EXAMPLE_APPS) await expect(page.locator('nav').getByRole('link', { name: new RegExp(`^${e.name}`) }).first().isVisible()).resolves.toBe(true);
  await page.screenshot({ path: path.join(ARTIFACTS, 'review-1280x800.png') });
  await page.close();
});

browserTest('guestbook: the frontend → redis edges are drawn, and no other workload has an edge into redis', async () => {
  const { page, errors } = await open(examplesPage);
  const chart = page.locator('section[data-chart="guestbook"]');
  await chart.scrollIntoViewIfNeeded();
  const into = async (target: string) => (await chart.locator(`svg .edge[data-to="Deployment/guestbook/${target}"]`).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-from')))).sort();
  expect(await into('redis-master')).toEqual(['Deployment/guestbook/frontend', 'Deployment/guestbook/redis-replica', 'Service/guestbook/redis-master']);
  expect(await into('redis-replica')).toEqual(['Deployment/guestbook/frontend', 'Service/guestbook/redis-replica']);
  for (const target of ['redis-master', 'redis-replica']) {
    const edge = chart.locator(`svg .edge[data-from="Deployment/guestbook/frontend"][data-to="Deployment/guestbook/${target}"]`);
    expect(await edge.locator('polyline').isVisible()).toBe(true);
    expect(await edge.locator('.edge-label').textContent()).toBe('allowed: TCP 6379');
  }
  // The text alternative says the same.
  const rows = await chart.locator('table.edges tbody tr').allTextContents();
  expect(rows).toContain('Deployment frontendNetworkPolicy allowsDeployment redis-masterallowed: TCP 6379');
  await chart.screenshot({ path: path.join(ARTIFACTS, 'review-guestbook.png') });
  expect(errors).toEqual([]);
  await page.close();
});

(hasMyversion ? browserTest : test.skip)('myversion: the canary stage splits 90% to v1 and 10% to v2; the user-v2 stage routes header user=yoichi to v2', async () => {
  const { page, errors } = await open(examplesPage);
  const canary = page.locator('section[data-chart="myversion-canary"]');
  const edgeTo = (section: typeof canary, subset: string) => section.locator(`svg .edge[data-from^="VirtualService/"][data-to$="/myversion/${subset}"] .edge-label`);
  await canary.scrollIntoViewIfNeeded();
  expect(await edgeTo(canary, 'v1').isVisible()).toBe(true);
  expect(await edgeTo(canary, 'v1').textContent()).toMatch(/90%$/);
  expect(await edgeTo(canary, 'v2').textContent()).toMatch(/10%$/);
  const userV2 = page.locator('section[data-chart="myversion-user-v2"]');
  expect(await edgeTo(userV2, 'v2').textContent()).toMatch(/header user ~ \/yoichi\/ · 100%/);
  // Side by side: the stage cards show each stage's split.
  const card = page.locator('#canary article.stage[data-chart="myversion-canary"]');
  expect(await card.locator('.split').allTextContents()).toEqual(['v1 90%', 'v2 10%']);
  await page.locator('#canary').screenshot({ path: path.join(ARTIFACTS, 'review-canary-stages.png') });
  expect(errors).toEqual([]);
  await page.close();
});

browserTest('a broken fixture shows its error', async () => {
  const { page, errors } = await open(fixturePage);
  const finding = page.locator('.finding.level-error');
  expect(await finding.count()).toBe(1);
  expect(await finding.isVisible()).toBe(true);
  expect(await finding.textContent()).toMatch(/VirtualService\/shop.*\/spec\/http\/0\/route.*weights sum to 95 \(v1=90, v2=5\)/);
  expect(await page.locator('nav .count.err').textContent()).toBe('1');
  // The object at fault is marked in the picture too.
  expect(await page.locator('svg .node.faulty').getAttribute('aria-label')).toBe('VirtualService shop, shop, has errors');
  await page.screenshot({ path: path.join(ARTIFACTS, 'review-broken-fixture.png') });
  expect(errors).toEqual([]);
  await page.close();
});

browserTest('keyboard: Tab reaches the boxes of the picture, and a focused box highlights its connections', async () => {
  const { page } = await open(examplesPage);
  const node = page.locator('section[data-chart="guestbook"] svg .node[data-node="Deployment/guestbook/redis-master"]');
  await node.focus();
  expect(await node.evaluate((n) => n === (globalThis as any).document.activeElement && n.classList.contains('hl'))).toBe(true);
  expect(await node.getAttribute('aria-label')).toBe('Deployment redis-master, 1 replica · redis:7.4.1');
  expect(await page.locator('section[data-chart="guestbook"] table.edges tr.hl').count()).toBe(3);
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-node")')).toBeTruthy();
  await page.close();
});

browserTest('narrow screen: the page does not overflow sideways; wide pictures scroll in their own box', async () => {
  const { page, errors } = await open(examplesPage, { width: 390, height: 844 });
  expect(await page.evaluate('document.documentElement.scrollWidth') as number).toBeLessThanOrEqual(390);
  await page.screenshot({ path: path.join(ARTIFACTS, 'review-390x844.png') });
  expect(errors).toEqual([]);
  await page.close();
});

browserTest('--against: changed objects come first, with their changed lines', async () => {
  const before = loadManifests([path.join(__dirname, 'fixtures/audit/good.yaml')]);
  const after = loadManifests([path.join(__dirname, 'fixtures/audit/vs-weights.yaml')]);
  const diffs = diffSynths(before, after);
  expect(diffs[0]).toMatchObject({ change: Change.CHANGED, title: 'VirtualService fixture/shop' });
  expect(diffs[0].lines.filter((l) => l.op !== ' ').map((l) => `${l.op}${l.text.trim()}`)).toEqual(['-weight: 10', '+weight: 5']);
  expect(diffs.slice(1).every((d) => d.change === Change.UNCHANGED)).toBe(true);
  const file = path.join(ARTIFACTS, 'review-diff.html');
  fs.writeFileSync(file, await renderReview(after, { against: before, againstLabel: 'good.yaml' }));
  const { page, errors } = await open(file);
  expect(await page.locator('#diff details').first().locator('summary').textContent()).toMatch(/changed VirtualService fixture\/shop/);
  expect(await page.locator('#diff .ladd').allTextContents()).toEqual(['+           weight: 5']);
  expect(errors).toEqual([]);
  await page.close();
});
