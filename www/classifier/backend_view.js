// What the page shows about the training backend: the badge (which engine trains, which
// adapter, "software fallback" said plainly), the notice after a GPU failure, and the
// batch-size experiment's time-per-update chart with one line per backend. Text only through
// textContent.

import { drawEpochChart as drawChart } from '../common/charts.js';
import { formatSeconds } from '../common/format.js';
import { t } from '../common/i18n.js';

const rgb = ([r, g, b]) => `rgb(${r} ${g} ${b})`;

/** "vendor architecture description" of an adapter, or a word saying it has no name. */
export function adapterName(adapter) {
  if (!adapter) return t('backend.unnamed');
  const name = [adapter.vendor, adapter.architecture, adapter.description].filter((s) => s).join(' ');
  return name || t('backend.unnamed');
}

/** The badge's text for a `backend` message of the worker. */
export function badgeText(msg) {
  if (msg.backend === 'gpu') {
    const adapter = adapterName(msg.adapter);
    return msg.adapter?.fallback ? t('backend.gpuSoftware', { adapter }) : t('backend.gpu', { adapter });
  }
  const why = msg.reason;
  if (!why) return t('backend.cpu');
  if (why.kind === 'unsupported') return t(`backend.why.${why.message}`, { name: msg.optimizer ?? '', ported: msg.ported ?? '' });
  if (['forced', 'no-webgpu', 'no-adapter', 'device'].includes(why.kind)) return t(`backend.why.${why.kind}`);
  return t('backend.why.failed', { kind: why.kind });
}

/**
 * Shows the worker's `backend` message `msg` in the badge (`data-backend`: gpu, software or
 * cpu) and, after a GPU failure, the notice; `names` holds the run's optimizer (`optimizer`)
 * and the optimizers the GPU runs (`ported`), as people write them.
 */
export function showBackend(msg, names) {
  const badge = document.getElementById('backend-badge');
  badge.textContent = badgeText({ ...msg, ...names });
  badge.dataset.backend = msg.backend === 'gpu' ? (msg.adapter?.fallback ? 'software' : 'gpu') : 'cpu';
  const notice = document.getElementById('backend-notice');
  if (msg.fallback) {
    const f = msg.fallback;
    notice.textContent = t('backend.fallback', { kind: f.kind, message: f.message, step: f.step, at: f.at });
    notice.hidden = false;
  } else if (msg.backend === 'gpu') {
    notice.hidden = true;
  }
}

/**
 * The name of the batch-size table's GPU column for the GPU's timings `gpu` (`{adapter, rows}`,
 * or null): by the adapter's kind, since a software adapter (SwiftShader, llvmpipe) runs on the
 * CPU and its times say nothing about parallel hardware.
 */
export function gpuColumnName(gpu) {
  if (!gpu?.adapter) return t('sweep.col.perUpdateGpu');
  return t(gpu.adapter.fallback ? 'sweep.col.perUpdateGpuSoftware' : 'sweep.col.perUpdateGpuHardware');
}

/**
 * The batch-size experiment's time per update against batch size: the CPU's rows and, when
 * it ran, the GPU's, one line each, on a log axis; `note` says what measured them.
 */
export function drawTimeChart(canvas, legend, note, rows, gpu, why, palette, colors) {
  const done = rows.filter((r) => !r.skipped);
  const labels = done.map((r) => String(r.batch_size));
  const lines = [{ values: done.map((r) => r.seconds_per_update), color: rgb(palette[0]), label: t('sweep.lineCpu') }];
  if (gpu && gpu.rows.length) {
    const values = done.map((r) => gpu.rows.find((g) => g.batch_size === r.batch_size)?.seconds_per_update ?? null);
    lines.push({ values, color: rgb(palette[1 % palette.length]), label: t(gpu.adapter?.fallback ? 'sweep.lineGpuSoftware' : 'sweep.lineGpu', { adapter: adapterName(gpu.adapter) }), dash: [5, 3] });
  }
  drawChart(canvas, done.length ? lines : [], {
    log: true,
    colors,
    format: formatSeconds,
    xLabels: labels,
    empty: t('sweep.timeChartEmpty'),
  });
  legend.replaceChildren();
  if (done.length) {
    for (const line of lines) {
      const item = document.createElement('span');
      const key = document.createElement('span');
      key.className = 'key';
      key.style.background = line.color;
      item.append(key, document.createTextNode(line.label));
      legend.append(item);
    }
  }
  if (!done.length) note.textContent = '';
  else if (gpu) note.textContent = t(gpu.adapter?.fallback ? 'sweep.backendsSoftware' : 'sweep.backendsBoth', { adapter: adapterName(gpu.adapter), n: gpu.minUpdates, round: gpu.round });
  else note.textContent = t('sweep.backendsCpu', { why: why ?? t('backend.cpu') });
}
