// Measures a lecture scene's claim off the main thread (some checks train networks for
// seconds): `{seq, id, lab}` in, `{seq, ok: true, check}` or `{seq, ok: false, message}` out.

import { errorText } from './common/errors.js';
import init, { provide_digits as provideDigits, scene_check as sceneCheck } from './pkg/optiscape.js';
import { loadDigits } from './classifier/digits.js';

const ready = init();

self.addEventListener('message', async (e) => {
  const { seq, id, lab } = e.data ?? {};
  if (typeof seq !== 'number' || typeof id !== 'string' || id.length > 64) return;
  try {
    await ready;
    if (lab === 'classifier') await loadDigits(provideDigits);
    const check = JSON.parse(sceneCheck(id));
    self.postMessage({ seq, ok: true, check });
  } catch (err) {
    self.postMessage({ seq, ok: false, message: errorText(err) });
  }
});
