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
