// Input on the 2-D view: click or drag sets the start (or inspects, in inspect mode), the wheel
// and pinch zoom, Shift-drag / middle-drag / two fingers pan; on the keyboard the arrows move
// the start, + and − zoom, 0 fits the view, Enter inspects at the start. Also the legend of the
// critical points' marker shapes.

import { KINDS } from './draw.js';
import { t } from './common/i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

/** The surface point under a pointer event. */
function surfacePoint(app, canvas, e) {
  const box = canvas.getBoundingClientRect();
  const [x0, x1, y0, y1] = app.lab.view();
  return [
    x0 + ((e.clientX - box.left) / box.width) * (x1 - x0),
    y1 - ((e.clientY - box.top) / box.height) * (y1 - y0),
  ];
}

/** The view zoomed by `factor` (< 1 zooms in) around the surface point (cx, cy). */
function zoomed(view, factor, cx, cy) {
  const [x0, x1, y0, y1] = view;
  return [cx + (x0 - cx) * factor, cx + (x1 - cx) * factor, cy + (y0 - cy) * factor, cy + (y1 - cy) * factor];
}

export function installPlotInput(app, canvas) {
  const pointers = new Map();
  let mode = null; // 'start' | 'pan' | 'pinch' | 'inspect'
  let last = null;
  let pinch = null;
  let pending = false;

  /** Sets the start; at once (a click, a key) or on the next frame (dragging). */
  const setStart = (p, now = false) => {
    app.state.start = p;
    if (now) {
      app.rerun();
      return;
    }
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      app.rerun();
    });
  };

  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    // The default action (focus) is cancelled below: the plot takes the keys after a click, as
    // a student expects (and as a lab framed in slides needs, so the arrows move the start).
    canvas.focus({ preventScroll: true });
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch = { dist: Math.hypot(a[0] - b[0], a[1] - b[1]), mid: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] };
      mode = 'pinch';
      return;
    }
    last = [e.clientX, e.clientY];
    if (e.shiftKey || e.button === 1 || e.altKey) mode = 'pan';
    else if (app.state.click === 'inspect') mode = 'inspect';
    else {
      mode = 'start';
      setStart(surfacePoint(app, canvas, e), true);
    }
    e.preventDefault();
  });

  canvas.addEventListener('pointermove', (e) => {
    if (!pointers.has(e.pointerId)) return;
    pointers.set(e.pointerId, [e.clientX, e.clientY]);
    const box = canvas.getBoundingClientRect();
    const view = app.lab.view();
    const perPx = [(view[1] - view[0]) / box.width, (view[3] - view[2]) / box.height];
    if (mode === 'pinch' && pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const dist = Math.hypot(a[0] - b[0], a[1] - b[1]);
      const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const dx = (mid[0] - pinch.mid[0]) * perPx[0];
      const dy = (mid[1] - pinch.mid[1]) * perPx[1];
      const centre = surfacePoint(app, canvas, { clientX: mid[0], clientY: mid[1] });
      const z = zoomed(view, pinch.dist / Math.max(1, dist), centre[0], centre[1]);
      app.setView([z[0] - dx, z[1] - dx, z[2] + dy, z[3] + dy]);
      pinch = { dist, mid };
    } else if (mode === 'pan') {
      const dx = (e.clientX - last[0]) * perPx[0];
      const dy = (e.clientY - last[1]) * perPx[1];
      last = [e.clientX, e.clientY];
      app.setView([view[0] - dx, view[1] - dx, view[2] + dy, view[3] + dy]);
    } else if (mode === 'start') {
      setStart(surfacePoint(app, canvas, e));
    }
  });

  const end = (e) => {
    if (mode === 'inspect' && pointers.size === 1) app.inspect(...surfacePoint(app, canvas, e));
    pointers.delete(e.pointerId);
    if (pointers.size === 0) {
      if (mode === 'pan' || mode === 'pinch') app.saveState();
      mode = null;
    }
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', (e) => {
    pointers.delete(e.pointerId);
    mode = null;
  });

  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const [cx, cy] = surfacePoint(app, canvas, e);
    const factor = Math.exp(Math.max(-0.5, Math.min(0.5, e.deltaY * 0.0015)));
    app.setView(zoomed(app.lab.view(), factor, cx, cy));
  }, { passive: false });

  canvas.addEventListener('keydown', (e) => {
    const view = app.lab.view();
    const f = e.shiftKey ? 0.1 : 0.01;
    const moves = {
      ArrowLeft: [-f * (view[1] - view[0]), 0],
      ArrowRight: [f * (view[1] - view[0]), 0],
      ArrowUp: [0, f * (view[3] - view[2])],
      ArrowDown: [0, -f * (view[3] - view[2])],
    };
    const cx = (view[0] + view[1]) / 2;
    const cy = (view[2] + view[3]) / 2;
    if (moves[e.key]) {
      const [dx, dy] = moves[e.key];
      setStart([app.state.start[0] + dx, app.state.start[1] + dy], true);
    } else if (e.key === '+' || e.key === '=') app.setView(zoomed(view, 0.8, cx, cy));
    else if (e.key === '-' || e.key === '_') app.setView(zoomed(view, 1.25, cx, cy));
    else if (e.key === '0') app.fitView();
    else if (e.key === 'Enter') app.inspect(...app.state.start);
    else if (e.key === 'i') app.setClickMode(app.state.click === 'inspect' ? 'start' : 'inspect');
    else if (e.key === ' ') {
      if (app.playing) app.pause();
      else app.play();
    } else return;
    e.preventDefault();
  });
}

/** The legend of the critical points' markers: one shape and colour per kind, with counts. */
export function installKindsLegend(el, counts) {
  el.replaceChildren();
  const title = document.createElement('span');
  title.className = 'legend-title';
  title.textContent = t('critical.legend');
  el.append(title);
  for (const [kind, { shape, color }] of Object.entries(KINDS)) {
    const item = document.createElement('span');
    item.className = 'kind-item';
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '-8 -8 16 16');
    svg.setAttribute('width', '14');
    svg.setAttribute('height', '14');
    svg.setAttribute('aria-hidden', 'true');
    const paths = {
      circle: 'M 5.5 0 A 5.5 5.5 0 1 1 -5.5 0 A 5.5 5.5 0 1 1 5.5 0 Z',
      triangle: 'M 0 -6.3 L 5.8 4.1 L -5.8 4.1 Z',
      diamond: 'M 0 -6.9 L 5.8 0 L 0 6.9 L -5.8 0 Z',
      square: 'M -5 -5 L 5 -5 L 5 5 L -5 5 Z',
    };
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', paths[shape]);
    path.setAttribute('fill', color);
    path.setAttribute('stroke', '#15111f');
    path.setAttribute('stroke-width', '1.6');
    svg.append(path);
    const text = document.createElement('span');
    text.textContent = `${t(`kind.${kind}`)} (${counts[kind] ?? 0})`;
    item.append(svg, text);
    el.append(item);
  }
}
