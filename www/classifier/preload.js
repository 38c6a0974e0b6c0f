// Starts fetching the full wasm the page will run (the SIMD or the baseline build, see
// ../common/wasm-build.js) while the rest of the modules load: a static <link rel="preload">
// cannot know which of the two this browser needs.
import { fullWasmUrl } from '../common/wasm-build.js';

const link = document.createElement('link');
Object.assign(link, { rel: 'preload', as: 'fetch', type: 'application/wasm', crossOrigin: 'anonymous' });
link.href = fullWasmUrl(new URL('../pkg/', import.meta.url)).href;
document.head.append(link);
