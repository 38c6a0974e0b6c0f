// A PNG of any chart (loss, η(t), gradient norm): a small download button on each chart draws
// it again off screen at twice its size, with its title, the runs' legend and the step axis,
// on the page's panel colour (so a dark-mode chart stays readable).

import { drawStepChart as drawChart } from './common/charts.js';
import { RUN_COLORS } from './draw.js';
import { download } from './export.js';
import { formatRate } from './common/format.js';
import { t } from './common/i18n.js';
import { optimizerLabel } from './common/optimizers.js';

const SCALE = 2;
const CHARTS = { 'chart-loss': 'loss', 'chart-lr': 'lr', 'chart-grad': 'grad' };

/** Puts a download button into each chart's caption. */
export function installChartButtons(app) {
  for (const [id, name] of Object.entries(CHARTS)) {
    const canvas = document.getElementById(id);
    const caption = canvas.closest('figure').querySelector('figcaption');
    const title = document.createElement('span');
    title.dataset.i18n = caption.dataset.i18n;
    title.textContent = caption.textContent;
    delete caption.dataset.i18n;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'chart-png';
    button.id = `${id}-png`;
    button.dataset.i18nAriaLabel = `chartPng.${name}`;
    button.dataset.i18nTitle = `chartPng.${name}`;
    button.setAttribute('aria-label', t(`chartPng.${name}`));
    button.title = t(`chartPng.${name}`);
    button.textContent = 'PNG';
    button.addEventListener('click', () => exportChart(app, id, name));
    caption.replaceChildren(title, button);
  }
}

/** Draws chart `id` at 2x with its title and legend; offers it as optiscape-NAME.png. */
export function exportChart(app, id, name) {
  const [series, options] = app.chartData?.[id] ?? [];
  if (!series) return;
  const source = document.getElementById(id);
  const css = getComputedStyle(document.documentElement);
  const color = (v, fallback) => css.getPropertyValue(v).trim() || fallback;
  const width = Math.max(360, source.clientWidth);
  const chartHeight = Math.max(160, source.clientHeight);
  const chart = document.createElement('canvas');
  drawChart(chart, series, { ...options, size: { width, height: chartHeight, dpr: SCALE } });

  const pad = 12;
  const titleH = 24;
  const legendH = 18;
  const axisH = 20;
  const out = document.createElement('canvas');
  out.width = (width + 2 * pad) * SCALE;
  out.height = (pad + titleH + legendH + chartHeight + axisH + pad) * SCALE;
  const ctx = out.getContext('2d');
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = color('--panel', '#ffffff');
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = color('--text', '#1d2330');
  ctx.font = '600 14px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(t(`chart.${name}`), pad, pad);
  // The legend: one swatch and name per run.
  ctx.font = '11.5px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  let x = pad;
  const y = pad + titleH + legendH / 2 - 2;
  app.state.runs.forEach((run, i) => {
    const lr = run.params.lr !== undefined ? `, lr ${formatRate(run.params.lr)}` : '';
    const label = `${i + 1}. ${optimizerLabel(app.catalog.optimizers, run.opt)}${lr}`;
    const w = ctx.measureText(label).width;
    if (x + 18 + w > width + pad) return;
    ctx.fillStyle = RUN_COLORS[i % RUN_COLORS.length];
    ctx.fillRect(x, y - 2, 12, 4);
    ctx.fillStyle = color('--muted', '#535c6d');
    ctx.fillText(label, x + 16, y);
    x += 16 + w + 14;
  });
  ctx.drawImage(chart, pad, pad + titleH + legendH, width, chartHeight);
  ctx.fillStyle = color('--muted', '#535c6d');
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(t('chartPng.step'), pad + width / 2 + 16, pad + titleH + legendH + chartHeight + 2);
  out.toBlob((blob) => blob && download(blob, `optiscape-${name}.png`), 'image/png');
}
