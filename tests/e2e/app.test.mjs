// The first live page, used as a student would: it loads cleanly, the "Learning rate" slider
// re-runs the optimizer, a bad formula explains itself, a click moves the start point.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { animationDone, launch, openApp, pathPixels, runEnd, screenshot } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the page loads with a heatmap, a run and no console errors', async () => {
  const page = await openApp(browser);
  await animationDone(page);
  // The heatmap canvas holds the Rust-filled image: opaque pixels, more than one colour.
  const colours = await page.locator('#heatmap').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 997) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]},${d[i + 3]}`);
    return [...seen];
  });
  assert.ok(colours.length > 20, `only ${colours.length} colours in the heatmap`);
  assert.ok(colours.every((c) => c.endsWith(',255')));
  const [, , points] = await runEnd(page);
  assert.ok(Number(points) > 1);
  const options = await page.locator('#optimizer option').allTextContents();
  for (const name of ['SGD', 'Adam', 'RMSprop', 'Adagrad', 'Adadelta']) assert.ok(options.includes(name), name);
  assert.ok((await page.locator('#preset option').count()) >= 14);
  await screenshot(page, 'loaded');
  assert.deepEqual(page.errors, []);
  assert.equal(await page.locator('#banner').isHidden(), true);
  await page.context().close();
});

test('moving the "Learning rate" slider re-runs the trajectory', async () => {
  const page = await openApp(browser);
  await animationDone(page);
  const slider = page.getByRole('slider', { name: 'Learning rate' });
  const endBefore = await runEnd(page);
  const pixelsBefore = await pathPixels(page);
  const lrBefore = await page.locator('#lr-value').textContent();
  const box = await slider.boundingBox();
  await page.mouse.click(box.x + box.width * 0.8, box.y + box.height / 2);
  const lrAfter = await page.locator('#lr-value').textContent();
  assert.notEqual(lrAfter, lrBefore, 'the visible learning rate changes');
  assert.notDeepEqual(await runEnd(page), endBefore, 'the run ends elsewhere');
  await animationDone(page);
  assert.notEqual(await pathPixels(page), pixelsBefore, 'the drawn path changes');
  await page.waitForURL(new RegExp(`lr=${lrAfter.replace('.', '\\.')}`));
  await screenshot(page, 'slider-moved');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a bad formula shows its error and where it is; a good one is drawn', async () => {
  const page = await openApp(browser);
  const formula = page.getByLabel('Formula');
  await formula.fill('2x+');
  const box = page.locator('#formula-error');
  await box.waitFor({ state: 'visible' });
  const message = await page.locator('#formula-message').textContent();
  assert.match(message, /2\*x/, `message: ${message}`);
  assert.equal(await formula.getAttribute('aria-invalid'), 'true');
  assert.ok((await page.locator('#formula-marked mark').count()) === 1);
  await screenshot(page, 'formula-error');

  const endBefore = await runEnd(page);
  await formula.fill('x^2 + 3*y^2');
  await box.waitFor({ state: 'hidden' });
  assert.equal(await page.locator('#preset').inputValue(), 'custom');
  assert.notDeepEqual(await runEnd(page), endBefore);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('clicking the surface sets the start point', async () => {
  const page = await openApp(browser);
  const startBefore = await page.locator('#start').textContent();
  const overlay = page.locator('#overlay');
  const box = await overlay.boundingBox();
  await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.75);
  assert.notEqual(await page.locator('#start').textContent(), startBefore);
  assert.match(page.url(), /start=/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a shared link restores the run, in dark mode too', async () => {
  const page = await openApp(browser, {
    hash: '#surface=himmelblau&optimizer=sgd&lr=0.005&steps=300&start=-0.5,0.5',
    colorScheme: 'dark',
  });
  await animationDone(page);
  assert.equal(await page.locator('#preset').inputValue(), 'himmelblau');
  assert.equal(await page.locator('#optimizer').inputValue(), 'sgd');
  assert.equal(await page.locator('#lr-value').textContent(), '0.005');
  assert.equal(await page.getByRole('slider', { name: 'Learning rate' }).getAttribute('aria-valuetext'), '0.005');
  assert.equal((await runEnd(page))[2], '301');
  await screenshot(page, 'dark-himmelblau');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an uncaught error shows the banner', async () => {
  const page = await openApp(browser);
  await page.evaluate(() => setTimeout(() => {
    throw new Error('something broke');
  }));
  await page.locator('#banner').waitFor({ state: 'visible' });
  assert.match(await page.locator('#banner-text').textContent(), /something broke/);
  await screenshot(page, 'banner');
  await page.context().close();
});
