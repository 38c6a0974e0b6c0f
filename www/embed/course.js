// The mock course page (embed.html): buttons that drive the embedded <optiscape-lab> through its
// methods, and a line that shows the events it forwards.

import { registerOffline } from '../common/offline.js';

const lab = document.getElementById('ravine-lab');
const log = document.getElementById('course-events');
const seen = [];

// The site's worker once the lab has drawn (common/offline.js says why not before).
lab.addEventListener('ready', registerOffline, { once: true });

for (const name of ['ready', 'step', 'divergence', 'error']) {
  lab.addEventListener(name, (e) => {
    const d = e.detail;
    const text = name === 'step' ? `step ${d.step} / ${d.max}` : `${name}${d.scene ? ` (${d.scene})` : ''}`;
    seen.push(text);
    log.textContent = `Events from the lab: ${seen.slice(-6).join(' · ')}`;
    document.body.dataset[`got${name[0].toUpperCase()}${name.slice(1)}`] = String(Number(document.body.dataset[`got${name[0].toUpperCase()}${name.slice(1)}`] ?? 0) + 1);
  });
}

document.getElementById('course-play').addEventListener('click', () => lab.play());
document.getElementById('course-pause').addEventListener('click', () => lab.pause());
document.getElementById('course-reset').addEventListener('click', () => lab.reset());
document.getElementById('course-adam').addEventListener('click', () => lab.setState('adam'));
