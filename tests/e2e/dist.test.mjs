// The site `cargo xtask dist` writes (xtask/src/dist.rs), served as a static host would on its
// own origin (OPTISCAPE_DIST_URL: `cargo xtask test` writes it to target/dist-e2e and serves it
// on a second port, with Access-Control-Allow-Origin on the site's files): every page carries
// the strict CSP as a meta tag and loads under it with no console error; a course page on
// another origin (the repo's server, tests/e2e/parent.html) loads the element's module from the
// site with one script tag and drives it, in English and Chinese.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { URL, launch, openApp, screenshot } from './helpers.mjs';

const DIST = process.env.OPTISCAPE_DIST_URL;
const COURSE_PAGE = `${URL}tests/e2e/parent.html`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A page of the site (errors collected in `page.errors`, as helpers.mjs `openApp` does). */
const openPage = (path) => openApp(browser, { base: DIST, path, ready: false });

test('every page of the site carries the strict CSP and loads under it with no console error', { skip: !DIST && 'OPTISCAPE_DIST_URL is not set' }, async () => {
  for (const [path, ready] of [['index.html', true], ['classifier.html', true], ['scenes.html', true], ['teaching.html', true], ['embed.html', false]]) {
    const page = await openPage(path);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.equal(csp, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'", path);
    if (ready) await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    else await page.waitForFunction(() => customElements.get('optiscape-lab') !== undefined);
    // Every script and style the page uses comes from the versioned folder (a link a module
    // adds, the classifier's wasm preload, holds a whole URL: its path is what counts).
    const urls = await page.evaluate(() => [...document.querySelectorAll('script[src], link[href]')].map((e) => {
      const u = e.getAttribute('src') ?? e.getAttribute('href');
      const url = new URL(u, document.baseURI);
      return url.origin === location.origin && /^https?:/.test(u) ? url.pathname.slice(1) : u;
    }));
    assert.ok(urls.every((u) => /^(www-[0-9a-f]{12}|data)\//.test(u) || /\.html/.test(u)), `${path}: ${urls.join(' ')}`);
    assert.deepEqual(page.errors, [], path);
    await page.context().close();
  }
});

test('a course page on another origin loads the element from the site with one script tag and drives it, in English and Chinese', { skip: !DIST && 'OPTISCAPE_DIST_URL is not set' }, async () => {
  const module = `${DIST}optiscape-lab.js`;
  for (const lang of ['en', 'zh-CN']) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(COURSE_PAGE);
    assert.notEqual(new globalThis.URL(COURSE_PAGE).origin, new globalThis.URL(DIST).origin);
    // What a teacher pastes: one script tag and the element.
    await page.evaluate(({ src, lang }) => {
      window.events = [];
      const script = document.createElement('script');
      script.type = 'module';
      script.src = src;
      document.head.append(script);
      const el = document.createElement('optiscape-lab');
      el.setAttribute('scene', 'saddle');
      el.setAttribute('lang', lang);
      el.setAttribute('height', '500');
      for (const name of ['ready', 'step', 'error']) el.addEventListener(name, (e) => window.events.push(e.detail));
      document.body.append(el);
    }, { src: module, lang });
    const t0 = Date.now();
    await page.waitForFunction(() => window.events.some((d) => d.event === 'ready'), null, { timeout: 10_000 });
    const first = await page.evaluate(() => window.events.find((d) => d.event === 'ready'));
    assert.equal(first.scene, 'saddle', JSON.stringify(first));
    assert.ok(Date.now() - t0 < 10_000);
    // setState moves it to another scene; play runs it.
    await page.evaluate(() => {
      window.events = [];
      document.querySelector('optiscape-lab').setState('ravine');
    });
    await page.waitForFunction(() => window.events.some((d) => d.event === 'ready' && d.scene === 'ravine'), null, { timeout: 30_000 });
    await page.evaluate(() => document.querySelector('optiscape-lab').play());
    await page.waitForFunction(() => window.events.some((d) => d.event === 'step' && d.step > 0), null, { timeout: 30_000 });
    const frame = page.frames().find((f) => f.url().startsWith(`${DIST}index.html`));
    assert.ok(frame, 'the lab is framed from the site');
    assert.equal(await frame.evaluate(() => document.documentElement.lang), lang);
    await screenshot(page, `dist-element-${lang}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the element snippet says why when its script does not run, and the element says so when the lab does not answer', { skip: !DIST && 'OPTISCAPE_DIST_URL is not set' }, async () => {
  // The snippet as the site's "Copy embed code" writes it.
  const lab = await openPage('index.html#v=1&scene=saddle&lang=en');
  await lab.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await lab.getByRole('button', { name: 'Copy embed code' }).click();
  const snippet = await lab.locator('#embed-element').inputValue();
  await lab.context().close();
  // The site's unversioned address of the element: a pasted snippet survives an update.
  assert.ok(snippet.startsWith(`<script type="module" src="${DIST}optiscape-lab.js"></script>\n`), snippet);
  assert.match(snippet, />optiscape could not start here: its script did not load from http:\/\/127\.0\.0\.1:\d+\. .*Access-Control-Allow-Origin.*<\/optiscape-lab>$/);

  // Pasted as HTML its script does not run (as on a host without CORS): the text shows.
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.goto(COURSE_PAGE);
  await page.evaluate((html) => {
    document.body.innerHTML = html;
  }, snippet);
  assert.match(await page.locator('optiscape-lab').textContent(), /could not start here/);
  assert.equal(await page.locator('optiscape-lab').isVisible(), true);

  // With the module running but the lab's page unreachable, the element says so after 15 s.
  await page.route(`${DIST}index.html*`, (route) => route.abort());
  const src = /src="([^"]+)"/.exec(snippet)[1];
  await page.evaluate((module) => {
    document.body.replaceChildren();
    const el = document.createElement('optiscape-lab');
    el.setAttribute('scene', 'saddle');
    el.textContent = 'fallback';
    document.body.append(el);
    const script = document.createElement('script');
    script.type = 'module';
    script.src = module;
    document.head.append(script);
  }, src);
  await page.waitForFunction(() => customElements.get('optiscape-lab') !== undefined);
  assert.doesNotMatch(await page.locator('optiscape-lab').textContent(), /fallback/);
  await page.locator('optiscape-lab p[role="status"]').waitFor({ state: 'visible', timeout: 25_000 });
  assert.match(await page.locator('optiscape-lab p[role="status"]').textContent(), /^The lab at http:\/\/127\.0\.0\.1:\d+ did not answer within 15 s\./);
  await context.close();
});

test('the iframe snippet, pasted as it is into a page on another origin, runs the lab under its sandbox and takes commands', { skip: !DIST && 'OPTISCAPE_DIST_URL is not set' }, async () => {
  const lab = await openPage('index.html#v=1&scene=ravine&lang=en');
  await lab.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await lab.getByRole('button', { name: 'Copy embed code' }).click();
  const snippet = await lab.locator('#embed-iframe').inputValue();
  await lab.context().close();
  assert.match(snippet, / sandbox="allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox" allow="clipboard-write"><\/iframe>$/);
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(COURSE_PAGE);
  await page.evaluate((html) => {
    window.got = [];
    window.addEventListener('message', (e) => {
      if (e.data?.type === 'optiscape') window.got.push(e.data);
    });
    document.body.innerHTML = html;
  }, snippet);
  await page.waitForFunction(() => window.got.some((d) => d.event === 'ready' && d.scene === 'ravine'), null, { timeout: 30_000 });
  const frame = page.frames().find((f) => f.url().startsWith(`${DIST}index.html`));
  await frame.waitForSelector('body[data-ready="true"]');
  await page.evaluate((origin) => document.querySelector('iframe').contentWindow.postMessage({ type: 'optiscape', action: 'play' }, origin), new globalThis.URL(DIST).origin);
  await page.waitForFunction(() => window.got.some((d) => d.event === 'step' && d.step > 0), null, { timeout: 30_000 });
  assert.deepEqual(errors, []);
  await context.close();
});
