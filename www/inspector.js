// The inspector: what the Hessian says at a clicked point (or a critical point): value,
// gradient, Hessian, eigenvalues and eigenvectors, kind (at a critical point only, as the core
// decides), condition number, the gradient-descent stability bound, and where some curvature is
// negative the "escape" action. Every number and decision comes from the core.

import { t } from './common/i18n.js';
import { formatLoss, formatPoint, formatRate } from './common/format.js';
import { math, matrix, mi, mo, row, sup, mn } from './mathml.js';
import { mnum, termRows, text as num } from './anatomy.js';

const $ = (id) => document.getElementById(id);

export class Inspector {
  constructor(app) {
    this.app = app;
    $('escape').addEventListener('click', () => app.escape());
    $('inspector-close').addEventListener('click', () => {
      app.closeInspector();
      app.drawStatic();
      app.saveState();
      $('overlay').focus();
    });
  }

  render() {
    const i = this.app.inspection;
    const panel = $('inspector');
    panel.hidden = !i;
    if (!i) return;
    // The core decides whether the point is critical (‖∇f‖ within its tolerance); only there
    // does the Hessian's kind name the point, elsewhere it is the shape of the curvature.
    const kind = $('inspector-kind');
    kind.dataset.kind = i.critical ? i.kind : '';
    const vars = { grad: num(i.gradient_norm), tol: num(i.gradient_tol) };
    kind.textContent = i.critical
      ? t('inspector.critical', { ...vars, kind: t(`kind.${i.kind}`) })
      : t('inspector.notCritical', { ...vars, shape: t(`shape.${i.kind}`) });
    const entries = [
      [t('inspector.point'), formatPoint([i.x, i.y])],
      [t('inspector.value'), formatLoss(i.f)],
      [t('inspector.gradient'), `(${i.gradient.map(num).join(', ')})`],
      [t('inspector.eigenvalues'), `λ₁ = ${num(i.eigenvalues[0])}, λ₂ = ${num(i.eigenvalues[1])}`],
      [t('inspector.eigenvectors'), i.eigenvectors.map((v) => `(${v.map(num).join(', ')})`).join(', ')],
      [t('inspector.condition'), i.condition_number === null ? '∞' : num(i.condition_number)],
      [t('inspector.stable'), i.max_stable_lr === null ? t('inspector.noBound') : `lr < 2/λmax = ${formatRate(i.max_stable_lr)}`],
    ];
    $('inspector-values').replaceChildren(...termRows(entries));
    $('inspector-hessian').replaceChildren(math([
      row(sup(mi('∇'), mn('2')), mi('f'), mo('='), matrix(i.hessian.map((r) => r.map(mnum)))),
    ], t('inspector.hessian')));
    $('inspector-help').textContent = t('inspector.help');
    $('escape').hidden = !i.escape_direction;
  }
}
