// Export: a PNG of the surface view (heatmap, contours, markers and runs in one image), and
// CSV / JSON of every run (written by Rust).

/** Offers `blob` as a download named `name`. */
export const download = (blob, name) => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
};

/** The 2-D view as one canvas (the layers stacked), for the PNG. */
export function composite() {
  const overlay = document.getElementById('overlay');
  const out = document.createElement('canvas');
  out.width = overlay.width;
  out.height = overlay.height;
  const ctx = out.getContext('2d');
  for (const id of ['heatmap', 'contours', 'overlay']) {
    ctx.drawImage(document.getElementById(id), 0, 0, out.width, out.height);
  }
  return out;
}

export function exportPng() {
  composite().toBlob((blob) => blob && download(blob, 'optiscape.png'), 'image/png');
}

export function exportCsv(app) {
  app.whenWhole(() => download(new Blob([app.lab.runs_csv()], { type: 'text/csv' }), 'optiscape-runs.csv'));
}

export function exportJson(app) {
  app.whenWhole(() => download(new Blob([app.lab.runs_json()], { type: 'application/json' }), 'optiscape-runs.json'));
}
