// Measures a lecture scene's claim off the main thread (some checks train networks for
// seconds): `run {id, scene, lab}` in, `done {id, check}` or `error {id, message}` out
// (common/protocol.js). Its wasm is the full build, `pkg-scenes/` (the only one with the scene
// code: the pages read the scenes as data, scenes/scenes.json).

import { errorText } from './common/errors.js';
import { REQUEST } from './common/protocol.js';
import init, { provide_digits as provideDigits, scene_check as sceneCheck } from './pkg-scenes/optiscape.js';
import { loadDigits } from './classifier/digits.js';

const ready = init();

self.addEventListener('message', async (e) => {
  const { type, id, scene, lab } = e.data ?? {};
  if (type !== REQUEST.run || typeof id !== 'number' || typeof scene !== 'string' || scene.length > 64) return;
  try {
    await ready;
    if (lab === 'classifier') await loadDigits(provideDigits);
    const check = JSON.parse(sceneCheck(scene));
    self.postMessage({ type: REQUEST.done, id, check });
  } catch (err) {
    self.postMessage({ type: REQUEST.error, id, message: errorText(err) });
  }
});
