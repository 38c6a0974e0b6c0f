// The digits data set is not inside the wasm (the surface lab never needs it): the classifier
// page and its worker fetch data/digits.bin once and hand it to the core before they train.

const DIGITS_URL = new URL('../../data/digits.bin', import.meta.url);

let loading = null;

/**
 * Fetches data/digits.bin and gives it to the core (`provide_digits` of the wasm glue); safe to
 * call again. Rejects with a message that names the file when it cannot be fetched.
 */
export function loadDigits(provideDigits) {
  if (!loading) {
    loading = fetch(DIGITS_URL)
      .then((res) => {
        if (!res.ok) throw new Error(`could not load the digits (${DIGITS_URL.pathname}: HTTP ${res.status})`);
        return res.arrayBuffer();
      })
      .then((buf) => provideDigits(new Uint8Array(buf)))
      .catch((e) => {
        loading = null;
        throw e;
      });
  }
  return loading;
}
