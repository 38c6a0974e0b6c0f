// Writes the classifier's WGSL kernels (www/classifier/gpu/kernels.js) as NAME.wgsl files into
// a folder, for www/bench/wgpu/bench_gpu.py:   node www/bench/wgpu/dump.mjs DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KERNELS, kernelSource } from '../../classifier/gpu/kernels.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node www/bench/wgpu/dump.mjs DIR');
mkdirSync(dir, { recursive: true });
for (const name of KERNELS) writeFileSync(join(dir, `${name}.wgsl`), kernelSource(name));
