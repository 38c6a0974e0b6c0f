// Lecture scenes and embedding, used as a student and a teacher would: the scene index (11 cards
// with live thumbnails, links into both labs), a scene link that sets up the lab with labelled
// runs and a card, "Measure the claim", next / previous, the panel switcher, the classifier
// scenes, Chinese, the embed dialog, the custom element and the iframe driven by postMessage,
// and every page under the strict Content-Security-Policy. Screenshots land in target/e2e/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { URL, launch, legend, openApp, screenshot } from './helpers.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const sceneUrl = (page) => new globalThis.URL(page.url()).hash;
// The scenes in lecture order, as the core writes them (`optiscape scene --all`).
const SCENES = JSON.parse(readFileSync('www/scenes/scenes.json', 'utf8'));

test('the scene index shows every scene in order with drawn thumbnails, and its links open the labs', async () => {
  const page = await openApp(browser, { path: 'scenes.html' });
  const cards = page.locator('.scene-tile');
  assert.ok(SCENES.length >= 16, `${SCENES.length} scenes`);
  assert.equal(await cards.count(), SCENES.length);
  const ids = await cards.evaluateAll((els) => els.map((e) => e.dataset.scene));
  assert.deepEqual(ids, SCENES.map((sc) => sc.id));
  assert.deepEqual(ids.slice(0, 2), ['saddle', 'local_minimum']);
  assert.equal(ids.at(-1), 'saddles_outnumber');
  assert.equal(await page.locator('canvas.scene-thumb[data-drawn="true"]').count(), SCENES.length);
  // A thumbnail is a picture, not a blank canvas: many distinct colours.
  const colours = await page.locator('canvas.scene-thumb').first().evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 37) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
  assert.ok(colours > 50, `the thumbnail has only ${colours} colours`);
  const href = await page.locator('[data-scene="batchnorm"] h2 a').getAttribute('href');
  assert.match(href, /^classifier\.html#v=1&scene=batchnorm&lang=en$/);
  await screenshot(page, 'scenes-index');
  await page.getByRole('link', { name: 'Stuck at a saddle point' }).click();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#scene-card:not([hidden])');
  assert.equal(await page.locator('#scene-title').textContent(), 'Stuck at a saddle point');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a scene link sets up the lab: surface, labelled runs, the inspector, the card; changing the surface leaves the scene', async () => {
  const page = await openApp(browser, { hash: '#v=1&scene=saddle' });
  assert.equal(await page.locator('#scene-title').textContent(), 'Stuck at a saddle point');
  assert.equal(await page.locator('#scene-kicker').textContent(), `Lecture scene 1 of ${SCENES.length}`);
  assert.match(await page.locator('#scene-claim').textContent(), /stable manifold/);
  assert.equal(await page.locator('#scene-formula math').count(), 1);
  assert.equal(await page.locator('#formula').inputValue(), 'x^2 - y^2 + 0.5*y^4');
  const entries = await legend(page);
  assert.equal(entries.length, 3);
  assert.match(entries[0], /^1\. GD on the stable manifold \(y = 0\)/);
  assert.match(entries[1], /^2\. GD, start nudged by 10⁻⁶/);
  assert.match(entries[2], /^3\. Minibatch noise \(B = 16\)/);
  assert.equal(await page.locator('#inspector').isHidden(), false);
  assert.match(await page.locator('#inspector-kind').textContent(), /saddle/i);
  assert.equal(await page.locator('#steps').inputValue(), '150');
  assert.equal(await page.locator('#scene-prev').isDisabled(), true);
  assert.match(sceneUrl(page), /scene=saddle/);
  assert.match(sceneUrl(page), /run=sgd,lr=0\.1,start=1\.5_0\.000001/);
  await screenshot(page, 'scene-saddle');
  // Editing a run keeps the scene but drops that run's scene label.
  await page.locator('#legend [data-run="1"]').click();
  await page.getByRole('button', { name: 'Add run' }).click();
  assert.equal((await legend(page)).length, 4);
  assert.match((await legend(page))[0], /GD on the stable manifold/);
  await page.locator('#preset').selectOption('rosenbrock');
  await page.waitForFunction(() => !location.hash.includes('scene='));
  assert.equal(await page.locator('#scene-card').isHidden(), true);
  assert.equal(await page.locator('#scene-picker').inputValue(), '');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('"Measure the claim" runs the check in a worker and shows the numbers and a pass', async () => {
  const page = await openApp(browser, { hash: '#v=1&scene=saddle' });
  await page.getByRole('button', { name: 'Measure the claim' }).click();
  await page.waitForSelector('#scene-check .verdict', { timeout: 60_000 });
  assert.equal(await page.locator('#scene-check .verdict').getAttribute('data-pass'), 'true');
  assert.equal(await page.locator('#scene-check .verdict').textContent(), 'Measured: the claim holds.');
  const conditions = await page.locator('#scene-check .conditions li').allTextContents();
  assert.ok(conditions.length >= 3, conditions.join('\n'));
  for (const c of conditions) assert.match(c, /^✓.+: .+ [<>]=? .+$/);
  await screenshot(page, 'scene-measured');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('next and previous walk the lecture; a two-panel scene switches panels; a classifier scene opens the classifier lab', async () => {
  const page = await openApp(browser, { hash: '#v=1&scene=saddle' });
  await page.getByRole('button', { name: 'Next scene →' }).click();
  await page.waitForFunction(() => location.hash.includes('scene=local_minimum'));
  assert.equal(await page.locator('#scene-title').textContent(), 'Momentum rolls past a local minimum');
  assert.equal(await page.locator('#preset').inputValue(), 'double_well');
  await page.getByRole('button', { name: '← Previous scene' }).click();
  await page.waitForFunction(() => location.hash.includes('scene=saddle'));
  assert.equal(await page.locator('#scene-title').textContent(), 'Stuck at a saddle point');
  // Cross-entropy vs MSE has two panels.
  await page.locator('#scene-picker').selectOption('ce_vs_mse');
  await page.waitForFunction(() => location.hash.includes('scene=ce_vs_mse'));
  const panels = page.locator('#scene-panels button');
  assert.equal(await panels.count(), 2);
  const first = await page.locator('#formula').inputValue();
  await panels.nth(1).click();
  await page.waitForFunction(() => location.hash.includes('panel=1'));
  assert.notEqual(await page.locator('#formula').inputValue(), first);
  assert.equal(await panels.nth(1).getAttribute('aria-pressed'), 'true');
  await screenshot(page, 'scene-ce-mse-panel2');
  // Scene 8 → next is scene 9, a classifier scene: the classifier lab opens with its card.
  await page.locator('#scene-picker').selectOption('batch_minima');
  await page.waitForFunction(() => location.hash.includes('scene=batch_minima'));
  await page.getByRole('button', { name: 'Next scene →' }).click();
  await page.waitForURL(/classifier\.html#.*scene=batch_time/);
  await page.waitForSelector('#scene-card:not([hidden])', { timeout: 30_000 });
  assert.equal(await page.locator('#scene-title').textContent(), 'Small batch vs large batch');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('walking the lecture with "Next scene" (and the picker past classifier scenes): every surface scene opens with its runs, and its claim measures as holding', async () => {
  const page = await openApp(browser, { hash: '#v=1&scene=saddle' });
  const list = await page.evaluate(() => window.optiscape.catalog.scenes);
  const surface = list.filter((s) => s.lab === 'surface');
  assert.equal(surface.length, SCENES.filter((sc) => sc.lab === 'surface').length);
  assert.ok(surface.length >= 11, `${surface.length} surface scenes`);
  for (const [i, entry] of surface.entries()) {
    if (i > 0) {
      // "Next" where the lecture's previous scene is a surface scene too; past a classifier
      // scene (it opens the classifier page) the picker.
      const previous = list[list.findIndex((s) => s.id === entry.id) - 1];
      if (previous.lab === 'surface') await page.getByRole('button', { name: 'Next scene →' }).click();
      else await page.locator('#scene-picker').selectOption(entry.id);
      await page.waitForFunction((id) => location.hash.includes(`scene=${id}`), entry.id);
    }
    assert.equal(await page.locator('#scene-title').textContent(), entry.title.en);
    const runs = await page.evaluate(() => window.optiscape.scenes.scene.panels[0].runs.length);
    assert.equal((await legend(page)).length, runs, entry.id);
    assert.equal(await page.evaluate(() => window.optiscape.state.runs.every((_, k) => window.optiscape.scenes.runLabel(k) !== null)), true, entry.id);
    await page.locator('#scene-measure').click();
    await page.waitForSelector('#scene-check .verdict', { timeout: 60_000 });
    assert.equal(await page.locator('#scene-check .verdict').getAttribute('data-pass'), 'true', entry.id);
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a classifier scene link loads its config, and its run buttons switch runs', async () => {
  const page = await openApp(browser, { path: 'classifier.html', hash: '#v=1&scene=batchnorm' });
  await page.waitForSelector('#scene-card:not([hidden])');
  assert.equal(await page.locator('#scene-title').textContent(), 'Batch normalization');
  assert.match(sceneUrl(page), /scene=batchnorm/);
  assert.match(sceneUrl(page), /data=digits/);
  assert.doesNotMatch(sceneUrl(page), /bn=1/);
  // Its claim trains two networks on the digits in the worker.
  await page.getByRole('button', { name: 'Measure the claim' }).click();
  await page.waitForSelector('#scene-check .verdict', { timeout: 60_000 });
  assert.equal(await page.locator('#scene-check .verdict').getAttribute('data-pass'), 'true');
  await page.getByRole('button', { name: 'with BN' }).click();
  await page.waitForFunction(() => location.hash.includes('bn=1'));
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#scene-card:not([hidden])');
  assert.equal(await page.locator('#scene-title').textContent(), 'Batch normalization');
  await screenshot(page, 'scene-classifier');
  // The switch reloads the page; a request cut short by that reload is no error.
  assert.deepEqual(page.errors.filter((e) => !e.startsWith('request failed')), []);
  await page.context().close();
  // Embedded (as <optiscape-lab scene="batchnorm"> does): no header, no notice, the card.
  const embedded = await openApp(browser, { hash: '#v=1&scene=batchnorm&embed=minimal', width: 900 });
  await embedded.waitForURL(/classifier\.html#.*scene=batchnorm/);
  await embedded.waitForSelector('body[data-ready="true"]');
  await embedded.waitForSelector('#scene-card:not([hidden])');
  assert.equal(await embedded.locator('header.top').isHidden(), true);
  assert.equal(await embedded.locator('#notice').isHidden(), true);
  assert.equal(await embedded.locator('#play').isVisible(), true);
  await screenshot(embedded, 'scene-classifier-embedded');
  await embedded.context().close();
  // Every classifier scene's runs load whole: no field of their links is ignored (the batch-size
  // scene's 400 points are not among the points picker's presets; the picker gains them).
  const list = SCENES.filter((sc) => sc.classifier?.length);
  for (const sc of list) {
    const p = await openApp(browser, { path: 'classifier.html', hash: `#v=1&scene=${sc.id}` });
    assert.equal(await p.locator('#notice').isHidden(), true, `${sc.id}: ${await p.locator('#notice-text').textContent()}`);
    const n = sc.classifier[0].config.data.n;
    if (sc.classifier[0].config.data.name !== 'digits') {
      assert.equal(await p.locator('#points').inputValue(), String(n), sc.id);
      assert.match(sceneUrl(p), new RegExp(`[#&]n=${n}(&|$)`), sc.id);
    }
    await p.context().close();
  }
});

test('saddles outnumber local minima: the check drives networks to critical points and plots the lecture\'s scatter', async () => {
  const page = await openApp(browser, { path: 'classifier.html', hash: '#v=1&scene=saddles_outnumber' });
  await page.waitForSelector('#scene-card:not([hidden])');
  assert.equal(await page.locator('#scene-title').textContent(), 'Saddle points outnumber local minima');
  await page.getByRole('button', { name: 'Measure the claim' }).click();
  await page.waitForSelector('#scene-check .verdict', { timeout: 120_000 });
  assert.equal(await page.locator('#scene-check .verdict').getAttribute('data-pass'), 'true');
  const n = Number(await page.locator('#scene-check .scene-scatter canvas').getAttribute('data-points'));
  assert.ok(n >= 20, `${n} critical points`);
  assert.match(await page.locator('#scene-check .scene-scatter canvas').getAttribute('aria-label'), /critical points, \d+ of them local minima/);
  await screenshot(page, 'scene-saddles-scatter');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an unknown scene id is named in the notice and the rest of the link applies', async () => {
  const page = await openApp(browser, { hash: '#v=1&scene=no_such_scene&s=bowl' });
  assert.equal(await page.locator('#notice').isHidden(), false);
  assert.match(await page.locator('#notice-text').textContent(), /\bscene\b/);
  assert.equal(await page.locator('#preset').inputValue(), 'bowl');
  assert.equal(await page.locator('#scene-card').isHidden(), true);
  await page.context().close();
});

test('scenes speak Chinese: the card, the index and the measured verdict', async () => {
  const page = await openApp(browser, { hash: '#v=1&scene=saddle&lang=zh-CN' });
  assert.equal(await page.locator('#scene-title').textContent(), '卡在鞍点');
  assert.equal(await page.locator('#scene-measure').textContent(), '测量这个结论');
  assert.equal(await page.locator('#scene-next').textContent(), '下一个场景 →');
  assert.match((await legend(page))[0], /在稳定流形上的梯度下降/);
  await page.locator('#scene-measure').click();
  await page.waitForSelector('#scene-check .verdict', { timeout: 60_000 });
  assert.equal(await page.locator('#scene-check .verdict').textContent(), '测量结果：结论成立。');
  await screenshot(page, 'scene-saddle-zh');
  await page.goto(`${URL}scenes.html#v=1&lang=zh-CN`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('[data-scene="saddle"] h2').textContent(), '卡在鞍点');
  assert.equal(await page.locator('#tab-lecture').textContent(), '讲义');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** axe-core's serious and critical violations on the page (evaluated, so the CSP allows it). */
async function audit(page) {
  await page.evaluate(readFileSync('node_modules/axe-core/axe.min.js', 'utf8'));
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  });
}

test('an axe-core audit of the scene card (measured), the embed dialog and the index finds nothing serious', async () => {
  for (const [path, hash, colorScheme] of [
    ['', '#v=1&scene=ce_vs_mse', 'light'],
    ['', '#v=1&scene=saddle&lang=zh-CN&theme=dark', 'dark'],
    ['scenes.html', '#v=1&theme=dark', 'dark'],
    ['scenes.html', '#v=1&lang=zh-CN', 'light'],
    ['teaching.html', '#v=1&lang=en', 'light'],
    ['teaching.html', '#v=1&lang=zh-CN&theme=dark', 'dark'],
  ]) {
    const page = await openApp(browser, { path, hash, colorScheme });
    if (!path) {
      await page.locator('#scene-measure').click();
      await page.waitForSelector('#scene-check .verdict', { timeout: 60_000 });
    }
    const violations = await audit(page);
    assert.deepEqual(violations, [], `${path}${hash}\n${violations.join('\n')}`);
    if (!path) {
      await page.locator('#embed-open').click();
      const inDialog = await audit(page);
      assert.deepEqual(inDialog, [], `embed dialog\n${inDialog.join('\n')}`);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('the scene card and the index fit a 375 px phone', async () => {
  for (const [path, hash] of [['', '#v=1&scene=ravine'], ['scenes.html', '']]) {
    const page = await openApp(browser, { path, hash, width: 375, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${path || 'index.html'} overflows by ${overflow}px`);
    await screenshot(page, `scenes-phone-${path ? 'index' : 'card'}`);
    await page.context().close();
  }
});

test('"Copy embed code" shows an iframe and a custom-element snippet for the current state', async () => {
  const page = await openApp(browser, { hash: '#v=1&scene=saddle' });
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  const dialog = page.locator('#embed-dialog');
  await dialog.waitFor({ state: 'visible' });
  const iframe = await page.locator('#embed-iframe').inputValue();
  const element = await page.locator('#embed-element').inputValue();
  assert.match(iframe, /^<iframe src="http:\/\/[^"]+\/index\.html#v=1&amp;scene=saddle&amp;[^"]*embed=minimal[^"]*" title="optiscape: Stuck at a saddle point"/);
  assert.match(element, /<script type="module" src="http:\/\/[^"]+\/www\/embed\/optiscape-lab\.js"><\/script>/);
  assert.match(element, /<optiscape-lab scene="saddle" lang="en" controls="minimal" height="480">optiscape could not start here: [^<]*<\/optiscape-lab>/);
  await page.locator('#embed-controls').selectOption('none');
  assert.match(await page.locator('#embed-element').inputValue(), /controls="none"/);
  await screenshot(page, 'embed-dialog');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.context().close();
});

/** embed.html in a fresh context once its first embedded lab said `ready`; console and page errors collected. */
async function openEmbedPage() {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${URL}embed.html`);
  await page.waitForFunction(() => Number(document.body.dataset.gotReady) >= 1, null, { timeout: 30_000 });
  return { context, page, errors };
}

test('embed.html: the custom element and the iframe render and answer postMessage with events', async () => {
  const { context, page, errors } = await openEmbedPage();
  const lab = page.locator('optiscape-lab');
  // Custom element: pause, reset, play → step events; setState → a new ready with that scene.
  const events = await lab.evaluate(async (el) => {
    const got = [];
    for (const name of ['ready', 'step', 'divergence']) el.addEventListener(name, (e) => got.push(e.detail));
    el.pause();
    el.reset();
    await new Promise((r) => setTimeout(r, 300));
    const before = got.length;
    el.play();
    await new Promise((r) => setTimeout(r, 1200));
    el.pause();
    const playing = got.slice(before);
    el.setState('adam');
    await new Promise((resolve) => {
      const check = () => (got.some((d) => d.event === 'ready') ? resolve() : setTimeout(check, 100));
      check();
    });
    return { playing, ready: got.find((d) => d.event === 'ready') };
  });
  const steps = events.playing.filter((d) => d.event === 'step');
  assert.ok(steps.length >= 2, JSON.stringify(events.playing));
  assert.ok(steps.every((d, i) => i === 0 || d.step >= steps[i - 1].step), 'steps go forward');
  assert.equal(events.ready.scene, 'adam');
  assert.match(events.ready.hash, /scene=adam/);
  // setState with a whole hash: a run with a huge learning rate diverges and says so.
  const diverged = await lab.evaluate(async (el) => {
    const got = [];
    el.addEventListener('divergence', (e) => got.push(e.detail));
    el.setState('#v=1&s=bowl&start=2,1&steps=300&run=sgd,lr=5');
    await new Promise((resolve) => {
      const check = () => (got.length ? resolve() : setTimeout(check, 100));
      check();
    });
    return got[0];
  });
  assert.equal(diverged.run, 0);
  assert.ok(Number.isInteger(diverged.step) && diverged.step > 0, JSON.stringify(diverged));
  // The iframe: messages from the page, shapes checked.
  const frameEvents = await page.evaluate(async () => {
    const frame = document.getElementById('saddle-frame');
    const got = [];
    window.addEventListener('message', (e) => {
      if (e.source === frame.contentWindow && e.data?.type === 'optiscape') got.push(e.data);
    });
    const send = (m) => frame.contentWindow.postMessage(m, location.origin);
    send({ type: 'other', action: 'reset' });
    send('reset');
    send({ type: 'optiscape', action: 'setState', scene: '../../etc' });
    send({ type: 'optiscape', action: 'reset' });
    await new Promise((r) => setTimeout(r, 500));
    send({ type: 'optiscape', action: 'play' });
    await new Promise((r) => setTimeout(r, 800));
    send({ type: 'optiscape', action: 'pause' });
    await new Promise((r) => setTimeout(r, 300));
    return got;
  });
  const kinds = frameEvents.map((d) => d.event);
  assert.ok(kinds.includes('error'), `a bad setState is refused: ${kinds}`);
  assert.ok(frameEvents.filter((d) => d.event === 'step').length >= 2, JSON.stringify(frameEvents));
  const frame = page.frameLocator('#saddle-frame');
  assert.equal(await frame.locator('#scene-title').textContent(), 'Stuck at a saddle point');
  assert.equal(await frame.locator('header.top').isHidden(), true);
  // Minimal controls: the plot, the play bar and the runs' legend; no editors, no header.
  assert.equal(await frame.locator('#legend').isVisible(), true);
  assert.equal(await frame.locator('#add-run').isHidden(), true);
  assert.equal(await frame.locator('#optimizer').isHidden(), true);
  assert.equal(await frame.locator('#preset').isHidden(), true);
  assert.equal(await frame.locator('#play').isVisible(), true);
  await screenshot(page, 'embed-page');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a classifier scene in <optiscape-lab> answers play, pause, reset and setState, and reports divergence', async () => {
  const { context, page, errors } = await openEmbedPage();
  await page.evaluate(() => {
    const el = document.createElement('optiscape-lab');
    el.id = 'classifier-lab';
    el.setAttribute('scene', 'batch_time');
    el.setAttribute('controls', 'minimal');
    window.labEvents = [];
    for (const name of ['ready', 'step', 'divergence', 'error']) el.addEventListener(name, (e) => window.labEvents.push(e.detail));
    document.body.append(el);
  });
  const until = (pred) => page.waitForFunction(pred, null, { timeout: 60_000 });
  await until(() => window.labEvents.some((d) => d.event === 'ready' && d.lab === 'classifier'));
  const ready = await page.evaluate(() => window.labEvents.find((d) => d.event === 'ready'));
  assert.equal(ready.scene, 'batch_time');
  // play → step events going forward; pause → a last step event with playing false.
  await page.evaluate(() => document.getElementById('classifier-lab').play());
  await until(() => window.labEvents.filter((d) => d.event === 'step' && d.playing).length >= 2);
  await page.evaluate(() => document.getElementById('classifier-lab').pause());
  await until(() => window.labEvents.some((d) => d.event === 'step' && !d.playing));
  const steps = await page.evaluate(() => window.labEvents.filter((d) => d.event === 'step'));
  assert.ok(steps.every((d, i) => i === 0 || d.step >= steps[i - 1].step), JSON.stringify(steps));
  assert.ok(steps.at(-1).step > 0 && steps.at(-1).playing === false, JSON.stringify(steps.at(-1)));
  const frame = () => page.frames().find((f) => f.url().includes('classifier.html'));
  assert.ok(await frame().evaluate(() => window.classifier.stepsDone > 0));
  await page.evaluate(() => document.getElementById('classifier-lab').reset());
  await frame().waitForFunction(() => window.classifier.stepsDone === 0);
  // A bad setState is refused with an error event; a hash with a huge learning rate diverges.
  await page.evaluate(() => document.getElementById('classifier-lab').setState('no_such_scene'));
  await until(() => window.labEvents.some((d) => d.event === 'error'));
  await page.evaluate(() => {
    window.labEvents = [];
    document.getElementById('classifier-lab').setState('#v=1&data=gauss&classes=2&n=200&noise=0.1&act=relu&opt=sgd,lr=1e200');
  });
  await until(() => window.labEvents.some((d) => d.event === 'ready'));
  await page.evaluate(() => document.getElementById('classifier-lab').play());
  await until(() => window.labEvents.some((d) => d.event === 'divergence'));
  const diverged = await page.evaluate(() => window.labEvents.find((d) => d.event === 'divergence'));
  assert.equal(diverged.run, 0);
  assert.ok(diverged.step > 0, JSON.stringify(diverged));
  // A surface scene by id: the frame moves to the surface lab, embedded the same way.
  await page.evaluate(() => {
    window.labEvents = [];
    document.getElementById('classifier-lab').setState('saddle');
  });
  await until(() => window.labEvents.some((d) => d.event === 'ready' && d.scene === 'saddle'));
  const lab = page.frameLocator('#classifier-lab iframe');
  assert.equal(await lab.locator('header.top').isHidden(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('every page works under the strict Content-Security-Policy: no violation, no console error', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  // Send the header whatever server runs the tests (xtask serve sends it too).
  await context.route(/\.html(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
  });
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const pages = [
    ['index.html#v=1&scene=saddle', 'body[data-ready="true"]'],
    ['classifier.html#v=1&scene=batchnorm', 'body[data-ready="true"]'],
    ['scenes.html', 'body[data-ready="true"]'],
    ['teaching.html', 'body[data-ready="true"]'],
    ['embed.html', 'body[data-got-ready]'],
  ];
  for (const [path, ready] of pages) {
    const page = await context.newPage();
    const errors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(URL + path);
    assert.equal(response.headers()['content-security-policy'], CSP);
    await page.waitForSelector(ready, { timeout: 30_000 });
    if (path.startsWith('index')) {
      await page.locator('#scene-measure').click();
      await page.waitForSelector('#scene-check .verdict', { timeout: 60_000 });
      await page.getByRole('button', { name: 'Copy embed code' }).click();
    }
    await page.waitForTimeout(1500);
    const violations = [];
    for (const frame of page.frames()) violations.push(...(await frame.evaluate(() => window.cspViolations ?? [])));
    assert.deepEqual(violations, [], `${path}: CSP violations`);
    assert.deepEqual(errors, [], `${path}: console errors`);
    // The listener does see violations: an inline style is refused.
    if (path === 'scenes.html') {
      await page.evaluate(() => {
        const s = document.createElement('style');
        s.textContent = 'body { color: red; }';
        document.head.append(s);
      });
      await page.waitForFunction(() => window.cspViolations.length > 0);
    }
    await page.close();
  }
  await context.close();
});

test('an embedded scene fits its frame: the whole plot (and, minimal, the play control) in view at 800 × 500, 400 × 300 and 320 × 240, no sideways scroll', async () => {
  for (const mode of ['minimal', 'none']) {
    for (const [width, height] of [[800, 500], [400, 300], [320, 240]]) {
      // The classifier's scene too: its boundary and Play.
      const cls = await openApp(browser, { path: 'classifier.html', hash: `#v=1&scene=softmax&embed=${mode}&lang=en`, width, height });
      const clsBox = (sel) => cls.locator(sel).evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width };
      });
      const fits = (b) => b.width > 0 && b.left >= 0 && b.top >= 0 && b.right <= width && b.bottom <= height;
      const boundary = await clsBox('#boundary');
      assert.ok(fits(boundary) && boundary.width >= 100, `classifier ${mode} ${width}×${height}: the boundary ${JSON.stringify(boundary)}`);
      if (mode === 'minimal') assert.ok(fits(await clsBox('#play')), `classifier ${mode} ${width}×${height}: #play ${JSON.stringify(await clsBox('#play'))}`);
      assert.ok(await cls.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth) <= 0);
      if (width === 400) await screenshot(cls, `embed-classifier-${mode}-400x300`);
      assert.deepEqual(cls.errors, []);
      await cls.context().close();
      const page = await openApp(browser, { hash: `#v=1&scene=saddle&embed=${mode}&lang=en`, width, height });
      const box = (sel) => page.locator(sel).evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width };
      });
      const inView = (b) => b.width > 0 && b.left >= 0 && b.top >= 0 && b.right <= width && b.bottom <= height;
      const where = `${mode} ${width}×${height}`;
      const plot = await box('#plot');
      assert.ok(inView(plot) && plot.width >= 100, `${where}: the plot ${JSON.stringify(plot)}`);
      if (mode === 'minimal') {
        for (const sel of ['#play', '#scrub']) assert.ok(inView(await box(sel)), `${where}: ${sel} ${JSON.stringify(await box(sel))}`);
        // The claim is still there, below the fold.
        assert.equal(await page.locator('#scene-claim').isVisible(), true, where);
      }
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(sideways <= 0, `${where}: ${sideways} px sideways`);
      if (width === 400) await screenshot(page, `embed-${mode}-400x300`);
      assert.deepEqual(page.errors, [], where);
      await page.context().close();
    }
  }
});
