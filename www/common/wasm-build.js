// Which build of the full wasm (www/pkg/) this browser runs: the SIMD build
// (optiscape_simd_bg.wasm, 128-bit SIMD: faster training, see the README's performance table)
// where the engine validates SIMD code, the baseline build (optiscape_bg.wasm) elsewhere. Both
// come from the same Rust code with the same JS glue, and both pass the torch reference tests.

/** A module whose one function returns a v128 (i32.const 0, i8x16.splat, i8x16.popcnt). */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253,
  15, 253, 98, 11,
]);

/** Whether `validate` (WebAssembly.validate) accepts SIMD code. */
export function hasSimd(validate = (bytes) => WebAssembly.validate(bytes)) {
  try {
    return validate(SIMD_PROBE) === true;
  } catch {
    return false;
  }
}

/** The URL of the full wasm build to load, next to the glue at `pkgUrl` (www/pkg/). */
export function fullWasmUrl(pkgUrl, simd = hasSimd()) {
  return new URL(simd ? 'optiscape_simd_bg.wasm' : 'optiscape_bg.wasm', pkgUrl);
}
