// Errors from the core, in the page's language: the wasm API throws errors as data (a `kind`
// and its fields) and www/common/errors.js translates them from the catalogs, so a Chinese
// page says in Chinese what is wrong with a formula or a phase-diagram range.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, screenshot, switchLanguage } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('in Chinese, `sni(x)` is named unknown with `sin` suggested, and the span is marked', async () => {
  const page = await openApp(browser);
  await switchLanguage(page, 'zh-CN');
  const formula = page.locator('#formula');
  await formula.fill('sni(x)');
  await page.locator('#formula-error').waitFor({ state: 'visible' });
  const message = await page.locator('#formula-message').textContent();
  assert.match(message, /未知的名称/, `message: ${message}`);
  assert.match(message, /“sni”/, `message: ${message}`);
  assert.match(message, /“sin”/, `message: ${message}`);
  assert.doesNotMatch(message, /unknown|did you mean/, `message: ${message}`);
  assert.equal(await page.locator('#formula-marked mark').textContent(), 'sni');
  await screenshot(page, 'formula-error-zh');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('in English the formula error stays the core text', async () => {
  const page = await openApp(browser);
  await page.locator('#formula').fill('sni(x)');
  await page.locator('#formula-error').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#formula-message').textContent(), 'unknown name `sni`; did you mean `sin`?');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('in Chinese, a bad phase-diagram range gets the core error, translated by its kind', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=rosenbrock&start=-1.5,2&steps=100&run=adam,lr=0.01' });
  await switchLanguage(page, 'zh-CN');
  await page.locator('#phase-x-min').fill('1');
  await page.locator('#phase-x-max').fill('0.5');
  await page.locator('#phase-run').click();
  const box = page.locator('#phase-error');
  await box.waitFor({ state: 'visible' });
  const text = await box.textContent();
  // error.invalid_value with expected {kind: "ordered"}: "…的值无效：1..0.5（应为有限的数，且 从 < 到）".
  assert.match(text, /的值无效/, text);
  assert.match(text, /1\.\.0\.5/, text);
  assert.match(text, /应为有限的数，且 从 < 到/, text);
  assert.doesNotMatch(text, /invalid value|finite numbers/, text);
  // Steps out of the core's range: named by its label, the limits from the core.
  await page.locator('#phase-x-max').fill('2');
  await page.locator('#phase-steps').fill('30000');
  await page.locator('#phase-run').click();
  const steps = await box.textContent();
  assert.match(steps, /30000/, steps);
  assert.match(steps, /1 到 20000 步/, steps);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** Distinct colours in a canvas (sampled): a drawn chart has its lines, axes and labels. */
async function chartColours(page, selector) {
  return page.locator(selector).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]},${d[i + 3]}`);
    return seen.size;
  });
}

test('the links that once crashed the lab (a chart range of a few subnormals) draw their charts', async () => {
  for (const hash of ['#v=1&run=sgd,lr=0&run=sgd,lr=5e-324', '#v=1&run=sgd,lr=5e-324,sched=step;step_size=1;gamma=0.5']) {
    const page = await openApp(browser, { hash });
    assert.equal(await page.locator('#banner').isHidden(), true, hash);
    for (const id of ['#chart-loss', '#chart-lr', '#chart-grad']) {
      assert.ok((await chartColours(page, id)) > 3, `${id} drawn for ${hash}`);
    }
    assert.deepEqual(page.errors, [], hash);
    await page.context().close();
  }
});

/** Forces a Rust panic in the page's wasm instance (the test-only export), outside any handler. */
const forcePanic = (frame, pkg) => frame.evaluate(async (path) => {
  const wasm = await import(new URL(path, location.href).href);
  setTimeout(() => wasm.test_panic());
}, pkg);

test('a panic restarts the page from its last good link with a notice; again soon, from the starting settings; a third time, the banner', async () => {
  const hash = '#v=1&s=bowl&steps=300&run=sgd,lr=0.1&lang=en';
  const page = await openApp(browser, { hash });
  const reloaded = () => page.waitForEvent('load').then(() => page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 }));
  // The first: the same link again, and a notice that says what happened.
  let again = reloaded();
  await forcePanic(page, 'www/pkg-lab/optiscape.js');
  await again;
  assert.match(page.url(), /s=bowl&.*steps=300&.*run=sgd,lr=0\.1/);
  assert.equal(await page.locator('#notice').isVisible(), true);
  assert.match(await page.locator('#notice-text').textContent(),
    /^The page hit an internal error \(a bug, not your input\) and restarted from the last settings that worked\. RuntimeError: unreachable/);
  assert.equal(await page.locator('#banner').isHidden(), true);
  assert.ok(await page.evaluate(() => window.optiscape.lab.max_step() > 0), 'the new instance computes');
  await screenshot(page, 'restarted-after-panic');
  // The second, soon after: the last good link may be what fails, so the starting settings
  // (the language kept).
  again = reloaded();
  await forcePanic(page, 'www/pkg-lab/optiscape.js');
  await again;
  assert.doesNotMatch(page.url(), /s=bowl/);
  assert.match(page.url(), /lang=en/);
  assert.match(await page.locator('#notice-text').textContent(), /again and restarted with its starting settings/);
  // The third: no more restarts; the banner says what failed.
  await forcePanic(page, 'www/pkg-lab/optiscape.js');
  await page.locator('#banner').waitFor({ state: 'visible' });
  assert.match(await page.locator('#banner-text').textContent(), /RuntimeError: unreachable/);
  // Only the panics themselves were reported (the panic hook's log, the uncaught trap), and
  // requests the reloads cut short.
  const others = page.errors.filter((e) => !/panicked at src\/web\/mod\.rs|panic forced by the recovery test|unreachable|^request failed: /.test(e));
  assert.deepEqual(others, []);
  await page.context().close();
});

test('a panic in the classifier restarts it at the same network, with the notice in Chinese', async () => {
  const page = await openApp(browser, { path: 'classifier.html', hash: '#v=1&data=xor&hidden=5&lang=zh-CN' });
  await page.waitForFunction(() => window.classifier.boundary !== null);
  const again = page.waitForEvent('load').then(() => page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 }));
  await forcePanic(page, 'www/pkg/optiscape.js');
  await again;
  assert.match(page.url(), /data=xor&.*hidden=5&/);
  assert.match(await page.locator('#notice-text').textContent(), /^页面出现内部错误（程序的问题，不是你的输入），已从上一次可用的设置重新开始。RuntimeError: unreachable/);
  assert.deepEqual(await page.evaluate(() => window.classifier.state.hidden), [5]);
  await page.waitForFunction(() => window.classifier.boundary !== null);
  assert.equal(await page.locator('#banner').isHidden(), true);
  await page.context().close();
});
