// The mapping between surface coordinates (x, y) and canvas pixels: y grows upwards on the
// surface and downwards on the canvas. Drawing only; every value comes from the core.

export class Viewport {
  /** `view` is the core's view box `[x0, x1, y0, y1]`; width/height in canvas pixels. */
  constructor(view, width, height) {
    [this.x0, this.x1, this.y0, this.y1] = view;
    this.width = width;
    this.height = height;
  }

  /** Canvas pixel of a surface point. */
  toCanvas(x, y) {
    return [
      ((x - this.x0) / (this.x1 - this.x0)) * this.width,
      ((this.y1 - y) / (this.y1 - this.y0)) * this.height,
    ];
  }

  /** Surface point under a canvas pixel. */
  toSurface(px, py) {
    return [
      this.x0 + (px / this.width) * (this.x1 - this.x0),
      this.y1 - (py / this.height) * (this.y1 - this.y0),
    ];
  }
}
