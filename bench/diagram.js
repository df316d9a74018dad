#!/usr/bin/env node
// Diagram benchmark (prints figures; never a test). Needs the build: `npm run build && node bench/diagram.js`.
// Synthesizes the bundled stacks once (deploy.yaml, staging on), then, in a fresh process per run (a cold start, as
// the CLI has), draws all three stacks in every format (model, SVG, PNG, Mermaid, DOT) the way
// `cdktf-serverpod diagram` does, and once more with the docs' PNG width:
//   render   from the synthesized JSON read to the last file written (WebAssembly loading included)
//   process  the whole `cdktf-serverpod diagram` process, node's own start included
// Target: render under 2 s (the median of BENCH_RUNS runs, 5 by default).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS || 5);
const TARGET_MS = 2000;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One cold run in its own process: the CLI's work, timed inside (render) and outside (process). */
function run(outdir, extraArgs) {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-bench-out-'));
  const code = `
    const started = process.hrtime.bigint();
    const { diagram } = require(${JSON.stringify(path.join(ROOT, 'dist', 'cli', 'diagram.js'))});
    const io = { cwd: process.cwd(), stdout: { write() {} }, stderr: process.stderr };
    const code = diagram(${JSON.stringify(['--out', target, ...extraArgs])}, io);
    process.stdout.write(JSON.stringify({ code, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  `;
  const began = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir } });
  const processMs = Number(process.hrtime.bigint() - began) / 1e6;
  if (r.status !== 0) throw new Error(`diagram run failed (${r.status}):\n${r.stderr}`);
  const { code: exit, ms } = JSON.parse(r.stdout);
  if (exit !== 0) throw new Error(`cdktf-serverpod diagram exited ${exit}:\n${r.stderr}`);
  const files = fs.readdirSync(target).length;
  fs.rmSync(target, { recursive: true, force: true });
  return { renderMs: ms, processMs, files };
}

function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'diagram.js'))) throw new Error('no dist/cli/diagram.js: run `npm run build` first');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-bench-synth-'));
  try {
    const synth = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'stacks', 'main.js')], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, SERVERPOD_DEPLOY_CONFIG: path.join(ROOT, 'deploy.yaml') },
    });
    if (synth.status !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
    const stacks = fs.readdirSync(path.join(outdir, 'stacks'));
    const resources = stacks.reduce((n, s) => n + Object.values(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')).resource ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0), 0);
    console.log(`${stacks.length} stacks (${stacks.join(', ')}), ${resources} resources; ${RUNS} cold runs each; ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
    const cases = [
      ['every format, PNG at the SVG’s size (the CLI’s default)', []],
      ['every format, PNG 880 px wide (the docs)', ['--width', '880']],
      ['SVG and Mermaid only', ['--format', 'svg,mermaid']],
    ];
    let verdict = true;
    for (const [name, args] of cases) {
      const runs = Array.from({ length: RUNS }, () => run(outdir, args));
      const render = median(runs.map((r) => r.renderMs));
      const whole = median(runs.map((r) => r.processMs));
      const ok = render < TARGET_MS;
      if (args.length === 0) verdict = ok;
      console.log(`${name}: render ${render.toFixed(0)} ms (min ${Math.min(...runs.map((r) => r.renderMs)).toFixed(0)}, max ${Math.max(...runs.map((r) => r.renderMs)).toFixed(0)}), process ${whole.toFixed(0)} ms, ${runs[0].files} files${ok ? '' : `  ABOVE the ${TARGET_MS} ms target`}`);
    }
    console.log(verdict ? `render of all three stacks in every format: under ${TARGET_MS} ms` : `render of all three stacks in every format: over ${TARGET_MS} ms`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
