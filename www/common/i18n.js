// Every visible string, from a page's JSON catalogs (en, zh-CN): the lab and the scene index
// read www/i18n/, the classifier www/classifier/i18n/ (the page names its folder with
// `useCatalogs` before `setLanguage`). Elements carry their key in data-i18n (text),
// data-i18n-aria-label, data-i18n-title or data-i18n-placeholder; code asks
// t(key, {name: value}). Text is always set with textContent, never as HTML.

export const LANGS = ['en', 'zh-CN'];
let folder = new URL('../i18n/', import.meta.url);
let catalog = {};
let fallback = null;
let current = 'en';

/** The folder (a URL ending in `/`) of this page's catalogs. */
export function useCatalogs(url) {
  folder = url;
}

/** The language to start in: the link's, else the browser's first supported one. */
export function pickLanguage(fromLink) {
  if (LANGS.includes(fromLink)) return fromLink;
  for (const l of navigator.languages ?? [navigator.language]) {
    if (/^zh\b/i.test(l)) return 'zh-CN';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

async function load(lang) {
  const response = await fetch(new URL(`${lang}.json`, folder));
  if (!response.ok) throw new Error(`cannot load the ${lang} strings (HTTP ${response.status})`);
  return response.json();
}

/** Loads `lang` (English stays loaded as the fallback for any missing key). */
export async function setLanguage(lang) {
  if (!LANGS.includes(lang)) lang = 'en';
  if (!fallback) fallback = await load('en');
  catalog = lang === 'en' ? fallback : await load(lang);
  current = lang;
  document.documentElement.lang = lang;
}

export const language = () => current;

/** Switches the page to `lang` and translates every tagged element. */
export async function switchLanguage(lang) {
  await setLanguage(lang);
  translate();
}

/** The string for `key` with `{name}` placeholders filled in. */
export function t(key, vars = {}) {
  let s = catalog[key] ?? fallback?.[key] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/** Whether the catalogs have `key`. */
export const has = (key) => key in catalog || (fallback !== null && key in fallback);

const ATTRS = [['aria-label', 'i18nAriaLabel'], ['title', 'i18nTitle'], ['placeholder', 'i18nPlaceholder']];

/** Applies the catalog to every tagged element under `root`. */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const [attr, data] of ATTRS) {
    for (const el of root.querySelectorAll(`[data-${data.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`)) {
      el.setAttribute(attr, t(el.dataset[data]));
    }
  }
  document.title = t('title');
}
