// Every visible string of the classifier page, from its JSON catalogs in i18n/ (en, zh-CN).
// Elements carry their key in data-i18n (text), data-i18n-aria-label or data-i18n-title; code
// asks t(key, {name: value}). Text is always set with textContent, never as HTML.

export const LANGS = ['en', 'zh-CN'];
let catalog = {};
let fallback = null;
let current = 'en';

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
  const response = await fetch(new URL(`./i18n/${lang}.json`, import.meta.url));
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

/** The string for `key` with `{name}` placeholders filled in. */
export function t(key, vars = {}) {
  let s = catalog[key] ?? fallback?.[key] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/** Whether the catalogs have `key`. */
export const has = (key) => key in catalog || (fallback !== null && key in fallback);

/** Applies the catalog to every tagged element under `root`. */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.setAttribute('title', t(el.dataset.i18nTitle));
  document.title = t('title');
}
