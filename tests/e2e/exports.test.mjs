// Exports and phase diagrams in the surface lab, used as a student would: the PyTorch code of a
// run (copy, download, Escape), a chart as PNG, a WebM recording of the animation (and the
// disabled button where a browser cannot record), and the phase diagram: a small sweep to 100 %,
// cancelling a big one, a click on a cell loading its learning rate, the Chinese labels.
// Screenshots land in target/e2e/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { animationDone, launch, OUT, openApp, screenshot, switchLanguage } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const SHORT = '#v=1&s=rosenbrock&start=-1.5,2&steps=100&run=adam,lr=0.02&run=sgd,lr=0.0005,momentum=0.9';

/** A screenshot of the viewport only (where a modal dialog sits). */
const viewShot = (page, name) => page.screenshot({ path: join(OUT, `${name}.png`) });

/** The bytes of a playwright download. */
async function bytes(download) {
  return readFileSync(await download.path());
}

test('the PyTorch code dialog shows a runnable script with the run\'s lr; Copy, Download and Escape work', async () => {
  const page = await openApp(browser, { hash: SHORT });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const open = page.getByRole('button', { name: 'Show PyTorch code' });
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'PyTorch code' });
  await dialog.waitFor();
  const code = await page.locator('#code-text').textContent();
  assert.match(code, /torch\.optim\.Adam\(/);
  assert.match(code, /lr=0\.02\b/);
  assert.match(code, /print\(json\.dumps\(out\)\)/);
  assert.match(code, /^#!\/usr\/bin\/env python3/);
  // The second run: SGD with momentum, picked in the dialog.
  await dialog.getByRole('combobox', { name: /^Run/ }).selectOption('1');
  const sgd = await page.locator('#code-text').textContent();
  assert.match(sgd, /torch\.optim\.SGD\(/);
  assert.match(sgd, /lr=0\.0005\b/);
  assert.match(sgd, /momentum=0\.9\b/);
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByText('Copied to the clipboard.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sgd);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download .py' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'optiscape-run2-sgd.py');
  assert.equal((await bytes(download)).toString('utf8'), sgd);
  // The script is valid Python (torch itself need not be installed to compile it).
  const file = join(mkdtempSync(join(tmpdir(), 'optiscape-')), 'run.py');
  writeFileSync(file, sgd);
  execFileSync('python3', ['-m', 'py_compile', file]);
  await viewShot(page, 'exports-code');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'show-code');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('each chart downloads as a PNG drawn at twice its size', async () => {
  const page = await openApp(browser, { hash: SHORT });
  await animationDone(page);
  const width = await page.locator('#chart-loss').evaluate((c) => c.clientWidth);
  for (const [id, name] of [['chart-loss', 'loss'], ['chart-lr', 'lr'], ['chart-grad', 'grad']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`#${id}-png`).click()]);
    assert.equal(download.suggestedFilename(), `optiscape-${name}.png`);
    const png = await bytes(download);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    const w = png.readUInt32BE(16);
    const h = png.readUInt32BE(20);
    assert.ok(w >= 2 * Math.max(360, width), `PNG width ${w} for a ${width} px chart`);
    assert.ok(h > 300, `PNG height ${h}`);
  }
  // The button is named for assistive technology.
  assert.equal(await page.locator('#chart-lr-png').getAttribute('aria-label'), 'Download the learning-rate chart as PNG');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('recording replays the runs with progress and downloads a WebM video', async () => {
  const page = await openApp(browser, { hash: SHORT });
  await animationDone(page);
  const record = page.getByRole('button', { name: 'Record video (WebM)' });
  assert.equal(await record.isDisabled(), false);
  const downloading = page.waitForEvent('download', { timeout: 60_000 });
  await record.click();
  await page.locator('#record-progress').waitFor();
  await page.waitForFunction(() => document.getElementById('record-bar').value > 0);
  assert.match(await page.locator('#record-text').textContent(), /Recording: step \d+ of 100/);
  await screenshot(page, 'exports-recording');
  const download = await downloading;
  assert.equal(download.suggestedFilename(), 'optiscape-rosenbrock.webm');
  const webm = await bytes(download);
  assert.ok(webm.length > 2000, `webm of ${webm.length} bytes`);
  assert.deepEqual([...webm.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'EBML (WebM) header');
  await page.locator('#record-progress').waitFor({ state: 'hidden' });
  assert.match(await page.locator('#record-status').textContent(), /Video ready/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a recording can be cancelled, and without MediaRecorder the button says why', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=rosenbrock&start=-1.5,2&steps=1000&run=adam,lr=0.02' });
  await animationDone(page);
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.getByRole('button', { name: 'Record video (WebM)' }).click();
  await page.waitForFunction(() => document.getElementById('record-bar').value > 0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText('Recording cancelled.').waitFor();
  assert.equal(downloads, 0);
  await page.context().close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    delete window.MediaRecorder;
  });
  const bare = await context.newPage();
  await bare.goto(`${process.env.OPTISCAPE_URL ?? 'http://127.0.0.1:8080/'}${SHORT}`);
  await bare.waitForSelector('body[data-ready="true"]');
  const button = bare.locator('#record');
  assert.equal(await button.isDisabled(), true);
  assert.match(await button.getAttribute('title'), /cannot record video/);
  assert.match(await bare.locator('#record-why').textContent(), /MediaRecorder/);
  await context.close();
});

test('a 16×16 phase diagram completes to 100 %, reads out a cell, and a click loads its lr', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=rosenbrock&start=-1.5,2&steps=300&run=sgd,lr=0.001,momentum=0.9' });
  await animationDone(page);
  assert.equal(await page.locator('#phase-x').inputValue(), 'optimizer.lr');
  assert.equal(await page.locator('#phase-y').inputValue(), 'optimizer.momentum');
  assert.equal(await page.locator('#phase-n').inputValue(), '64');
  assert.equal(await page.locator('#phase-steps').inputValue(), '500');
  await page.locator('#phase-n').selectOption('16');
  await page.getByRole('button', { name: 'Run the sweep' }).click();
  await page.waitForFunction(() => document.body.dataset.phase === 'done', null, { timeout: 60_000 });
  const bar = await page.locator('#phase-bar').evaluate((b) => [b.value, b.max]);
  assert.deepEqual(bar, [16, 16]);
  assert.match(await page.locator('#phase-progress-text').textContent(), /Row 16 of 16 \(100 %\)/);
  const canvas = page.locator('#phase-canvas');
  assert.equal(await canvas.getAttribute('data-cells'), '256');
  // Large lr with large momentum diverges on Rosenbrock: some cells do, some do not.
  const diverged = Number(await canvas.getAttribute('data-diverged'));
  assert.ok(diverged > 0 && diverged < 256, `${diverged} diverged cells`);
  assert.match(await page.locator('#phase-legend').textContent(), new RegExp(`diverged \\(${diverged}\\)`));
  // The selected run's own place is marked.
  assert.ok(await canvas.getAttribute('data-marker'));
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  // A cell in the lower left: small lr, small momentum.
  const at = { x: 64 + 20, y: box.height - 46 - 20 };
  await canvas.hover({ position: at });
  assert.match(await page.locator('#phase-readout').textContent(), /Learning rate = .*Momentum = .*final loss/);
  await screenshot(page, 'exports-phase');
  const before = await page.locator('#overlay').getAttribute('data-lr');
  await canvas.click({ position: at });
  await page.waitForFunction((b) => document.getElementById('overlay').dataset.lr !== b, before);
  const lr = Number(await page.locator('#overlay').getAttribute('data-lr'));
  // The smallest lr of the default range (lr/100 = 1e-5) or a neighbouring cell's.
  assert.ok(lr >= 1e-5 && lr < 1e-4, `loaded lr ${lr}`);
  await page.waitForURL(/run=sgd,lr=[0-9.e-]+/);
  assert.match(await page.locator('#phase-status').textContent(), /Loaded/);
  // The keyboard reaches the same cells: Enter loads the cursor's cell.
  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.waitForFunction((l) => Number(document.getElementById('overlay').dataset.lr) !== l, lr);
  // The automatic target was Rosenbrock's (1e-3 above its minimum 0); another surface gets
  // its own: the six-hump camel's lowest minimum is −1.0316.
  assert.equal(await page.locator('#phase-target').inputValue(), '0.001');
  await page.locator('#preset').selectOption('six_hump_camel');
  assert.equal(await page.locator('#phase-target').inputValue(), '');
  await page.getByRole('button', { name: 'Run the sweep' }).click();
  await page.waitForFunction(() => document.getElementById('phase-target').value !== '');
  const target = Number(await page.locator('#phase-target').inputValue());
  assert.ok(Math.abs(target - (-1.0316 + 0.0010316)) < 1e-3, `target ${target}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('cancel stops a big sweep; a bad range is named', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=rosenbrock&start=-1.5,2&steps=300&run=adam,lr=0.01' });
  await page.locator('#phase-n').selectOption('256');
  await page.locator('#phase-steps').fill('5000');
  await page.getByRole('button', { name: 'Run the sweep' }).click();
  await page.waitForFunction(() => document.getElementById('phase-bar').value >= 1);
  await page.locator('#phase-cancel').click();
  await page.waitForFunction(() => document.body.dataset.phase === 'stopped');
  assert.equal(await page.locator('#phase-status').textContent(), 'Sweep cancelled.');
  const [value, max] = await page.locator('#phase-bar').evaluate((b) => [b.value, b.max]);
  assert.equal(max, 256);
  assert.ok(value < 256, `stopped at row ${value}`);
  assert.equal(await page.locator('#phase-cancel').isHidden(), true);
  assert.equal(await page.locator('#phase-run').isDisabled(), false);
  // min ≥ max on the horizontal axis: the message names the parameter.
  await page.locator('#phase-x-min').fill('1');
  await page.locator('#phase-x-max').fill('0.5');
  await page.getByRole('button', { name: 'Run the sweep' }).click();
  assert.match(await page.locator('#phase-error').textContent(), /Learning rate/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Chinese labels for the exports and the phase diagram, in dark mode', async () => {
  const page = await openApp(browser, { hash: '#v=1&s=rosenbrock&start=-1.5,2&steps=100&run=adam,lr=0.02&theme=dark', colorScheme: 'dark' });
  await switchLanguage(page, 'zh-CN');
  await page.getByRole('button', { name: '显示 PyTorch 代码' }).waitFor();
  await page.getByRole('button', { name: '录制视频（WebM）' }).waitFor();
  await page.getByRole('button', { name: '开始扫描' }).waitFor();
  assert.equal(await page.locator('#phase-title').textContent(), '相图');
  assert.equal(await page.locator('#chart-loss-png').getAttribute('aria-label'), '将损失图下载为 PNG');
  assert.match(await page.locator('#phase-x option').first().textContent(), /学习率/);
  await page.locator('#phase-n').selectOption('16');
  await page.getByRole('button', { name: '开始扫描' }).click();
  await page.waitForFunction(() => document.body.dataset.phase === 'done', null, { timeout: 60_000 });
  assert.match(await page.locator('#phase-progress-text').textContent(), /第 16 行，共 16 行/);
  assert.match(await page.locator('#phase-legend').textContent(), /发散|最终损失/);
  await page.locator('#phase-canvas').scrollIntoViewIfNeeded();
  await screenshot(page, 'exports-phase-zh-dark');
  await page.getByRole('button', { name: '显示 PyTorch 代码' }).click();
  const dialog = page.getByRole('dialog', { name: 'PyTorch 代码' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: '复制', exact: true }).waitFor();
  await dialog.getByRole('button', { name: '下载 .py' }).waitFor();
  await dialog.getByRole('button', { name: '关闭' }).waitFor();
  await viewShot(page, 'exports-code-zh-dark');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an axe-core audit of the diagram, the progress bar and the code dialog finds no serious or critical violation', async () => {
  const axe = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
  for (const colorScheme of ['light', 'dark']) {
    const page = await openApp(browser, { hash: '#v=1&s=himmelblau&start=0,0&steps=100&run=sgd,lr=0.01,momentum=0.5', colorScheme });
    await page.locator('#phase-n').selectOption('16');
    await page.getByRole('button', { name: 'Run the sweep' }).click();
    await page.waitForFunction(() => document.body.dataset.phase === 'done', null, { timeout: 60_000 });
    // Evaluated through the debugger protocol, so the page's CSP does not stop it.
    await page.evaluate(axe);
    const audit = () => page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
    });
    assert.deepEqual(await audit(), [], colorScheme);
    await page.getByRole('button', { name: 'Show PyTorch code' }).click();
    await page.getByRole('dialog', { name: 'PyTorch code' }).waitFor();
    assert.deepEqual(await audit(), [], `${colorScheme}, dialog open`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
