// The controls of an optimizer's or a schedule's hyper-parameters, built from the core's specs
// (`optimizer_specs()` / `schedule_specs()`): a log slider for rates and eps, number fields,
// check boxes, β pairs, choices and milestone lists. Each control names torch's key.

import { inRange, readParam } from './state.js';
import { logSlider } from '../common/controls.js';
import { t } from '../common/i18n.js';

/** Parameters shown on a log slider: [lowest, highest] power of ten. */
const LOG_SLIDERS = { lr: [-5, 1], max_lr: [-5, 1], eps: [-12, -1] };
const STEPS_PER_DECADE = 20;

let uid = 0;

/** The label of a parameter: the translated name, or torch's key. */
const paramName = (name) => {
  const key = `param.${name}`;
  const s = t(key);
  return s === key ? name : s;
};

/**
 * Fills `box` with one control per parameter of `spec`; `values` are the set ones (the rest
 * show torch's default or, for required ones, `suggest(name)`). `onChange(name, value)` gets
 * valid values only; invalid input is marked and explained.
 */
export function buildParams(box, spec, values, onChange, suggest = () => undefined) {
  box.replaceChildren();
  for (const p of spec.params) {
    if (p.kind === 'schedule_list') continue;
    const value = values[p.name] ?? p.default ?? suggest(p.name);
    box.append(control(p, value, onChange));
  }
}

function control(p, value, onChange) {
  const id = `param-${p.name}-${uid++}`;
  const field = document.createElement('div');
  field.className = p.kind === 'bool' ? 'check' : 'field';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = paramName(p.name);
  const key = document.createElement('span');
  key.className = 'param-key';
  key.textContent = p.name;
  const error = document.createElement('p');
  error.className = 'run-error';
  error.hidden = true;
  error.id = `${id}-error`;
  const invalid = (input, bad) => {
    input.setAttribute('aria-invalid', String(bad));
    error.hidden = !bad;
    error.textContent = bad ? t('param.invalid', { name: p.name, range: rangeText(p) }) : '';
  };

  if (p.kind === 'bool') {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = id;
    box.checked = value === true;
    box.addEventListener('change', () => onChange(p.name, box.checked));
    label.append(' ', key);
    field.append(box, label);
    return field;
  }

  if (p.kind === 'number' && LOG_SLIDERS[p.name] && (value === undefined || value > 0)) {
    const [lo, hi] = LOG_SLIDERS[p.name];
    const v0 = value ?? 10 ** lo;
    const { row, out, input: slider } = logSlider({
      id, range: [lo, hi], scale: STEPS_PER_DECADE, step: '1',
      start: Math.round(Math.log10(v0) * STEPS_PER_DECADE), shown: v0,
      onValue: (v) => {
        if (inRange(p.range, v)) onChange(p.name, v);
      },
    });
    label.append(' ', key);
    row.append(label, out);
    field.append(row, slider);
    return field;
  }

  label.append(' ', key);
  field.append(label);
  if (p.kind === 'choice') {
    const select = document.createElement('select');
    select.id = id;
    for (const c of p.choices) select.add(new Option(c, c));
    select.value = value ?? p.choices[0];
    select.addEventListener('change', () => onChange(p.name, select.value));
    field.append(select);
    return field;
  }
  if (p.kind === 'betas') {
    const pair = document.createElement('div');
    pair.className = 'two';
    const inputs = [0, 1].map((k) => {
      const input = document.createElement('input');
      input.type = 'number';
      input.step = 'any';
      input.min = '0';
      input.max = '1';
      input.id = k === 0 ? id : `${id}-2`;
      input.value = String(value?.[k] ?? '');
      input.setAttribute('aria-label', `${paramName(p.name)} β${k + 1}`);
      input.setAttribute('aria-describedby', error.id);
      return input;
    });
    const read = () => {
      const v = readParam(p, inputs.map((i) => i.value.trim()).join('_'));
      inputs.forEach((i) => invalid(i, v === undefined));
      if (v !== undefined) onChange(p.name, v);
    };
    inputs.forEach((i) => i.addEventListener('change', read));
    pair.append(...inputs);
    field.append(pair, error);
    return field;
  }
  const input = document.createElement('input');
  input.id = id;
  input.setAttribute('aria-describedby', error.id);
  if (p.kind === 'integer_list') {
    input.type = 'text';
    input.value = Array.isArray(value) ? value.join(', ') : '';
    input.placeholder = '50, 80';
  } else {
    input.type = 'number';
    input.step = p.kind === 'integer' ? '1' : 'any';
    if (p.range.min !== null) input.min = String(p.range.min);
    if (p.range.max !== null) input.max = String(p.range.max);
    input.value = value === undefined ? '' : String(value);
  }
  input.addEventListener('change', () => {
    const v = readParam(p, input.value.trim());
    invalid(input, v === undefined);
    if (v !== undefined) onChange(p.name, v);
  });
  field.append(input, error);
  return field;
}

function rangeText(p) {
  if (p.kind === 'integer_list') return t('param.list');
  const r = p.range;
  const lo = r.min === null ? '−∞' : String(r.min);
  const hi = r.max === null ? '∞' : String(r.max);
  const kind = p.kind === 'integer' ? t('param.whole') : '';
  return `${kind}${r.min_inclusive ? '[' : '('}${lo}, ${hi}${r.max_inclusive ? ']' : ')'}`;
}
