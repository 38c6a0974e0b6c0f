// The classifier's curvature panel, used as a student would: train the spiral a little, ask
// for the Hessian spectrum (a histogram whose counts add up to the parameters, the minimum
// ratio and a sentence), sample the minimum ratio along training, look at the network's own
// loss landscape in 2-D and 3-D with its trajectory, read it in Chinese and in the dark (with
// an axe-core audit), and cancel a long Lanczos run and a landscape on the digits.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot } from './helpers.mjs';

const PATH = 'classifier.html';
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const open = (options = {}) => openApp(browser, { path: PATH, ...options });

/** Distinct colours in a canvas (sampled). */
async function colours(page, selector) {
  return page.locator(selector).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]},${d[i + 3]}`);
    return seen.size;
  });
}

/** Pixels of a canvas close to an RGB colour (the trajectory's orange). */
async function pixelsNear(page, selector, [r, g, b]) {
  return page.locator(selector).evaluate((c, [r0, g0, b0]) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 200 && Math.abs(d[i] - r0) + Math.abs(d[i + 1] - g0) + Math.abs(d[i + 2] - b0) < 40) n += 1;
    }
    return n;
  }, [r, g, b]);
}

/** The page's own checks after a test: no console error, no banner, no error line. */
async function clean(page) {
  assert.deepEqual(page.errors, []);
  assert.equal(await page.locator('#banner').isHidden(), true, await page.locator('#banner-text').textContent());
  assert.equal(await page.locator('#curv-error').isHidden(), true, await page.locator('#curv-error').textContent());
}

/** Trains `epochs` epochs with the "One epoch" button. */
async function train(page, epochs) {
  const button = page.locator('#epoch-once');
  for (let i = 0; i < epochs; i += 1) {
    await button.click();
    await page.waitForFunction((e) => window.classifier.history.trainLoss.length >= e, i + 1);
  }
}

const count = async (page, id) => Number((await page.locator(id).textContent()).replace(/[^\d].*$/, ''));

test('the Hessian spectrum of the spiral net: counts add up, ratio, a sentence', async () => {
  const page = await open();
  await train(page, 15);
  await page.getByRole('button', { name: 'Compute Hessian spectrum' }).click();
  await page.waitForSelector('#curv-section[data-spectrum="done"]', { timeout: 30_000 });
  const n = await page.evaluate(() => window.classifier.info.n_params);
  assert.equal(n, 114, '2-8-8-2: 24 + 72 + 18 parameters');
  const [neg, zero, pos] = [await count(page, '#curv-negative'), await count(page, '#curv-zero'), await count(page, '#curv-positive')];
  assert.equal(neg + zero + pos, n, `${neg} + ${zero} + ${pos}`);
  assert.ok(pos > 0, 'some direction curves up after training');
  const ratio = await page.locator('#curv-ratio').textContent();
  assert.match(ratio, /^\d+(\.\d)?%$/);
  assert.ok(Math.abs(parseFloat(ratio) - (100 * pos) / n) < 0.06, `${ratio} = ${pos}/${n}`);
  // The core says whether the weights are a critical point (‖∇L‖ within its tolerance); a kind
  // of point is named only there, elsewhere what the curvature alone says.
  const verdict = await page.locator('#curv-verdict').textContent();
  assert.match(verdict, /^(A critical point|Not a critical point): ‖∇L‖ = .+ tolerance /);
  assert.match(verdict, /direction/);
  if (verdict.startsWith('Not a critical point')) assert.doesNotMatch(verdict, /saddle|local minimum|local maximum/);
  assert.notEqual(await page.locator('#curv-lmin').textContent(), '');
  assert.ok((await colours(page, '#curv-histogram')) > 3, 'the histogram is drawn');
  // The bars' colours: positive blue, and negative vermillion when there is a negative one.
  assert.ok((await pixelsNear(page, '#curv-histogram', [0, 114, 178])) > 20, 'positive bars');
  if (neg > 0) assert.ok((await pixelsNear(page, '#curv-histogram', [213, 94, 0])) > 0, 'negative bars');
  await page.locator('#curv-section').scrollIntoViewIfNeeded();
  await screenshot(page, 'curvature-spectrum');
  await clean(page);
  await page.context().close();
});

test('the minimum ratio along training gets a point per sampled epoch', async () => {
  const page = await open();
  await train(page, 12);
  await page.getByLabel('Points to sample').fill('6');
  await page.getByRole('button', { name: 'Sample along training' }).click();
  await page.waitForFunction(() => document.getElementById('curv-scatter').dataset.points === '6', null, { timeout: 30_000 });
  await page.waitForFunction(() => /6 points; \d+ of them/.test(document.getElementById('curv-ratio-status').textContent));
  const samples = await page.evaluate(() => window.classifier.curvature.samples);
  assert.equal(samples.length, 6);
  assert.equal(samples[0].epoch, 0, 'the first point is the initial weights');
  assert.ok(samples.at(-1).epoch >= 11, `the last point is late: epoch ${samples.at(-1).epoch}`);
  for (const s of samples) {
    assert.ok(s.minimum_ratio >= 0 && s.minimum_ratio <= 1);
    assert.equal(s.signs.positive + s.signs.negative + s.signs.zero, 114);
  }
  assert.ok(samples.at(-1).loss < samples[0].loss, 'training lowered the loss');
  assert.ok((await colours(page, '#curv-scatter')) > 3);
  // The training buttons are back once the job is done.
  assert.equal(await page.locator('#play').isDisabled(), false);
  await page.locator('#curv-scatter').scrollIntoViewIfNeeded();
  await screenshot(page, 'curvature-ratio');
  await clean(page);
  await page.context().close();
});

test("the network's loss landscape draws in 2-D and 3-D with the trajectory", async () => {
  const page = await open();
  await train(page, 20);
  await page.getByRole('button', { name: 'Loss landscape' }).click();
  await page.waitForSelector('#curv-section[data-landscape="done"]', { timeout: 30_000 });
  await page.waitForFunction(() => /PC1 \(\d+(\.\d)?% of the variance\)/.test(document.getElementById('curv-land-info').textContent));
  const path = await page.evaluate(() => window.classifier.curvature.land.path_x().length);
  assert.ok(path >= 20, `the trajectory has the recorded epochs: ${path} points`);
  assert.ok((await colours(page, '#curv-land')) > 40, 'a heatmap with contours');
  assert.ok((await pixelsNear(page, '#curv-land', [230, 159, 0])) > 50, 'the trajectory is drawn');
  assert.match(await page.locator('#curv-land').getAttribute('aria-label'), /PC1.*PC2/);
  await page.locator('#curv-land').scrollIntoViewIfNeeded();
  await screenshot(page, 'curvature-landscape');
  // The lab's colour scales: a log scale repaints the heatmap.
  const equalized = await page.locator('#curv-land').evaluate((c) => c.toDataURL());
  await page.getByLabel('Colours').selectOption('log');
  await page.waitForFunction((b) => document.getElementById('curv-land').toDataURL() !== b, equalized);

  await page.getByLabel('View', { exact: true }).selectOption('3d');
  await page.waitForFunction(() => {
    const c = document.getElementById('curv-land3d');
    return c.width > 0 && c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0);
  });
  assert.ok((await colours(page, '#curv-land3d')) > 40, 'the 3-D surface');
  assert.ok((await pixelsNear(page, '#curv-land3d-runs', [230, 159, 0])) > 20, 'the trajectory in 3-D');
  const before3d = await page.locator('#curv-land3d').evaluate((c) => c.toDataURL());
  await page.locator('#curv-land3d').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((b) => document.getElementById('curv-land3d').toDataURL() !== b, before3d);
  await screenshot(page, 'curvature-landscape-3d');

  await page.getByLabel('Directions').selectOption('random');
  await page.getByRole('button', { name: 'Loss landscape' }).click();
  await page.waitForFunction(() => /random direction 1/.test(document.getElementById('curv-land-info').textContent));
  await clean(page);
  await page.context().close();
});

test('Chinese labels, dark mode and a phone-sized page', async () => {
  const page = await open({ hash: '#v=1&lang=zh-CN&theme=dark', colorScheme: 'dark', width: 375, height: 800, locale: 'zh-CN' });
  await train(page, 8);
  const run = page.getByRole('button', { name: '计算海森矩阵的谱' });
  await run.click();
  await page.waitForSelector('#curv-section[data-spectrum="done"]', { timeout: 30_000 });
  assert.match(await page.locator('#curv-verdict').textContent(), /方向/);
  assert.equal(await page.locator('#curv-title').textContent(), '曲率：损失的海森矩阵');
  assert.equal(await page.locator('#curv-land-run').textContent(), '损失曲面');
  await page.locator('#curv-land-run').click();
  await page.waitForSelector('#curv-section[data-landscape="done"]', { timeout: 30_000 });
  await page.waitForFunction(() => /方差的/.test(document.getElementById('curv-land-info').textContent));
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(scroll <= 0, `no horizontal scroll at 375 px (${scroll} px)`);
  // The panel with its results passes an axe-core audit (dark, Chinese).
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run('#curv-section', { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  });
  assert.deepEqual(violations, [], violations.join('\n'));
  await page.locator('#curv-section').scrollIntoViewIfNeeded();
  await screenshot(page, 'curvature-zh-dark');
  await clean(page);
  await page.context().close();
});

test('the digits net gets Lanczos extremes, and long runs can be cancelled', async () => {
  const page = await open({ hash: '#v=1&data=digits&hidden=32' });
  await train(page, 1);
  const run = page.getByRole('button', { name: 'Compute Hessian spectrum' });
  await run.click();
  await page.locator('#curv-progress-row').waitFor({ state: 'visible' });
  await page.waitForFunction(() => /Lanczos: [1-9]\d* of 80/.test(document.getElementById('curv-progress-text').textContent));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.locator('#curv-progress-row').waitFor({ state: 'hidden' });
  assert.equal(await page.locator('#curv-section').getAttribute('data-spectrum'), '');
  assert.equal(await run.isDisabled(), false);
  await run.click();
  await page.waitForSelector('#curv-section[data-spectrum="done"]', { timeout: 120_000 });
  assert.match(await page.locator('#curv-verdict').textContent(), /Lanczos.*2,410 parameters/);
  await page.locator('#curv-section').scrollIntoViewIfNeeded();
  await screenshot(page, 'curvature-digits-lanczos');
  assert.equal(await page.locator('#curv-ratio').textContent(), 'needs the full spectrum');
  // The landscape of the digits net takes seconds: it shows progress and can be cancelled.
  await page.getByRole('button', { name: 'Loss landscape' }).click();
  await page.waitForFunction(() => /Losses on the plane: [\d,]+ of [\d,]+/.test(document.getElementById('curv-progress-text').textContent));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.locator('#curv-progress-row').waitFor({ state: 'hidden' });
  assert.equal(await page.locator('#curv-section').getAttribute('data-landscape'), '');
  // The minimum ratio needs every eigenvalue: a clear message, not a crash.
  await page.getByRole('button', { name: 'Sample along training' }).click();
  await page.locator('#curv-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('#curv-error').textContent(), /at most 1000 parameters/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
