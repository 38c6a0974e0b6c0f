// The teacher's page (teaching.html, linked from the Lecture tab): every scene with its claim,
// a preview and both snippets, in English and Chinese; docs/teaching.md is that page as
// Markdown (checked here; OPTISCAPE_WRITE_TEACHING=1 writes it and its previews again); and
// the snippets, taken verbatim from the published site's page (OPTISCAPE_DIST_URL), work in a
// course page on another origin: the element says `ready` within 10 s and `setState` moves
// it, the iframe shows the plot whole.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { URL, launch, openApp, screenshot } from './helpers.mjs';

const DIST = process.env.OPTISCAPE_DIST_URL;
const COURSE_PAGE = `${URL}tests/e2e/parent.html`;
const DOC = 'docs/teaching.md';
/** The address docs/teaching.md writes for the teacher's own site. */
const SITE = 'https://example.org/optiscape/';
const preview = (id) => `teaching/${id}.jpg`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the teacher\'s page lists every scene with its claim, a preview and both snippets, in English and Chinese', async () => {
  // Reached from the Lecture tab.
  const index = await openApp(browser, { path: 'scenes.html', hash: '#v=1&lang=en' });
  await index.getByRole('link', { name: 'For teachers: put a scene in your course page' }).click();
  await index.waitForSelector('body[data-ready="true"]');
  assert.match(index.url(), /teaching\.html#v=1&lang=en$/);
  await index.context().close();
  const scenes = JSON.parse(readFileSync('www/scenes/scenes.json', 'utf8'));
  for (const lang of ['en', 'zh-CN']) {
    const page = await openApp(browser, { path: 'teaching.html', hash: `#v=1&lang=${lang}` });
    const items = await page.locator('.teach-item').evaluateAll((els) => els.map((li) => ({
      id: li.dataset.scene,
      title: li.querySelector('h3').textContent,
      claim: li.querySelector('.teach-claim').textContent,
      drawn: li.querySelector('canvas').dataset.drawn,
      iframe: li.querySelector('.teach-iframe textarea').value,
      element: li.querySelector('.teach-element textarea').value,
    })));
    assert.deepEqual(items.map((i) => i.id), scenes.map((s) => s.id));
    for (const [k, item] of items.entries()) {
      const s = scenes[k];
      const text = lang === 'zh-CN' ? s.title['zh-CN'] : s.title.en;
      assert.equal(item.title, text, item.id);
      const claim = lang === 'zh-CN' ? s.claim['zh-CN'] : s.claim.en;
      assert.ok(item.claim.length > 10 && claim.startsWith(item.claim.replace(/ …$/, '')), `${item.id}: ${item.claim}`);
      assert.equal(item.drawn, 'true', item.id);
      const page = s.lab === 'classifier' ? 'classifier' : 'index';
      assert.ok(item.iframe.startsWith(`<iframe src="${URL}${page}.html#v=1&amp;scene=${s.id}&amp;lang=${lang}&amp;embed=minimal" title="optiscape: `), item.iframe);
      assert.ok(item.iframe.endsWith(' sandbox="allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox" allow="clipboard-write"></iframe>'), item.iframe);
      assert.ok(item.element.startsWith(`<script type="module" src="${URL}www/embed/optiscape-lab.js"></script>\n<optiscape-lab scene="${s.id}" lang="${lang}" controls="minimal" height="480">`), item.element);
    }
    // Copy puts the snippet on the clipboard (or selects it) and says so.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('[data-scene="ravine"] .teach-element button').click();
    await page.locator('[data-scene="ravine"] .teach-status').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), items.find((i) => i.id === 'ravine').element);
    await screenshot(page, `teaching-${lang}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
  // A phone: nothing sideways.
  const phone = await openApp(browser, { path: 'teaching.html', width: 375, height: 667 });
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) <= 1);
  await screenshot(phone, 'teaching-phone');
  await phone.context().close();
});

test('docs/teaching.md is the published site\'s teacher page, in both languages', { skip: !DIST && 'OPTISCAPE_DIST_URL is not set' }, async () => {
  const page = await openApp(browser, { base: DIST, path: 'teaching.html', hash: '#v=1&lang=en' });
  const parts = [
    '# Teaching with optiscape: every scene, ready to embed',
    '',
    '<!-- Written from the teacher\'s page (teaching.html) by tests/e2e/teaching.test.mjs',
    '     (OPTISCAPE_WRITE_TEACHING=1 cargo xtask test); do not edit it by hand. -->',
    '',
    `The same page is in the app: *For teachers* on the Lecture tab, with your site's own address in every snippet. Here the address is \`${SITE}\`: replace it with the address where you published the site (README, "Publishing it"). 中文在后半部分。`,
    '',
  ];
  const previews = {};
  for (const lang of ['en', 'zh-CN']) {
    if (lang !== 'en') {
      await page.locator('#lang').selectOption(lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    }
    parts.push(await page.evaluate(([site, p]) => window.optiscapeTeaching.markdown(site, (id) => p.replace('ID', id)), [SITE, preview('ID')]));
    if (lang === 'en') {
      for (const li of await page.locator('.teach-item').all()) {
        previews[await li.getAttribute('data-scene')] = await li.locator('canvas').evaluate((c) => c.toDataURL('image/jpeg', 0.8));
      }
    }
  }
  const want = `${parts.join('\n').trimEnd()}\n`;
  if (process.env.OPTISCAPE_WRITE_TEACHING) {
    writeFileSync(DOC, want);
    mkdirSync('docs/teaching', { recursive: true });
    for (const [id, url] of Object.entries(previews)) writeFileSync(`docs/${preview(id)}`, Buffer.from(url.split(',')[1], 'base64'));
  }
  const have = readFileSync(DOC, 'utf8');
  assert.equal(have, want, `${DOC} is not what the teacher's page shows now; write it again with OPTISCAPE_WRITE_TEACHING=1 cargo xtask test`);
  for (const id of Object.keys(previews)) assert.ok(readFileSync(`docs/${preview(id)}`).length > 1000, id);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the teacher\'s page snippets, pasted verbatim into a course page on another origin, work', { skip: !DIST && 'OPTISCAPE_DIST_URL is not set' }, async () => {
  for (const lang of ['en', 'zh-CN']) {
    const site = await openApp(browser, { base: DIST, path: 'teaching.html', hash: `#v=1&lang=${lang}` });
    const take = (id, which) => site.locator(`[data-scene="${id}"] .teach-${which} textarea`).inputValue();
    const element = await take('saddle', 'element');
    const iframe = await take('ravine', 'iframe');
    const classifierIframe = await take('softmax', 'iframe');
    const digitsIframe = await take('batchnorm', 'iframe');
    await site.context().close();
    assert.ok(element.startsWith(`<script type="module" src="${DIST}optiscape-lab.js"></script>`), element);

    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(COURSE_PAGE);
    // The element: its script tag as pasted (a script inserted as HTML does not run, so the
    // tag is rebuilt with the same attributes, as the browser does for a page's own HTML).
    await page.evaluate((html) => {
      window.events = [];
      const holder = document.createElement('div');
      holder.innerHTML = html;
      const pasted = holder.querySelector('script');
      const script = document.createElement('script');
      for (const a of pasted.attributes) script.setAttribute(a.name, a.value);
      pasted.replaceWith(script);
      const el = holder.querySelector('optiscape-lab');
      for (const name of ['ready', 'step', 'error']) el.addEventListener(name, (e) => window.events.push(e.detail));
      document.body.append(holder);
    }, element);
    const t0 = Date.now();
    await page.waitForFunction(() => window.events.some((d) => d.event === 'ready' && d.scene === 'saddle'), null, { timeout: 10_000 });
    assert.ok(Date.now() - t0 < 10_000);
    await page.evaluate(() => {
      window.events = [];
      document.querySelector('optiscape-lab').setState('ravine');
    });
    await page.waitForFunction(() => window.events.some((d) => d.event === 'ready' && d.scene === 'ravine'), null, { timeout: 30_000 });
    const labFrame = page.frames().find((f) => f.url().startsWith(`${DIST}index.html`));
    assert.equal(await labFrame.evaluate(() => document.documentElement.lang), lang);

    // The iframes: the plot whole inside the frame; the classifier scene's too.
    for (const [html, lab, plot] of [[iframe, 'index', '#plot'], [classifierIframe, 'classifier', '#boundary'], [digitsIframe, 'classifier', '#digits-view']]) {
      await page.evaluate((h) => {
        document.body.replaceChildren();
        document.body.insertAdjacentHTML('beforeend', h);
      }, html);
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      await frame.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      assert.ok(frame.url().startsWith(`${DIST}${lab}.html`), frame.url());
      const { box, inner } = await frame.evaluate((sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return { box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width }, inner: [innerWidth, innerHeight] };
      }, plot);
      assert.ok(box.width >= 100 && box.left >= 0 && box.top >= 0 && box.right <= inner[0] && box.bottom <= inner[1], `${lab} ${lang}: ${plot} ${JSON.stringify(box)} in ${inner}`);
      await screenshot(page, `teaching-iframe-${plot.slice(1)}-${lang}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
