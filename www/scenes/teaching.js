// The teacher's page (teaching.html, linked from the Lecture tab): every lecture scene in
// lecture order with its claim in one line, a preview (the scene index's thumbnail), a link
// into the lab, and the two snippets that put it in a course page (www/common/snippets.js: the
// iframe and the custom element, with this site's absolute addresses), each with a Copy
// button. `window.optiscapeTeaching.markdown()` is this page as Markdown, in the current
// language: docs/teaching.md is it, in both languages (tests/e2e/teaching.test.mjs keeps it so).

import { showError } from '../common/banner.js';
import { language, t, translate } from '../common/i18n.js';
import { pick, sceneHref } from '../common/scene-card.js';
import { elementSnippet, escapeAttr, iframeSnippet, scriptOrigin, siteBase } from '../common/snippets.js';
import { ScenePage, startPage, toHash } from './page.js';
import { drawThumb, firstSentence, THUMB_H, THUMB_W } from './thumbs.js';

const $ = (id) => document.getElementById(id);
/** The snippets' frame height and controls: the plot whole and the play bar in 480 px. */
const HEIGHT = 480;
const CONTROLS = 'minimal';


/** The two snippets of scene `entry` in language `lang`: `{iframe, element}`. */
export function sceneSnippets(entry, lang) {
  const page = `${sceneHref(entry, { lang })}&embed=${CONTROLS}`;
  const title = `optiscape: ${pick(entry.title, lang)}`;
  return {
    iframe: iframeSnippet(page, { title, height: HEIGHT }),
    element: elementSnippet(`scene="${escapeAttr(entry.id)}"`, {
      lang,
      controls: CONTROLS,
      height: HEIGHT,
      fallback: t('embed.fallback', { origin: scriptOrigin() }),
    }),
  };
}

class Teaching extends ScenePage {
  render() {
    translate();
    document.title = t('teach.title');
    const hash = toHash({ theme: this.theme, lang: language() });
    history.replaceState(null, '', hash);
    $('tab-surfaces').href = `index.html${hash}`;
    $('tab-classifier').href = `classifier.html${hash}`;
    $('tab-lecture').href = `scenes.html${hash}`;
    $('teach-site').textContent = siteBase();
    const lang = language();
    const list = $('teach-list');
    list.replaceChildren();
    this.list.forEach((entry, i) => {
      const li = document.createElement('li');
      li.className = 'teach-item card';
      li.dataset.scene = entry.id;
      const canvas = document.createElement('canvas');
      canvas.className = 'scene-thumb';
      canvas.width = THUMB_W;
      canvas.height = THUMB_H;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', t('teach.preview', { title: pick(entry.title, lang) }));
      const text = document.createElement('div');
      text.className = 'teach-text';
      const number = document.createElement('span');
      number.className = 'scene-number';
      number.textContent = t('scene.kicker', { n: i + 1, total: this.list.length });
      const h3 = document.createElement('h3');
      h3.textContent = pick(entry.title, lang);
      const claim = document.createElement('p');
      claim.className = 'teach-claim';
      claim.textContent = firstSentence(pick(entry.claim, lang));
      const open = document.createElement('a');
      open.href = sceneHref(entry, { lang, theme: this.theme });
      open.textContent = entry.lab === 'classifier' ? t('scenes.inClassifier') : t('scenes.inSurfaces');
      text.append(number, h3, claim, open);
      const s = sceneSnippets(entry, lang);
      const status = document.createElement('p');
      status.className = 'teach-status';
      status.setAttribute('role', 'status');
      li.append(canvas, text, this.snippet(entry, 'iframe', s.iframe, status), this.snippet(entry, 'element', s.element, status), status);
      list.append(li);
      try {
        drawThumb(canvas, this.scenes[i], this.lab, this.memory);
      } catch (e) {
        showError(e);
      }
    });
  }

  /** One snippet: its label, the text (read-only) and a Copy button. */
  snippet(entry, which, text, status) {
    const box = document.createElement('div');
    box.className = `teach-snippet teach-${which}`;
    const id = `snippet-${which}-${entry.id}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = t(which === 'iframe' ? 'teach.iframe' : 'teach.element');
    const area = document.createElement('textarea');
    area.id = id;
    area.readOnly = true;
    area.rows = 5;
    area.spellcheck = false;
    area.value = text;
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'button';
    copy.textContent = t(which === 'iframe' ? 'embed.copyIframe' : 'embed.copyElement');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(area.value);
        status.textContent = t('embed.copied');
      } catch {
        area.select();
        status.textContent = t('embed.copyFailed');
      }
    });
    box.append(label, area, copy);
    return box;
  }

  /**
   * This page in the current language as Markdown, its addresses written for `site` (e.g.
   * `https://YOUR-SITE/optiscape/`) instead of this site's, previews named `preview(id)`.
   */
  markdown(site, preview) {
    const lang = language();
    const here = siteBase();
    const origin = scriptOrigin();
    const siteOrigin = new URL(site).origin;
    const local = (text) => text.replaceAll(here, site).replaceAll(origin, siteOrigin);
    const out = [`## ${t('teach.heading')}`, '', t('teach.iframeHelp'), '', t('teach.elementHelp'), ''];
    this.list.forEach((entry, i) => {
      const s = sceneSnippets(entry, lang);
      out.push(
        `### ${i + 1}. ${pick(entry.title, lang)}`,
        '',
        `![${t('teach.preview', { title: pick(entry.title, lang) })}](${preview(entry.id)})`,
        '',
        firstSentence(pick(entry.claim, lang)),
        '',
        `${t('teach.iframe')}:`,
        '',
        '```html',
        local(s.iframe),
        '```',
        '',
        `${t('teach.element')}:`,
        '',
        '```html',
        local(s.element),
        '```',
        '',
      );
    });
    return out.join('\n');
  }
}

startPage(Teaching, 'optiscapeTeaching');
