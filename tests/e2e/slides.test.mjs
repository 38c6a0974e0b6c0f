// The example reveal.js deck (examples/slides/, built into the dist site with reveal.js from
// the npm dev packages): two labs on two slides, as the site's <optiscape-lab> element. Reveal
// scales the slides with a CSS transform (here 800 × 600 for a 960 × 700 deck): a click lands
// where the pointer is; with the lab focused the arrow keys move the start point and the deck
// stays, otherwise they change slides; a lab on a slide not shown does not animate, and comes
// back in the state it was left in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot } from './helpers.mjs';

const DIST = process.env.OPTISCAPE_DIST_URL;
const skip = !DIST && 'OPTISCAPE_DIST_URL is not set';

let browser;
before(async () => {
  if (!skip) browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The frame of the lab with element id `id`. */
async function labFrame(page, id) {
  const handle = await page.locator(`#${id} iframe`).elementHandle();
  const frame = await handle.contentFrame();
  await frame.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return frame;
}

/** Where the point at fractions (fx, fy) of the lab's plot is on the page, and where it would be if the slide's scale were ignored. */
async function onPage(page, frame, id, fx, fy) {
  const outer = await page.locator(`#${id} iframe`).evaluate((f) => {
    const r = f.getBoundingClientRect();
    return { left: r.left + f.clientLeft, top: r.top + f.clientTop, scale: r.width / f.offsetWidth };
  });
  const inner = await frame.locator('#overlay').evaluate((c) => {
    const r = c.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
  const x = inner.left + fx * inner.width;
  const y = inner.top + fy * inner.height;
  return {
    scaled: { x: outer.left + x * outer.scale, y: outer.top + y * outer.scale },
    naive: { x: outer.left + x, y: outer.top + y },
    scale: outer.scale,
  };
}

const start = (frame) => frame.evaluate(() => window.optiscape.state.start.slice());
const view = (frame) => frame.evaluate(() => Array.from(window.optiscape.lab.view()));
const indexh = (page) => page.evaluate(() => window.deck.getIndices().h);

test('two labs in a reveal.js deck: clicks under the slide\'s scale, arrow keys, paused while hidden, state kept', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${DIST}examples/slides/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  assert.equal(await page.locator('meta[http-equiv="Content-Security-Policy"]').count(), 1);
  // The deck's own keys: the arrow moves to the saddle's slide.
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => window.deck.getIndices().h === 1);
  const saddle = await labFrame(page, 'lab-saddle');
  await page.waitForTimeout(800); // the slide transition

  // A click lands where the pointer is, although reveal scales the slide.
  const v = await view(saddle);
  const at = await onPage(page, saddle, 'lab-saddle', 0.7, 0.35);
  assert.ok(at.scale < 0.95, `the slide is scaled (${at.scale})`);
  await page.mouse.click(at.scaled.x, at.scaled.y);
  const want = [v[0] + 0.7 * (v[1] - v[0]), v[3] - 0.35 * (v[3] - v[2])];
  const got = await start(saddle);
  const near = (p, q) => Math.abs(p[0] - q[0]) < 0.02 * (v[1] - v[0]) && Math.abs(p[1] - q[1]) < 0.02 * (v[3] - v[2]);
  assert.ok(near(got, want), `clicked at ${want}, the start is ${got}`);
  // The negative control: the page point that ignores the scale is another point of the plot.
  assert.ok(Math.hypot(at.naive.x - at.scaled.x, at.naive.y - at.scaled.y) > 20, 'the scale moves the point');

  // With the lab focused, the arrows move the start point and the deck stays.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const moved = await start(saddle);
  assert.ok(moved[0] > got[0], `the arrows moved the start: ${got} → ${moved}`);
  assert.equal(await indexh(page), 1);
  await screenshot(page, 'slides-saddle');

  // Playing; the deck focused again (a click on the slide's title), the arrow changes slides.
  await page.locator('#lab-saddle').evaluate((el) => el.play());
  await saddle.waitForFunction(() => window.optiscape.playing && window.optiscape.lab.step() > 0);
  await saddle.evaluate(() => {
    window.keptMark = 'same page';
  });
  await page.locator('#slide-saddle h3').click();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => window.deck.getIndices().h === 2);
  // Out of sight it stops: no step, no animation frame of its own.
  await saddle.waitForFunction(() => !window.optiscape.playing, null, { timeout: 5_000 });
  const left = await saddle.evaluate(() => window.optiscape.lab.step());
  await page.waitForTimeout(1000);
  assert.equal(await saddle.evaluate(() => window.optiscape.lab.step()), left);
  const max = await saddle.evaluate(() => window.optiscape.lab.max_step());
  assert.ok(left < max, `it stopped mid-run (${left} of ${max})`);
  // The second lab, on the slide shown now, works: a click sets its start.
  const momentum = await labFrame(page, 'lab-momentum');
  await page.waitForTimeout(800);
  const v2 = await view(momentum);
  const at2 = await onPage(page, momentum, 'lab-momentum', 0.25, 0.5);
  await page.mouse.click(at2.scaled.x, at2.scaled.y);
  const s2 = await start(momentum);
  const want2 = [v2[0] + 0.25 * (v2[1] - v2[0]), v2[3] - 0.5 * (v2[3] - v2[2])];
  assert.ok(Math.abs(s2[0] - want2[0]) < 0.02 * (v2[1] - v2[0]) && Math.abs(s2[1] - want2[1]) < 0.02 * (v2[3] - v2[2]), `second lab: ${s2}, want ${want2}`);
  await screenshot(page, 'slides-momentum');

  // Back: the first lab is the same page, at its start point, and goes on from where it stopped.
  await page.locator('#slide-momentum h3').click();
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => window.deck.getIndices().h === 1);
  await saddle.waitForFunction(() => window.optiscape.playing, null, { timeout: 5_000 });
  assert.equal(await saddle.evaluate(() => window.keptMark), 'same page');
  assert.deepEqual(await start(saddle), moved);
  assert.ok(await saddle.evaluate(() => window.optiscape.lab.step()) >= left);
  // And the second lab (playing since its start was set), now hidden, stops once its slide has faded.
  await momentum.waitForFunction(() => !window.optiscape.playing, null, { timeout: 5_000 });
  assert.deepEqual(errors, []);
  await context.close();
});
