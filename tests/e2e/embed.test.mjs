// Who may talk to an embedded lab (docs/embedding.md, "What a parent page can do"): the
// `origins` field of both labs' links, checked in their field tables; the parent link's choice
// of target origin (www/embed-api.js `parentLink`, with stand-in windows); and, in Chromium, a
// course page (tests/e2e/parent.html) on another origin than the lab (`127.0.0.1` and
// `localhost` with the same port are two origins of one server) that drives a framed lab when
// its origin is listed, and is ignored and told nothing when it is not; the <optiscape-lab>
// element passing its page's origin; the embed dialog's snippets leaving the list out.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { URL, launch, openApp } from './helpers.mjs';
import * as surface from '../../www/state.js';
import * as classifier from '../../www/classifier/state.js';
import { parentLink } from '../../www/embed-api.js';

/** The lab's origin, and the course page's: the same server under the other loopback name. */
const LAB = new globalThis.URL(URL);
const COURSE = `${LAB.protocol}//${LAB.hostname === 'localhost' ? '127.0.0.1' : 'localhost'}:${LAB.port}`;
const PARENT_PAGE = `${COURSE}${LAB.pathname}tests/e2e/parent.html`;
/** An origin that is neither. */
const ELSEWHERE = 'https://course.example';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// ---- the field --------------------------------------------------------------------------

/** Enough of a catalog for both tables (the fields read here need none of it). */
const CATALOG = {
  scenes: [], optimizers: [], schedules: [], datasets: ['spiral'], activations: ['tanh'],
  limits: { max_width: 64, max_hidden_layers: 4 },
};

test('the origins field of both labs takes http(s) origins as location.origin writes them, and drops a bad entry', () => {
  for (const [name, page] of [['surface', surface], ['classifier', classifier]]) {
    const read = (value) => page.readHash(`#v=1&origins=${value}`, CATALOG);
    const good = read('https://a.example,http://127.0.0.1:8080,http://[::1]:8000');
    assert.deepEqual(good.state.origins, ['https://a.example', 'http://127.0.0.1:8080', 'http://[::1]:8000'], name);
    assert.deepEqual(good.ignored, [], name);
    assert.match(page.toHash(good.state), /&origins=https:\/\/a\.example,http:\/\/127\.0\.0\.1:8080,http:\/\/\[::1\]:8000(&|$)/, name);
    assert.deepEqual(page.readHash(page.toHash(good.state), CATALOG).state.origins, good.state.origins, name);
    // Encoded the same.
    assert.deepEqual(read('https%3A%2F%2Fa.example').state.origins, ['https://a.example'], name);
    // Not an origin: a path, a trailing slash, upper case, a default port, a user, another
    // scheme, `*`, nothing. Alone, the field is ignored and named; beside a good entry, only
    // the entry goes (and the field is named).
    for (const bad of ['https://a.example/', 'https://a.example/course', 'HTTPS://A.example', 'https://a.example:443',
      'https://user@a.example', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', '*', '',
      'https://a.example,*']) {
      const alone = read(encodeURIComponent(bad));
      if (bad === 'https://a.example,*') {
        assert.deepEqual(alone.state.origins, ['https://a.example'], `${name} ${bad}`);
      } else {
        assert.equal(alone.state.origins, null, `${name} ${bad}`);
      }
      assert.deepEqual(alone.ignored, ['origins'], `${name} ${bad}`);
      const beside = read(`https://b.example,${encodeURIComponent(bad)}`);
      assert.deepEqual(beside.state.origins, bad === 'https://a.example,*' ? ['https://b.example', 'https://a.example'] : ['https://b.example'], `${name} ${bad}`);
      assert.deepEqual(beside.ignored, ['origins'], `${name} ${bad}`);
    }
    // At most eight entries; a repeat counts once.
    const many = Array.from({ length: 10 }, (_, i) => `https://e${i}.example`);
    const capped = read(many.join(','));
    assert.deepEqual(capped.state.origins, many.slice(0, 8), name);
    assert.deepEqual(capped.ignored, ['origins'], name);
    assert.deepEqual(read('https://a.example,https://a.example').state.origins, ['https://a.example'], name);
    // Without the field: no list, nothing written.
    const none = page.readHash('#v=1', CATALOG);
    assert.equal(none.state.origins, null, name);
    assert.doesNotMatch(page.toHash(none.state), /origins/, name);
  }
});

// ---- the parent link, with stand-in windows -----------------------------------------------

/**
 * Stands in for a framed page's globals: its own origin `http://lab.example`, the browser's
 * `location.ancestorOrigins` (`ancestor`; undefined where the browser has none), the
 * referrer, and a parent window that records the target origin of every message posted to it
 * and whose location is readable only when it is on the lab's origin (`sameOrigin`).
 */
function frame({ ancestor, referrer = '', sameOrigin = false } = {}) {
  const targets = [];
  const parent = {
    postMessage: (msg, target) => targets.push(target),
    get location() {
      if (sameOrigin) return { origin: 'http://lab.example' };
      throw new Error('SecurityError: a cross-origin frame');
    },
  };
  globalThis.window = { parent };
  globalThis.location = { origin: 'http://lab.example', ancestorOrigins: ancestor === undefined ? undefined : [ancestor] };
  globalThis.document = { referrer };
  return { parent, targets, other: { postMessage() {} } };
}

test('a framed page posts to its parent\'s origin when it knows it, else to the listed origins or "*", and takes commands only from its parent on a listed origin', () => {
  try {
    // Chromium: location.ancestorOrigins names the parent.
    let f = frame({ ancestor: 'https://course.example' });
    let link = parentLink(null);
    link.post({ event: 'ready' });
    assert.deepEqual(f.targets, ['https://course.example']);
    assert.equal(link.accepts({ source: f.other, origin: 'https://course.example' }), false, 'another window');
    assert.equal(link.accepts({ source: f.parent, origin: 'https://course.example' }), true);
    assert.deepEqual(link.keep(), ['https://course.example']);

    // No ancestorOrigins: the referrer's origin (its path and query are not the origin).
    f = frame({ referrer: 'https://course.example/week5/page.html?x=1' });
    parentLink(null).post({});
    assert.deepEqual(f.targets, ['https://course.example']);

    // A same-origin parent is read directly.
    f = frame({ sameOrigin: true, referrer: 'http://lab.example/index.html#v=1' });
    parentLink(null).post({});
    assert.deepEqual(f.targets, ['http://lab.example']);

    // A referrer on the lab's own origin with a parent elsewhere is the lab's own page (a
    // reload, a setState): the parent is unknown, events go to '*' until a command comes.
    f = frame({ referrer: 'http://lab.example/classifier.html#v=1' });
    link = parentLink(null);
    link.post({});
    assert.deepEqual(f.targets, ['*']);
    assert.equal(link.keep(), null);
    assert.equal(link.accepts({ source: f.parent, origin: 'https://course.example' }), true);
    link.post({});
    assert.deepEqual(f.targets, ['*', 'https://course.example']);
    assert.deepEqual(link.keep(), ['https://course.example']);

    // An opaque parent (a sandboxed frame) or none at all: '*'.
    for (const setup of [{ ancestor: 'null' }, {}, { referrer: 'about:blank' }]) {
      f = frame(setup);
      parentLink(null).post({});
      assert.deepEqual(f.targets, ['*'], JSON.stringify(setup));
    }

    // With a list: a listed parent gets the events and is obeyed.
    const list = ['https://a.example', 'https://course.example'];
    f = frame({ ancestor: 'https://course.example' });
    link = parentLink(list);
    link.post({});
    assert.deepEqual(f.targets, ['https://course.example']);
    assert.equal(link.accepts({ source: f.parent, origin: 'https://course.example' }), true);
    assert.equal(link.accepts({ source: f.other, origin: 'https://a.example' }), false, 'a listed origin in another window');
    assert.deepEqual(link.keep(), list);

    // A parent that is not listed gets nothing and is not obeyed.
    f = frame({ ancestor: 'https://evil.example' });
    link = parentLink(list);
    link.post({});
    assert.deepEqual(f.targets, []);
    assert.equal(link.accepts({ source: f.parent, origin: 'https://evil.example' }), false);
    link.post({});
    assert.deepEqual(f.targets, []);

    // A list and an unknown parent: each listed origin (the browser delivers where it matches).
    f = frame({});
    parentLink(list).post({});
    assert.deepEqual(f.targets, list);
  } finally {
    delete globalThis.window;
    delete globalThis.location;
    delete globalThis.document;
  }
});

// ---- in the browser -------------------------------------------------------------------------

/**
 * The course page on COURSE with a frame of the lab (`path` + `hash`, on the lab's origin) once
 * the lab's message API is installed; `page.got` reads the lab's messages the page received.
 */
async function courseWithLab(path, hash, { init = null } = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(PARENT_PAGE);
  assert.equal(await page.evaluate(() => location.origin), COURSE);
  await page.evaluate((src) => {
    window.got = [];
    const frame = document.createElement('iframe');
    frame.id = 'lab';
    frame.src = src;
    frame.width = '900';
    frame.height = '700';
    document.body.append(frame);
    window.addEventListener('message', (e) => {
      if (e.source === frame.contentWindow && e.data?.type === 'optiscape') window.got.push(e.data);
    });
    window.send = (msg) => frame.contentWindow.postMessage({ type: 'optiscape', ...msg }, new globalThis.URL(src).origin);
  }, `${URL}${path}${hash}`);
  const lab = await new Promise((resolve, reject) => {
    const t0 = Date.now();
    const look = () => {
      const f = page.frames().find((fr) => fr.url().startsWith(`${URL}${path}`));
      if (f) resolve(f);
      else if (Date.now() - t0 > 30_000) reject(new Error(`no frame of ${path}`));
      else setTimeout(look, 100);
    };
    look();
  });
  // Installed: the surface lab's API loads after the first picture; the classifier's at once.
  await lab.waitForFunction(() => (window.optiscape?.embed ?? window.classifier?.embed) !== undefined, null, { timeout: 60_000 });
  page.got = () => page.evaluate(() => window.got);
  return { context, page, lab, errors };
}

/** The surface lab's play state: `[playing, step, max]`. */
const labState = (lab) => lab.evaluate(() => [window.optiscape.playing, window.optiscape.lab.step(), window.optiscape.lab.max_step()]);

test('a course page on a listed origin pauses and plays the framed lab and hears its events', async () => {
  const { context, page, lab, errors } = await courseWithLab('index.html', `#v=1&s=rosenbrock&steps=1000&run=adam,lr=0.01&embed=minimal&origins=${ELSEWHERE},${COURSE}`);
  await page.waitForFunction(() => window.got.some((d) => d.event === 'ready'));
  const ready = (await page.got()).find((d) => d.event === 'ready');
  assert.ok(ready.hash.includes(`origins=${ELSEWHERE},${COURSE}`), ready.hash);
  // reset: step 0, paused; play: it moves; pause: it stops part-way.
  await page.evaluate(() => window.send({ action: 'reset' }));
  await lab.waitForFunction(() => !window.optiscape.playing && window.optiscape.lab.step() === 0);
  await page.evaluate(() => window.send({ action: 'play' }));
  await lab.waitForFunction(() => window.optiscape.playing && window.optiscape.lab.step() > 0);
  await page.evaluate(() => window.send({ action: 'pause' }));
  await lab.waitForFunction(() => !window.optiscape.playing);
  const [, step, max] = await labState(lab);
  assert.ok(step > 0 && step < max, `paused at ${step} of ${max}`);
  await page.waitForTimeout(400);
  assert.equal((await labState(lab))[1], step, 'it stays paused');
  await page.waitForFunction(() => window.got.some((d) => d.event === 'step' && d.playing));
  const steps = (await page.got()).filter((d) => d.event === 'step');
  assert.ok(steps.every((d) => d.max === max && d.step <= max), JSON.stringify(steps));
  // setState keeps the list: one in the message's hash does not replace it.
  await page.evaluate(() => {
    window.got = [];
    window.send({ action: 'setState', hash: '#v=1&s=bowl&steps=300&run=sgd,lr=0.1&origins=https://planted.example' });
  });
  await page.waitForFunction(() => window.got.some((d) => d.event === 'ready'), null, { timeout: 60_000 });
  const again = (await page.got()).find((d) => d.event === 'ready');
  assert.match(again.hash, /s=bowl/);
  assert.ok(again.hash.includes(`origins=${ELSEWHERE},${COURSE}`) && !again.hash.includes('planted'), again.hash);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a course page on an origin the list leaves out cannot drive the framed lab and hears nothing', async () => {
  const { context, page, lab, errors } = await courseWithLab('index.html', `#v=1&s=rosenbrock&steps=1000&run=adam,lr=0.01&embed=minimal&origins=${ELSEWHERE}`);
  // The lab runs and its API listens (its list is read from the link) ...
  assert.deepEqual(await lab.evaluate(() => window.optiscape.state.origins), [ELSEWHERE]);
  await lab.waitForFunction(() => !window.optiscape.playing);
  const before = await labState(lab);
  // ... but a pause, a reset, a play and a setState from this page change nothing.
  await page.evaluate(() => {
    window.send({ action: 'pause' });
    window.send({ action: 'reset' });
    window.send({ action: 'play' });
    window.send({ action: 'setState', scene: 'ravine' });
  });
  await page.waitForTimeout(1500);
  assert.deepEqual(await labState(lab), before);
  assert.doesNotMatch(await lab.evaluate(() => location.hash), /scene=ravine/);
  assert.deepEqual(await page.got(), [], 'no event reaches the page');
  assert.deepEqual(errors, []);
  await context.close();
});

test('without a list the lab posts its events to its parent\'s origin, not to "*", and obeys its parent', async () => {
  // In the framed lab (init scripts run in every frame), `window.parent` (replaceable) becomes
  // a spy that records the target origin of every postMessage and then posts.
  const spy = () => {
    if (window === window.top) return;
    const real = window.parent;
    window.postTargets = [];
    window.parent = new Proxy(real, {
      get: (target, key) => (key === 'postMessage' ? (msg, origin) => {
        window.postTargets.push(origin);
        target.postMessage(msg, origin);
      } : target[key]),
    });
  };
  const { context, page, lab, errors } = await courseWithLab('index.html', '#v=1&scene=saddle&embed=minimal', { init: spy });
  await page.waitForFunction(() => window.got.some((d) => d.event === 'ready'));
  const targets = await lab.evaluate(() => window.postTargets);
  assert.ok(targets.length >= 1, 'the lab posted');
  assert.deepEqual([...new Set(targets)], [COURSE]);
  assert.deepEqual(errors, []);
  await context.close();
  // Without the spy: the course page's commands (from another origin) are taken.
  const plain = await courseWithLab('index.html', '#v=1&s=rosenbrock&steps=1000&run=adam,lr=0.01&embed=minimal');
  await plain.page.evaluate(() => window.send({ action: 'reset' }));
  await plain.lab.waitForFunction(() => window.optiscape.lab.step() === 0);
  await plain.page.waitForFunction(() => window.got.some((d) => d.event === 'ready'));
  // The page a setState opens in the frame lists the parent that sent it.
  await plain.page.evaluate(() => {
    window.got = [];
    window.send({ action: 'setState', scene: 'ravine' });
  });
  await plain.page.waitForFunction(() => window.got.some((d) => d.event === 'ready' && d.scene === 'ravine'), null, { timeout: 60_000 });
  const ready = (await plain.page.got()).find((d) => d.event === 'ready');
  assert.ok(ready.hash.endsWith(`&origins=${COURSE}`), ready.hash);
  assert.deepEqual(plain.errors, []);
  await plain.context.close();
});

test('the classifier takes the same list: an unlisted course page cannot train it, a listed one can', async () => {
  // A bare scene link (rewritten into the scene's run as the page opens) keeps the list.
  for (const [origins, listed] of [[ELSEWHERE, false], [`${COURSE},${ELSEWHERE}`, true]]) {
    const { context, page, lab, errors } = await courseWithLab('classifier.html', `#v=1&scene=batchnorm&embed=minimal&origins=${origins}`);
    assert.deepEqual(await lab.evaluate(() => window.classifier.state.origins), origins.split(','));
    await lab.waitForFunction(() => window.classifier.ready, null, { timeout: 60_000 });
    await page.evaluate(() => window.send({ action: 'play' }));
    if (listed) {
      await lab.waitForFunction(() => window.classifier.stepsDone > 0, null, { timeout: 60_000 });
      await page.waitForFunction(() => window.got.some((d) => d.event === 'step' && d.lab === 'classifier'), null, { timeout: 30_000 });
      await page.evaluate(() => window.send({ action: 'pause' }));
      await lab.waitForFunction(() => !window.classifier.playing);
      assert.ok((await page.got()).some((d) => d.event === 'ready'), 'ready reached the page');
      // setState keeps the list: one in the message's hash does not replace it.
      await page.evaluate(() => {
        window.got = [];
        window.send({ action: 'setState', hash: '#v=1&data=gauss&classes=2&n=200&origins=https://planted.example' });
      });
      await page.waitForFunction(() => window.got.some((d) => d.event === 'ready'), null, { timeout: 60_000 });
      const ready = (await page.got()).find((d) => d.event === 'ready');
      assert.match(ready.hash, /data=gauss/);
      assert.ok(ready.hash.includes(`origins=${origins}`) && !ready.hash.includes('planted'), ready.hash);
    } else {
      await page.waitForTimeout(2000);
      assert.deepEqual(await lab.evaluate(() => [window.classifier.playing, window.classifier.stepsDone]), [false, 0]);
      assert.deepEqual(await page.got(), [], 'no event reaches the page');
    }
    // The page writes its hash with the list in it.
    assert.ok(await lab.evaluate((o) => location.hash.includes(`origins=${o}`), origins), origins);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('<optiscape-lab> passes its page\'s origin by default, and its origins attribute instead', async () => {
  // The element on a page of the lab's own origin (its module is loaded from there).
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${URL}tests/e2e/parent.html`);
  await page.evaluate(async (module) => {
    await import(module);
    window.events = [];
    const el = document.createElement('optiscape-lab');
    el.setAttribute('hash', `#v=1&s=bowl&steps=1000&run=sgd,lr=0.01&origins=${'https://planted.example'}&embed=full`);
    for (const name of ['ready', 'step']) el.addEventListener(name, (e) => window.events.push(e.detail));
    document.body.append(el);
  }, `${URL}www/embed/optiscape-lab.js`);
  await page.waitForFunction(() => window.events.some((d) => d.event === 'ready'), null, { timeout: 60_000 });
  const src = await page.evaluate(() => document.querySelector('optiscape-lab iframe').src);
  assert.match(src, new RegExp(`&embed=minimal&origins=${LAB.origin.replace(/[.]/g, '\\.')}$`), src);
  assert.doesNotMatch(src, /planted/);
  // The attribute replaces it; a page the list leaves out hears nothing and is not obeyed.
  await page.evaluate((o) => {
    window.events = [];
    document.querySelector('optiscape-lab').setAttribute('origins', `${o} not-an-origin`);
  }, ELSEWHERE);
  const lab = page.frames().find((f) => f.url().startsWith(`${URL}index.html`));
  await lab.waitForFunction((o) => location.hash.endsWith(`origins=${o}`) && window.optiscape?.embed, ELSEWHERE, { timeout: 60_000 });
  await lab.waitForFunction(() => !window.optiscape.playing);
  const step = await lab.evaluate(() => window.optiscape.lab.step());
  await page.evaluate(() => {
    const el = document.querySelector('optiscape-lab');
    el.ready = true; // as if the lab had said `ready`: send at once
    el.reset();
    el.play();
  });
  await page.waitForTimeout(1500);
  assert.deepEqual(await lab.evaluate(() => [window.optiscape.playing, window.optiscape.lab.step()]), [false, step]);
  assert.deepEqual(await page.evaluate(() => window.events), []);
  await context.close();
});

test('the embed dialog\'s snippets leave a link\'s origins out', async () => {
  const page = await openApp(browser, { hash: `#v=1&s=bowl&run=sgd,lr=0.01&origins=${ELSEWHERE}` });
  assert.deepEqual(await page.evaluate(() => window.optiscape.state.origins), [ELSEWHERE]);
  await page.getByRole('button', { name: 'Copy embed code' }).click();
  await page.locator('#embed-dialog').waitFor({ state: 'visible' });
  const iframe = await page.locator('#embed-iframe').inputValue();
  const element = await page.locator('#embed-element').inputValue();
  assert.match(iframe, /s=bowl/);
  assert.match(element, /hash="#v=1&amp;s=bowl/);
  assert.doesNotMatch(iframe, /origins/);
  assert.doesNotMatch(element, /origins/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a panic in a framed lab tells the course page `error`, restarts, and says `ready` again', async () => {
  const { context, page, lab } = await courseWithLab('index.html', `#v=1&s=bowl&steps=300&run=sgd,lr=0.1&embed=minimal&origins=${COURSE}`);
  await page.waitForFunction(() => window.got.some((d) => d.event === 'ready'));
  await page.evaluate(() => {
    window.got = [];
  });
  await lab.evaluate(async () => {
    const wasm = await import(new globalThis.URL('www/pkg-lab/optiscape.js', location.href).href);
    setTimeout(() => wasm.test_panic());
  });
  await page.waitForFunction(() => window.got.some((d) => d.event === 'ready'), null, { timeout: 60_000 });
  const got = await page.got();
  const error = got.findIndex((d) => d.event === 'error' && d.action === 'restart');
  assert.ok(error >= 0, JSON.stringify(got));
  assert.match(got[error].message, /internal error.*unreachable/);
  const ready = got.findIndex((d) => d.event === 'ready');
  assert.ok(ready > error, 'ready after the error');
  assert.ok(got[ready].hash.includes('s=bowl') && got[ready].hash.includes(`origins=${COURSE}`), got[ready].hash);
  await context.close();
});
