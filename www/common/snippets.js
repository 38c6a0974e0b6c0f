// The two snippets a teacher pastes into a course page, built in one place for the surface
// lab's "Copy embed code" and the teacher's page (teaching.html):
//
// - the iframe (what course platforms such as Moodle and Canvas allow: no scripts in the course
//   page), with IFRAME_POLICY;
// - the custom element: one module script and `<optiscape-lab>`, whose text shows where the
//   script does not run.
//
// Both point at this site with absolute URLs. On a published site (`cargo xtask dist`) the
// element's script is the site's `optiscape-lab.js`, an unversioned address that loads the
// current version's module, so a snippet pasted once keeps working after the site is updated;
// in the repo it is `www/embed/optiscape-lab.js`.

/**
 * The iframe's sandbox and permissions: scripts and its own origin (its modules, wasm, workers
 * and catalogs come from there), downloads (PNG, CSV, JSON exports), new tabs for its links
 * (the full lab, the docs), writing to the clipboard (Copy link); no top navigation, no forms,
 * no pointer lock.
 */
export const IFRAME_POLICY = 'sandbox="allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox" allow="clipboard-write"';

export const escapeAttr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The site's folder (where index.html lives), from this module's address. */
export const siteBase = () => new URL('../../', import.meta.url).href;

/** The element's module as a course page loads it (see the top of this file). */
export function elementScript() {
  const www = new URL('../', import.meta.url);
  return /\/www-[0-9a-f]{12}\/$/.test(www.pathname) ? `${siteBase()}optiscape-lab.js` : new URL('embed/optiscape-lab.js', www).href;
}

/** `<iframe …>` onto `page` (`index.html#…` or `classifier.html#…`, relative to the site). */
export function iframeSnippet(page, { title, height }) {
  return `<iframe src="${escapeAttr(siteBase() + page)}" title="${escapeAttr(title)}" width="100%" height="${height}" loading="lazy" ${IFRAME_POLICY}></iframe>`;
}

/**
 * The script and `<optiscape-lab ATTRS lang controls height>FALLBACK</optiscape-lab>`; `which`
 * is `scene="…"` or `hash="…"` (escaped by the caller), `fallback` the text shown where the
 * script does not run.
 */
export function elementSnippet(which, { lang, controls, height, fallback }) {
  const script = `<script type="module" src="${escapeAttr(elementScript())}"></script>`;
  return `${script}\n<optiscape-lab ${which} lang="${lang}" controls="${controls}" height="${height}">${escapeAttr(fallback)}</optiscape-lab>`;
}

/** The origin the element's script comes from (named in its fallback text). */
export const scriptOrigin = () => new URL(elementScript()).origin;
