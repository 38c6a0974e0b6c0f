import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
const [n, x, y, w, h] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'], headless: true });
const p = await b.newPage();
const A = 'data:image/png;base64,' + readFileSync(`/tmp/fe-shot-${n}-18932.png`).toString('base64');
const B = 'data:image/png;base64,' + readFileSync(`/tmp/fe-shot-${n}-18931.png`).toString('base64');
const url = await p.evaluate(async ([A, B, x, y, w, h]) => {
  const load = (src) => new Promise((res) => { const i = new Image(); i.onload = () => res(i); i.src = src; });
  const [a, b] = await Promise.all([load(A), load(B)]);
  const c = document.createElement('canvas'); c.width = w * 2 + 10; c.height = h;
  const g = c.getContext('2d'); g.fillStyle = 'red'; g.fillRect(0, 0, c.width, c.height);
  g.drawImage(a, x, y, w, h, 0, 0, w, h); g.drawImage(b, x, y, w, h, w + 10, 0, w, h);
  return c.toDataURL('image/png');
}, [A, B, +x, +y, +w, +h]);
writeFileSync(`/tmp/fe-crop-${n}.png`, Buffer.from(url.split(',')[1], 'base64'));
await b.close();
