// The optimizer lab, used as a student would: several runs, divergence explained in English and
// Chinese, a shared link, hostile links, the phone layout, an accessibility audit, the critical
// points and the inspector, the 3-D view, the keyboard. Screenshots land in target/e2e/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { URL, animationDone, launch, legend, openApp, pathPixels, runEnd, screenshot, switchLanguage } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('adding a momentum run gives two legend entries and two paths', async () => {
  const page = await openApp(browser);
  await animationDone(page);
  assert.equal((await legend(page)).length, 1);
  const pixels = await pathPixels(page);
  await page.getByRole('button', { name: 'Add run' }).click();
  const entries = await legend(page);
  assert.equal(entries.length, 2);
  assert.match(entries[1], /SGD/);
  assert.match(entries[1], /μ 0\.9/);
  assert.equal(await page.locator('#optimizer').inputValue(), 'sgd');
  assert.equal(await page.getByLabel('Momentum', { exact: true }).inputValue(), '0.9');
  await animationDone(page);
  assert.notEqual(await pathPixels(page), pixels);
  await page.waitForURL(/run=adam[^&]*&run=sgd,lr=[^&]*momentum=0\.9/);
  await screenshot(page, 'two-runs');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the surface runs as compiled wasm under the page\'s Content-Security-Policy', async () => {
  // The formula is compiled to a wasm module of its own at run time ('wasm-unsafe-eval'):
  // the heatmap compiles its value at once, the runs' gradients once they are in use.
  const page = await openApp(browser, { hash: '#v=1&s=(1-x)%5E2%2B100*(y-x%5E2)%5E2&steps=300&run=adam,lr=0.05' });
  await animationDone(page);
  const compiled = await page.evaluate(() => Array.from(window.optiscape.lab.formula_compiled()));
  assert.deepEqual(compiled.slice(0, 2), [1, 1]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the compare buttons set runs the core chooses, and a new schedule starts with the core\'s values', async () => {
  // A bowl 4 wide at the start (2, 1): λmax = 2, so gradient descent is stable below lr 1.
  const page = await openApp(browser, { hash: '#v=1&s=bowl&start=2,1&steps=200&run=adam,lr=0.05' });
  await animationDone(page);
  await page.locator('[data-compare="gd-momentum-adam"]').click();
  const entries = await legend(page);
  assert.equal(entries.length, 3);
  assert.match(entries[0], /SGD/);
  assert.match(entries[1], /μ 0\.9/);
  assert.match(entries[2], /Adam/);
  await page.locator('[data-compare="lecture"]').click();
  assert.match((await legend(page)).join(' | '), /Adagrad \(lecture\).*Adagrad.*RMSprop \(lecture\).*RMSprop/);
  await page.locator('[data-compare="lrs"]').click();
  assert.equal((await legend(page)).length, 3);
  await page.locator('#schedule-box summary').click();
  await page.locator('#schedule').selectOption('step');
  await page.waitForURL(/step_size=50/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a huge learning rate diverges, and the legend says why in English and Chinese', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=bowl&start=2,1&steps=300&run=sgd,lr=0.01' });
  const slider = page.getByRole('slider', { name: 'Learning rate' });
  await slider.focus();
  await page.keyboard.press('End');
  assert.equal(await page.locator('#lr-value').textContent(), '10');
  const entry = (await legend(page))[0];
  assert.match(entry, /diverged at step \d+: lr = 10 > 2\/λmax = 1/);
  assert.match(await page.locator('#run-announce').textContent(), /diverged/);
  await animationDone(page);
  // The drawn path stops at its last finite point; nothing non-finite reaches the page.
  const [x, y] = await runEnd(page);
  assert.ok(Number.isFinite(Number(x)) && Number.isFinite(Number(y)));
  await screenshot(page, 'diverged-en');
  await switchLanguage(page, 'zh-CN');
  assert.match((await legend(page))[0], /在第 \d+ 步发散：lr = 10 > 2\/λmax = 1/);
  assert.match(await page.locator('#status').textContent(), /发散/);
  await page.waitForURL(/lang=zh-CN/);
  await screenshot(page, 'diverged-zh');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a copied link opens the same picture in a new page', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=himmelblau&start=-0.5,0.5&steps=300&run=sgd,lr=0.005' });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Add run' }).click();
  await page.locator('#steps').selectOption('1000');
  await page.locator('input[name="mode"][value="both"]').check({ force: true });
  await page.locator('#color-scale').selectOption('log');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.locator('#link-status').filter({ hasText: 'Link copied' }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#v=1&/);
  const state = async (p) => ({
    legend: await legend(p),
    end: await runEnd(p),
    preset: await p.locator('#preset').inputValue(),
    steps: await p.locator('#steps').inputValue(),
    scale: await p.locator('#color-scale').inputValue(),
    mode: await p.locator('#views').getAttribute('data-mode'),
    start: await p.locator('#start').textContent(),
  });
  const before = await state(page);
  const other = await page.context().newPage();
  other.errors = [];
  other.on('pageerror', (e) => other.errors.push(e.message));
  await other.goto(link);
  await other.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(await state(other), before);
  assert.equal(await other.locator('#notice').isHidden(), true);
  assert.deepEqual(other.errors, []);
  await page.context().close();
});

test('hostile links do nothing harmful and say what was ignored', async () => {
  const hashes = [
    '#<img src=x onerror="window.__pwned=1">',
    '#v=1&s=<img src=x onerror=window.__pwned=1>&run=<script>window.__pwned=1</script>',
    '#v=1&s=javascript:alert(1)&steps=1000000000&start=NaN,1e999&view=1,0,0,1&at=1e9',
    '#v=1&run=adam,lr=1e400,betas=2_3,eps=NaN&run=javascript:alert(1)&lang=xx&theme=<b>&unknown=1&%E0%A4%A=1',
    `#v=1&s=${'x+'.repeat(400)}x&noise=0,1&cam=1e308,1e308&sel=99`,
  ];
  for (const hash of hashes) {
    const page = await openApp(browser, { hash });
    page.on('dialog', (d) => {
      page.errors.push(`dialog: ${d.message()}`);
      d.dismiss();
    });
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, hash);
    assert.equal(await page.locator('img, script:not([type="module"])').count(), 0, hash);
    assert.equal(await page.locator('#notice').isVisible(), true, `no notice for ${hash}`);
    const notice = await page.locator('#notice-text').textContent();
    assert.match(notice, /ignored/);
    // The page still works: a picture and a finite run.
    const [x, y, points] = await runEnd(page);
    assert.ok(Number(points) >= 1 && Number.isFinite(Number(x)) && Number.isFinite(Number(y)), hash);
    assert.deepEqual(page.errors, [], hash);
    if (hash === hashes[2]) await screenshot(page, 'hostile-link');
    await page.context().close();
  }
});

test('at 375 px the controls sit under the plot and nothing scrolls sideways', async () => {
  const page = await openApp(browser, { width: 375, height: 800, hash: '#v=1&s=rosenbrock&mode=both&run=adam,lr=0.02&run=sgd,lr=0.0005,momentum=0.9' });
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `scrollWidth ${scroll} > ${inner}`);
  const plot = await page.locator('#plot').boundingBox();
  const panel = await page.locator('#preset').boundingBox();
  assert.ok(panel.y > plot.y + plot.height, 'the controls come after the plot');
  assert.ok(plot.width > 250 && plot.x >= 0 && plot.x + plot.width <= 375);
  await screenshot(page, 'mobile-375');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an axe-core audit finds no serious or critical violation (light, dark, zh-CN)', async () => {
  for (const [hash, colorScheme] of [
    ['#v=1&s=himmelblau&inspect=-0.270845,-0.923039&run=adam,lr=0.05&run=sgd,lr=0.01,momentum=0.9', 'light'],
    ['#v=1&s=saddle&mode=both&lang=zh-CN&noise=8,1&run=rmsprop.lecture,lr=0.05,sched=cosine;t_max=1000', 'dark'],
  ]) {
    const page = await openApp(browser, { hash, colorScheme });
    await animationDone(page);
    await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
    });
    assert.deepEqual(violations, [], `${hash}\n${violations.join('\n')}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('the saddle at the origin is found, inspected and named (en, zh-CN); escape runs off it', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=saddle&run=sgd,lr=0.05' });
  await page.waitForFunction(() => document.body.dataset.critical === '1');
  assert.match(await page.locator('#kinds-legend').textContent(), /saddle \(1\)/);
  await page.getByRole('radio', { name: 'Inspect' }).check();
  const box = await page.locator('#overlay').boundingBox();
  // The view is [-2, 2]²: the origin is the centre; a click a few pixels off snaps to it.
  await page.mouse.click(box.x + box.width / 2 + 3, box.y + box.height / 2 - 2);
  const kind = page.locator('#inspector-kind');
  await kind.waitFor({ state: 'visible' });
  assert.match(await kind.textContent(), /Critical point: saddle/);
  assert.equal(await kind.getAttribute('data-kind'), 'saddle');
  const values = await page.locator('#inspector-values').textContent();
  assert.match(values, /λ₁ = -2, λ₂ = 2/);
  assert.match(values, /Condition number[^]*1/);
  assert.match(await page.locator('#inspector-hessian').textContent(), /2\s*0\s*0\s*-2/);
  await screenshot(page, 'inspector-saddle');
  await switchLanguage(page, 'zh-CN');
  assert.match(await kind.textContent(), /鞍点/);
  const startBefore = await page.locator('#start').textContent();
  await page.getByRole('button', { name: '沿特征向量逃离' }).click();
  assert.notEqual(await page.locator('#start').textContent(), startBefore);
  await animationDone(page);
  const [, y] = await runEnd(page);
  assert.ok(Math.abs(Number(y)) > 0.5, `escaped along y: ${y}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the 3-D view draws the surface and rotates when dragged', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=himmelblau&mode=3d&steps=300&run=adam,lr=0.05' });
  await animationDone(page);
  const pixels = () => page.locator('#view3d').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    let painted = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0) painted += 1;
      h = Math.imul(h ^ d[i] ^ (d[i + 1] << 8), 16777619) >>> 0;
    }
    return [h, painted / (d.length / 4)];
  });
  const [before, painted] = await pixels();
  assert.ok(painted > 0.2, `only ${painted} of the 3-D canvas is painted`);
  await screenshot(page, 'view-3d');
  const box = await page.locator('#view3d').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  await page.waitForTimeout(100);
  const [after] = await pixels();
  assert.notEqual(after, before);
  await page.waitForURL(/cam=/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the keyboard moves the start, zooms, steps the animation and shows the anatomy', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=ravine&start=-4,1.5&steps=100&run=rmsprop.lecture,lr=0.1' });
  await animationDone(page);
  await page.locator('#overlay').focus();
  const start = await page.locator('#start').textContent();
  await page.keyboard.press('ArrowRight');
  assert.notEqual(await page.locator('#start').textContent(), start);
  await page.keyboard.press('+');
  await page.waitForFunction(() => /view=/.test(location.hash));
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('button', { name: 'Next step' }).click();
  assert.equal(await page.locator('#step-value').textContent(), '1 / 100');
  assert.match(await page.locator('#anatomy-caption').textContent(), /step 1/);
  assert.equal(await page.locator('#anatomy-math math').count(), 2);
  assert.equal(await page.locator('#anatomy-slide').isVisible(), true, 'the lecture variant shows its slide formula');
  await page.waitForURL(/at=1(&|$)/);
  await screenshot(page, 'anatomy');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('on a phone a finger dragged over the plot moves the start point and does not scroll the page', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${URL}#v=1&s=rosenbrock&steps=300&run=sgd,lr=0.001&lang=en`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const box = await page.locator('#overlay').evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
  const at = (fx, fy) => ({ x: box.left + fx * box.width, y: box.top + fy * box.height });
  const cdp = await context.newCDPSession(page);
  const touch = (type, p) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ ...p, id: 1 }] : [] });
  const from = at(0.3, 0.3);
  const to = at(0.7, 0.6);
  await touch('touchStart', from);
  for (let k = 1; k <= 8; k += 1) await touch('touchMove', { x: from.x + ((to.x - from.x) * k) / 8, y: from.y + ((to.y - from.y) * k) / 8 });
  await touch('touchEnd');
  // The start is the point under the finger where it left the plot; the page did not move.
  const [start, view, scroll] = await page.evaluate(() => [window.optiscape.state.start, Array.from(window.optiscape.lab.view()), window.scrollY]);
  const want = [view[0] + 0.7 * (view[1] - view[0]), view[3] - 0.6 * (view[3] - view[2])];
  assert.ok(Math.abs(start[0] - want[0]) < 0.02 * (view[1] - view[0]) && Math.abs(start[1] - want[1]) < 0.02 * (view[3] - view[2]), `start ${start}, want ${want}`);
  assert.equal(scroll, 0);
  // The negative control: the same drag on the page's text below the plot scrolls it.
  const below = await page.locator('#phone-strip').evaluate((e) => e.getBoundingClientRect().bottom + 40);
  await touch('touchStart', { x: 200, y: Math.min(below, 640) });
  for (let k = 1; k <= 8; k += 1) await touch('touchMove', { x: 200, y: Math.min(below, 640) - 40 * k });
  await touch('touchEnd');
  await page.waitForFunction(() => window.scrollY > 0);
  await context.close();
});

test('on a 375 × 667 phone the plot, the play control and the selected run\'s learning rate are on the first screen, and the slider moves the run', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=rosenbrock&steps=300&run=sgd,lr=0.001&lang=en', width: 375, height: 667 });
  const box = (sel) => page.locator(sel).evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width };
  });
  for (const sel of ['#plot', '#play', '#lr']) {
    const b = await box(sel);
    assert.ok(b.width > 0 && b.top >= 0 && b.bottom <= 667 && b.left >= 0 && b.right <= 375, `${sel}: ${JSON.stringify(b)}`);
  }
  assert.ok((await box('#plot')).width >= 280, 'the plot is not a stamp');
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(sideways <= 0, `${sideways} px sideways`);
  // It is the editor's own slider: moving it changes the run.
  const before = await runEnd(page);
  const lr = page.getByRole('slider', { name: /Learning rate/ });
  await lr.focus();
  for (let i = 0; i < 10; i += 1) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /run=sgd,lr=0\.0012/.test(location.hash));
  await page.waitForFunction((b) => JSON.stringify([document.getElementById('overlay').dataset.endX, document.getElementById('overlay').dataset.endY]) !== JSON.stringify(b.slice(0, 2)), before);
  await screenshot(page, 'lab-phone');
  // A wider page puts it back in the run editor.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForFunction(() => document.getElementById('lr').closest('#params') !== null && document.getElementById('phone-strip').hidden);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
