import type { Worker } from 'worker_threads';
import { DIAGRAM_FONT, SVG_FONT_STACK } from './style';

/**
 * SVG and PNG from DOT without a native install: Graphviz compiled to WebAssembly (@viz-js/viz) lays out and draws
 * the SVG; resvg compiled to WebAssembly (@resvg/resvg-wasm) draws the PNG with DejaVu Sans (assets/fonts, in the package), the
 * font the layout measured text with. Nothing is fetched at run time.
 *
 * Both libraries only start asynchronously, while the CLI and a cdktf app are synchronous: they run in one worker
 * thread, started on first use, and each call blocks until the worker answers (Atomics.wait). The libraries are
 * loaded only then, so `cdktf synth` never pays for them.
 */

/** Options of the PNG rendering. */
export interface PngOptions {
  /**
   * Width of the image in pixels; the height follows the diagram's proportions.
   * @default the SVG's own width at 96 dpi (4/3 pixel per point)
   */
  readonly width?: number;
  /**
   * Background colour (CSS).
   * @default 'white'
   */
  readonly background?: string;
}

/** How long one rendering may take before the call gives up. */
const TIMEOUT_MS = 60_000;

/** The worker's code, plain JavaScript so it runs from the compiled package and under ts-jest/swc alike. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const { readFileSync } = require('fs');
const v8 = require('v8');
let viz;
let resvg;
let font;
// Both modules are large and each rendering runs their code a few times only: V8's baseline compiler alone
// (Liftoff) draws the three bundled stacks several times faster than tiering up to optimized code, which a cold
// process pays for on every first picture. The flag is process-wide, so it is set only while they compile.
async function compiled(load) {
  v8.setFlagsFromString('--liftoff-only');
  try {
    return await load();
  } finally {
    v8.setFlagsFromString('--no-liftoff-only');
  }
}
async function handle(request) {
  if (request.op === 'svg') {
    viz = viz || (await compiled(() => require(workerData.viz).instance()));
    const result = viz.render(request.dot, { format: 'svg' });
    // An error-level message fails the picture even with status success: Graphviz then drops what it could not read.
    const errors = result.errors.filter((e) => e.level !== 'warning');
    if (result.status !== 'success' || errors.length > 0) throw new Error(errors.map((e) => e.message.trim()).join('; ') || 'Graphviz failed');
    return result.output;
  }
  if (!resvg) {
    const module = require(workerData.resvg);
    await compiled(() => module.initWasm(readFileSync(workerData.wasm)));
    font = readFileSync(workerData.font);
    resvg = module;
  }
  const options = {
    font: { fontBuffers: [font], defaultFontFamily: workerData.family },
    background: request.background,
    // Unhinted outlines: as sharp at this size, and several times faster than the hinted default.
    textRendering: 2,
    fitTo: request.width ? { mode: 'width', value: request.width } : { mode: 'original' },
  };
  const renderer = new resvg.Resvg(request.svg, options);
  const image = renderer.render();
  const png = image.asPng();
  image.free();
  renderer.free();
  return png;
}
parentPort.on('message', ({ request, port, signal }) => {
  handle(request).then(
    (value) => port.postMessage({ ok: true, value }),
    (error) => port.postMessage({ ok: false, error: String((error && error.message) || error) }),
  ).finally(() => {
    port.close();
    const flag = new Int32Array(signal);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});
`;

let worker: Worker | undefined;

/* eslint-disable @typescript-eslint/no-require-imports */
function startWorker(): Worker {
  if (worker) return worker;
  const { Worker: WorkerClass } = require('worker_threads') as typeof import('worker_threads');
  const resolve = (id: string) => {
    try {
      return require.resolve(id);
    } catch {
      throw new Error(`cannot find ${id}: reinstall cdktf-serverpod's dependencies (npm install) to render diagrams`);
    }
  };
  worker = new WorkerClass(WORKER_SOURCE, {
    eval: true,
    workerData: {
      viz: resolve('@viz-js/viz'),
      resvg: resolve('@resvg/resvg-wasm'),
      wasm: resolve('@resvg/resvg-wasm/index_bg.wasm'),
      font: fontFile(),
      family: DIAGRAM_FONT,
    },
  });
  // The worker never keeps the process alive; it ends with it.
  worker.unref();
  return worker;
}

/**
 * DejaVu Sans, kept in the package (assets/fonts, with its licence) rather than as the 12 MB font package: the
 * only file the PNG needs. From lib/diagram (tests) or dist/lib/diagram (the built package).
 */
function fontFile(): string {
  const { existsSync } = require('fs') as typeof import('fs');
  const { join } = require('path') as typeof import('path');
  const candidates = [join(__dirname, '..', '..', 'assets', 'fonts', 'DejaVuSans.ttf'), join(__dirname, '..', '..', '..', 'assets', 'fonts', 'DejaVuSans.ttf')];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`cannot find assets/fonts/DejaVuSans.ttf of cdktf-serverpod (looked in ${candidates.join(', ')}): reinstall the package to render PNG diagrams`);
  return found;
}

/** Sends one request to the worker and blocks until it answers. */
function call<T>(request: Record<string, unknown>): T {
  const { MessageChannel, receiveMessageOnPort } = require('worker_threads') as typeof import('worker_threads');
  const target = startWorker();
  const signal = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  try {
    target.postMessage({ request, port: port2, signal }, [port2]);
    if (Atomics.wait(new Int32Array(signal), 0, 0, TIMEOUT_MS) === 'timed-out') {
      closeRenderer();
      throw new Error(`rendering the diagram took more than ${TIMEOUT_MS / 1000} s`);
    }
    const reply = receiveMessageOnPort(port1)?.message as { ok: true; value: T } | { ok: false; error: string } | undefined;
    if (!reply) throw new Error('the diagram renderer stopped without an answer');
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  } finally {
    port1.close();
  }
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Lays out and draws DOT as SVG with Graphviz (WebAssembly). The font is given with fallbacks (Verdana, Geneva,
 * sans-serif) for viewers without DejaVu Sans. Throws with Graphviz's message on DOT it cannot read.
 */
export function renderSvg(dot: string): string {
  const svg = call<string>({ op: 'svg', dot });
  return svg.split(`font-family="${DIAGRAM_FONT}"`).join(`font-family="${SVG_FONT_STACK}"`);
}

/** Draws an SVG (as `renderSvg` gives it) as a PNG with resvg (WebAssembly) and the bundled DejaVu Sans. */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  const png = call<Uint8Array>({ op: 'png', svg, width: options.width, background: options.background ?? 'white' });
  return png instanceof Uint8Array ? png : new Uint8Array(png);
}

/** Stops the renderer's worker thread (it is started again on the next rendering). Needed only to free it early. */
export function closeRenderer(): void {
  const running = worker;
  worker = undefined;
  if (running) void running.terminate();
}
