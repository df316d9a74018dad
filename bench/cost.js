#!/usr/bin/env node
// Cost estimate benchmark (prints figures; never a test). Needs `npm run build` first.
//  1. synthesizes deploy.yaml's stacks (cluster-gcp, cluster-aws, serverless-gcp, staging on) into bench/.out-cost
//  2. per stack, `cdktf-serverpod cost <stack>` as a fresh process (node start, module load, read, estimate, table)
//  3. per stack, in one warm process: read cdk.tf.json, estimate, render the table, the JSON and the Markdown
// Target: under 1 s per stack after synth, cold.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(__dirname, '.out-cost');
const RUNS = Number(process.env.BENCH_RUNS || 5);
const STACKS = ['cluster-gcp', 'cluster-aws', 'serverless-gcp'];

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main() {
  for (const file of ['dist/stacks/main.js', 'dist/cli/cost.js', 'dist/lib/cost/index.js']) {
    if (!fs.existsSync(path.join(ROOT, file))) throw new Error(`no ${file}: run \`npm run build\` first`);
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  const synth = spawnSync(process.execPath, ['dist/stacks/main.js'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: OUT } });
  if (synth.status !== 0) throw new Error(`synth failed:\n${synth.stderr}`);

  // 2. A fresh process per run, as `npx cdktf-serverpod cost <stack>` runs (without npx's own start-up).
  const cold = {};
  const script = "process.exitCode = require('./dist/cli/cost').cost(process.argv.slice(1), { cwd: process.cwd(), stdout: { write() {} }, stderr: process.stderr })";
  for (const stack of STACKS) {
    cold[stack] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['-e', script, '--', '-o', OUT, stack], { cwd: ROOT, encoding: 'utf8' });
      cold[stack].push(Number(process.hrtime.bigint() - started) / 1e6);
      if (r.status !== 0) throw new Error(`cost ${stack} failed (${r.status}):\n${r.stderr}`);
    }
  }

  // 3. Warm, in this process: the estimate itself.
  const { loadSynthesizedStacks } = require(path.join(ROOT, 'dist/lib/model/stack-model'));
  const cost = require(path.join(ROOT, 'dist/lib/cost'));
  const warm = {};
  const resources = {};
  for (const stack of STACKS) {
    warm[stack] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const started = process.hrtime.bigint();
      const models = loadSynthesizedStacks(OUT, [stack]);
      const estimate = cost.estimateCosts(models);
      cost.renderCostTable(estimate);
      cost.renderCostJson(estimate);
      cost.renderCostMarkdown(estimate);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (i > 0) warm[stack].push(ms); // the first run loads and compiles the modules
      resources[stack] = models[0].resources.length;
    }
  }

  const rows = STACKS.map((s) => [s, String(resources[s]), median(cold[s]).toFixed(0), median(warm[s]).toFixed(1)]);
  const head = ['stack', 'resources', 'cold process (ms)', 'warm estimate + render (ms)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write(`cdktf-serverpod cost, median of ${RUNS} runs (node ${process.version})\n${line(head)}\n${rows.map(line).join('\n')}\n`);
  const worst = Math.max(...STACKS.map((s) => median(cold[s])));
  process.stdout.write(`target: under 1000 ms per stack after synth: ${worst < 1000 ? 'met' : 'NOT MET'} (slowest ${worst.toFixed(0)} ms)\n`);
  fs.rmSync(OUT, { recursive: true, force: true });
}

main();
