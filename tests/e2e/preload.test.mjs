// The surface lab's page names every module its first picture needs in a
// `<link rel="modulepreload">` (index.html), so the browser fetches them all at once instead of
// discovering each import only after the module that names it has arrived (two modules missing
// from the list cost the first picture about 20 ms). Checked in node, from the sources: the
// preloads are exactly the static import graph of www/main.js (dynamic `import()`s load after
// the first frame and must not be preloaded), and the wasm the page preloads is the first
// build's, whose glue main.js imports.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The modules `file` (a path under the repo) imports statically, as repo paths. */
function staticImports(file) {
  const text = readFileSync(join(ROOT, file), 'utf8')
    // Comments may quote import lines.
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const specs = [
    ...text.matchAll(/^\s*import\s+(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*export\s+[^'";]*?\s+from\s+['"]([^'"]+)['"]/gm),
  ].map((m) => m[1]);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(ROOT, normalize(join(ROOT, dirname(file), s))));
}

/** Every module reachable from `entry` through static imports (the entry included). */
function graph(entry) {
  const seen = new Set([entry]);
  const todo = [entry];
  while (todo.length) {
    for (const dep of staticImports(todo.pop())) {
      if (!seen.has(dep)) {
        seen.add(dep);
        todo.push(dep);
      }
    }
  }
  return seen;
}

const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
const preloads = (rel) => [...html.matchAll(new RegExp(`<link rel="${rel}" href="([^"]+)"[^>]*>`, 'g'))].map((m) => m[1]);

test('index.html preloads exactly the static import graph of www/main.js', () => {
  const want = [...graph('www/main.js')].sort();
  const have = preloads('modulepreload').sort();
  assert.ok(want.length > 20, `only ${want.length} modules found: the import reader is broken`);
  assert.deepEqual(have, want);
});

test('the import reader sees what a module imports and not what it loads later', () => {
  const main = staticImports('www/main.js');
  assert.ok(main.includes('www/pkg-lab-first/optiscape.js'));
  assert.ok(main.includes('www/common/offline.js'));
  // Loaded with import() after the first frame.
  for (const later of ['www/pkg-lab/optiscape.js', 'www/phase.js', 'www/code-dialog.js']) assert.ok(!main.includes(later), later);
});

test('the page preloads the first build\'s wasm, the one its glue loads', () => {
  const fetches = preloads('preload');
  assert.ok(fetches.includes('www/pkg-lab-first/optiscape_bg.wasm'), fetches.join(' '));
  assert.ok(!fetches.some((f) => f.startsWith('www/pkg-lab/')), fetches.join(' '));
});
