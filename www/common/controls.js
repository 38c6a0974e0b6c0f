// Form controls the pages build from the core's parameter specs.

import { formatRate } from './format.js';

/**
 * A slider over 10^lo … 10^hi (log scale; slider units are decades × `scale`, in `step`s)
 * with its `<output>` in a `.label-row`. `start` is the slider's first position, `shown` the
 * value first shown; `onValue(v)` gets each new value (three significant digits). Returns
 * `{row, out, input}` for the caller to place.
 */
export function logSlider({ id, outFor = id, range: [lo, hi], scale = 1, step = '0.01', start, shown, onValue }) {
  const row = document.createElement('div');
  row.className = 'label-row';
  const out = document.createElement('output');
  out.htmlFor = outFor;
  const input = document.createElement('input');
  input.type = 'range';
  input.id = id;
  input.min = String(lo * scale);
  input.max = String(hi * scale);
  input.step = step;
  const show = (v) => {
    out.textContent = v === null || v === undefined ? '—' : formatRate(v);
    input.setAttribute('aria-valuetext', out.textContent);
  };
  input.value = String(start);
  show(shown);
  input.addEventListener('input', () => {
    const v = Number((10 ** (Number(input.value) / scale)).toPrecision(3));
    show(v);
    onValue(v);
  });
  return { row, out, input };
}

/** Copies `text` to the clipboard; resolves with whether it worked. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Points the page tabs (`{elementId: page}`) at the other pages, keeping the language and
 * theme chosen here.
 */
export function linkTabs(tabs, { lang, theme }) {
  const parts = ['v=1'];
  if (theme !== 'auto') parts.push(`theme=${theme}`);
  parts.push(`lang=${lang}`);
  for (const [id, page] of Object.entries(tabs)) document.getElementById(id).href = `${page}#${parts.join('&')}`;
}

/**
 * On a phone (≤ 560 px) the selected run's learning-rate slider sits in `strip`, a strip under
 * the play bar, so that moving it and watching the picture fit one screen; on a wider page it
 * stays in its editor `params`. The control is the editor's own (moved, not copied: the field
 * around the element that `selector` finds), and follows the editor when it is rebuilt (another
 * run, another optimizer).
 */
export function installPhoneStrip(strip, params, selector) {
  const phone = matchMedia('(max-width: 560px)');
  const place = () => {
    const field = params.querySelector(selector)?.closest('.field');
    if (phone.matches && field) strip.replaceChildren(field);
    else if (!phone.matches && strip.firstChild) {
      // Back to the top of the editor's parameters, unless the editor was rebuilt meanwhile.
      if (!params.querySelector(selector)) params.prepend(strip.firstChild);
      strip.replaceChildren();
    }
    strip.hidden = !strip.firstChild;
  };
  new MutationObserver(place).observe(params, { childList: true });
  phone.addEventListener('change', place);
  place();
}
