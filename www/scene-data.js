// The lecture scenes as data: `scenes/scenes.json`, written by `optiscape scene --all` from the
// core's scene definitions (tests/scenes.rs keeps it current). Every page (the surface lab, the
// classifier lab, the scene index) loads this file instead of carrying the scene code and texts
// in its wasm; only the scene worker's wasm (pkg-scenes/) has them, to measure the claims.

let loading = null;

/**
 * Resolves to `{list, get}`: the scene list in lecture order (`{id, version, lab, title, claim,
 * panels}`, as the core's `scene_list`) and `get(id)`, a fresh copy of one whole scene (the
 * schema of `optiscape scene ID`) or undefined for an unknown id. One fetch per page.
 */
export function loadScenes() {
  loading ??= (async () => {
    const url = new URL('./scenes/scenes.json', import.meta.url);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`The lecture scenes did not load: ${url.pathname} answered HTTP ${response.status}.`);
    const scenes = await response.json();
    const text = new Map(scenes.map((s) => [s.id, JSON.stringify(s)]));
    return {
      list: scenes.map(({ id, version, lab, title, claim, panels }) => ({ id, version, lab, title, claim, panels: panels?.length ?? 0 })),
      get: (id) => (text.has(id) ? JSON.parse(text.get(id)) : undefined),
    };
  })();
  return loading;
}
