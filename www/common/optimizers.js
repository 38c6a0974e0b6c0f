// How people see the optimizers, on every page, from the core's spec table (`optimizers()` /
// the classifier catalog): each row carries its written name (`display`, torch's spelling),
// torch's class, what its lr means and its state on the GPU.

import { optimizerKey } from './hash.js';
import { language, t } from './i18n.js';

/** The spec of `key` (`name` or `name.variant`) in the core's optimizer table, or undefined. */
export const optimizerSpec = (specs, key) => specs.find((s) => optimizerKey(s) === key);

/** The written name of `key`: torch's spelling, "(lecture)" in the page's language for a lecture variant. */
export function optimizerLabel(specs, key) {
  const spec = optimizerSpec(specs, key);
  if (!spec) return key;
  return spec.variant ? t('optimizer.lecture', { name: spec.display }) : spec.display;
}

/** Whether a student's lr carries over from optimizer `from` to `to` (both specs): only where it means the same (a step size, not a factor on the update). */
export const lrCarriesOver = (from, to) => from?.lr_role === to?.lr_role;

/** The optimizers the GPU kernels implement, as a list in the page's language ("SGD, Adam, and AdamW"). */
export function gpuOptimizers(specs) {
  const names = [...new Set(specs.filter((s) => s.gpu).map((s) => s.display))];
  return new Intl.ListFormat(language(), { type: 'conjunction' }).format(names);
}
