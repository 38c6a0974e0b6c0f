// "Show PyTorch code": a dialog with the complete, runnable script of a run (torch.optim and
// torch.optim.lr_scheduler, written by the core's generator), one run at a time with a picker,
// and Copy / Download .py. A modal <dialog>: Escape closes it and the focus goes back to the
// button that opened it.

import { errorText } from './common/errors.js';
import { torch_code as torchCode } from './pkg-lab/optiscape.js';
import { download } from './export.js';
import { formatRate } from './common/format.js';
import { copyText } from './common/controls.js';
import { t } from './common/i18n.js';
import { optimizerLabel } from './common/optimizers.js';

const $ = (id) => document.getElementById(id);

export class CodeDialog {
  constructor(app) {
    this.app = app;
    this.dialog = $('code-dialog');
    this.opener = null;
    $('show-code').addEventListener('click', (e) => this.open(e.currentTarget));
    $('code-run').addEventListener('change', () => this.show());
    $('code-copy').addEventListener('click', () => this.copy());
    $('code-download').addEventListener('click', () => this.download());
    $('code-close').addEventListener('click', () => this.dialog.close());
    this.dialog.addEventListener('close', () => {
      this.opener?.focus();
      this.opener = null;
    });
  }

  /** Opens the dialog on the selected run. */
  open(opener) {
    this.opener = opener ?? document.activeElement;
    this.fillRuns();
    $('code-run').value = String(this.app.state.sel);
    $('code-status').textContent = '';
    this.show();
    this.dialog.showModal();
    $('code-text').focus();
  }

  fillRuns() {
    const select = $('code-run');
    select.replaceChildren();
    this.app.state.runs.forEach((run, i) => {
      const lr = run.params.lr !== undefined ? `, lr ${formatRate(run.params.lr)}` : '';
      select.add(new Option(`${i + 1}. ${optimizerLabel(this.app.catalog.optimizers, run.opt)}${lr}`, String(i)));
    });
  }

  /** The picked run's index and script (or the core's message when it cannot be written). */
  script() {
    const i = Number($('code-run').value);
    const run = this.app.state.runs[i];
    if (!run) return { i, code: null, error: t('code.noRun') };
    try {
      return { i, run, code: torchCode(JSON.stringify(this.app.configFor(run))), error: null };
    } catch (e) {
      return { i, run, code: null, error: errorText(e) };
    }
  }

  show() {
    const { code, error } = this.script();
    $('code-text').textContent = code ?? '';
    $('code-error').hidden = !error;
    $('code-error').textContent = error ? t('run.error', { message: error }) : '';
    $('code-copy').disabled = !code;
    $('code-download').disabled = !code;
  }

  async copy() {
    const { code } = this.script();
    if (!code) return;
    const ok = await copyText(code);
    $('code-status').textContent = ok ? t('code.copied') : t('code.copyFailed');
  }

  download() {
    const { i, run, code } = this.script();
    if (!code) return;
    const name = run.opt.replace('.', '-');
    download(new Blob([code], { type: 'text/x-python' }), `optiscape-run${i + 1}-${name}.py`);
    $('code-status').textContent = t('code.downloaded');
  }
}
