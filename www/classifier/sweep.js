// The batch-size experiment's table (the lecture's, with measured values) and its chart of
// training-loss curves, one per batch size. Text only through textContent.

import { drawEpochChart as drawChart } from '../common/charts.js';
import { formatCount, formatPercent, formatSeconds, formatSmall } from '../common/format.js';
import { language, t } from '../common/i18n.js';

const rgb = ([r, g, b]) => `rgb(${r} ${g} ${b})`;

function cell(tr, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  tr.append(td);
  return td;
}

/** The name of a batch size in the table: "32", or "full (250)". */
export function sizeName(row) {
  return row.full_batch ? t('sweep.full', { n: row.batch_size }) : String(row.batch_size);
}

/**
 * Fills the table: a row per finished size, then the one in training and the ones waiting.
 * `sizes` are the requested sizes (numbers or 'full'); `gpu` the GPU's timings
 * (`{rows: [{batch_size, seconds_per_update}], running}`), when it ran.
 */
export function fillTable(tbody, rows, sizes, current, gpu = null) {
  const lang = language();
  tbody.replaceChildren();
  if (rows.length === 0 && current === undefined) {
    const tr = document.createElement('tr');
    tr.className = 'empty';
    const td = cell(tr, t('sweep.empty'));
    td.colSpan = 8;
    tbody.append(tr);
    return;
  }
  for (const row of rows) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = sizeName(row);
    tr.append(th);
    if (row.skipped) {
      const td = cell(tr, t('sweep.skipped', { b: row.batch_size }), 'skipped');
      td.colSpan = 7;
    } else {
      cell(tr, formatCount(row.steps_per_epoch, lang));
      cell(tr, formatSeconds(row.seconds_per_update));
      const g = gpu?.rows.find((r) => r.batch_size === row.batch_size);
      cell(tr, g ? formatSeconds(g.seconds_per_update) : gpu?.running ? t('sweep.gpuPending') : '—');
      cell(tr, formatSeconds(row.seconds_per_epoch));
      cell(tr, formatSmall(row.grad_noise));
      cell(tr, formatPercent(row.train_accuracy));
      cell(tr, formatPercent(row.test_accuracy));
    }
    tbody.append(tr);
  }
  for (let i = rows.length; i < sizes.length; i += 1) {
    const tr = document.createElement('tr');
    tr.className = 'running';
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = sizes[i] === 'full' ? t('sweep.fullShort') : String(sizes[i]);
    tr.append(th);
    const td = cell(tr, i === rows.length ? t('sweep.training') : t('sweep.waiting'), 'skipped');
    td.colSpan = 7;
    tbody.append(tr);
  }
}

/** The training-loss curves of the finished sizes, with a legend. */
export function drawSweepChart(canvas, legend, rows, palette, colors) {
  const done = rows.filter((r) => !r.skipped);
  const series = done.map((r, i) => ({ values: r.train_loss, color: rgb(palette[i % palette.length]) }));
  drawChart(canvas, series, { log: true, colors, empty: t('sweep.chartEmpty') });
  legend.replaceChildren();
  done.forEach((r, i) => {
    const item = document.createElement('span');
    const key = document.createElement('span');
    key.className = 'key';
    key.style.background = rgb(palette[i % palette.length]);
    item.append(key, document.createTextNode(`B = ${sizeName(r)}`));
    legend.append(item);
  });
}
