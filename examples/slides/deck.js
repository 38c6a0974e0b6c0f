// The example deck's set-up: reveal.js at its usual 960 × 700 (scaled to the window), the
// slide number in the URL hash. The labs need nothing from the deck: each <optiscape-lab>
// pauses on its own while its slide is not shown.
import Reveal from './reveal/reveal.mjs';

const deck = new Reveal({ hash: true, width: 960, height: 700, transition: 'slide', controls: true, progress: true });
deck.initialize().then(() => {
  window.deck = deck;
  document.body.dataset.ready = 'true';
});
