#!/usr/bin/env node
// Synth benchmark (prints figures; never a test). Run with `npm run bench` (builds first).
//  1. the app process alone: node dist/stacks/main.js on deploy.yaml (all stacks, staging on): time, peak RSS
//  2. `cdktf synth` end to end for this app, against `cdktf synth` of an empty cdktf app, in the same run
//  3. a bench app of 50 environments (each a full GcpServerCluster), against one environment
//  4. the bundled stacks with the guardrails on, against the same without them
// Targets: (2) within 1.15x of the empty app; (1) under 1 s and 300 MiB; (3) within 3x; (4) within 1.05x.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(__dirname, '.out');
const RUNS = Number(process.env.BENCH_RUNS || 5);
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const env = { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true', FORCE_COLOR: '0' };

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function timed(cmd, args, options) {
  const rssFile = path.join(OUT, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...env, BENCH_RSS_FILE: rssFile, ...(options.env || {}) }, cwd: options.cwd || ROOT });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  let rssKiB;
  if (fs.existsSync(rssFile)) {
    rssKiB = Number(fs.readFileSync(rssFile, 'utf8'));
    fs.rmSync(rssFile);
  }
  return { ms, rssKiB, stdout: r.stdout };
}

function emptyApp() {
  const dir = path.join(OUT, 'empty-app');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.js'), "const { App } = require('cdktf');\nnew App().synth();\n");
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node main.js', sendCrashReports: 'false', terraformProviders: [] }));
  return dir;
}

function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'stacks', 'main.js'))) throw new Error('run `npm run build` first (npm run bench does)');
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const probe = ['-r', path.join(__dirname, 'rss-probe.js')];
  const empty = emptyApp();

  // 1. App process alone.
  const appRuns = [];
  for (let i = 0; i < RUNS; i++) appRuns.push(timed(process.execPath, [...probe, 'dist/stacks/main.js'], { env: { CDKTF_OUTDIR: path.join(OUT, 'app') } }));

  // 2. cdktf synth end to end, alternating with the empty app so both see the same machine state.
  const synthOurs = [];
  const synthEmpty = [];
  for (let i = 0; i < RUNS; i++) {
    synthEmpty.push(timed(CDKTF, ['synth', '--output', path.join(OUT, 'empty-out')], { cwd: empty }).ms);
    synthOurs.push(timed(CDKTF, ['synth', '--output', path.join(OUT, 'synth-out')], {}).ms);
  }

  // 3. Environments.
  const envRuns = {};
  for (const n of [1, 50]) {
    envRuns[n] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = timed(process.execPath, [...probe, path.join(__dirname, 'environments-app.js'), String(n), path.join(OUT, `envs-${n}`)], {});
      envRuns[n].push({ processMs: r.ms, inProcessMs: Number(r.stdout.trim()), rssKiB: r.rssKiB });
    }
  }

  // 4. Guardrails on and off, alternating.
  const guard = { on: [], off: [] };
  for (let i = 0; i < RUNS * 2; i++) {
    for (const mode of ['off', 'on']) {
      const r = timed(process.execPath, [path.join(__dirname, 'guardrails-app.js'), mode, path.join(OUT, `guard-${mode}`)], {});
      guard[mode].push({ processMs: r.ms, inProcessMs: Number(r.stdout.trim()) });
    }
  }

  const appMs = median(appRuns.map((r) => r.ms));
  const appMiB = Math.max(...appRuns.map((r) => r.rssKiB)) / 1024;
  const oursMs = median(synthOurs);
  const emptyMs = median(synthEmpty);
  const e1 = median(envRuns[1].map((r) => r.processMs));
  const e50 = median(envRuns[50].map((r) => r.processMs));
  const e1in = median(envRuns[1].map((r) => r.inProcessMs));
  const e50in = median(envRuns[50].map((r) => r.inProcessMs));
  const e50MiB = Math.max(...envRuns[50].map((r) => r.rssKiB)) / 1024;

  const rows = [
    ['app process (all stacks, staging on)', `${appMs.toFixed(0)} ms`, `${appMiB.toFixed(0)} MiB peak RSS`, appMs < 1000 && appMiB < 300 ? 'ok (< 1 s, < 300 MiB)' : 'MISSED (< 1 s, < 300 MiB)'],
    ['cdktf synth, this app', `${oursMs.toFixed(0)} ms`, '', ''],
    ['cdktf synth, empty app', `${emptyMs.toFixed(0)} ms`, '', ''],
    ['  ratio this / empty', `${(oursMs / emptyMs).toFixed(3)}x`, '', oursMs / emptyMs <= 1.15 ? 'ok (<= 1.15x)' : 'MISSED (<= 1.15x)'],
    ['bench app, 1 cluster environment', `${e1.toFixed(0)} ms`, `in process ${e1in.toFixed(0)} ms`, ''],
    ['bench app, 50 cluster environments', `${e50.toFixed(0)} ms`, `in process ${e50in.toFixed(0)} ms, ${e50MiB.toFixed(0)} MiB`, ''],
    ['  ratio 50 / 1 (process)', `${(e50 / e1).toFixed(2)}x`, `in process ${(e50in / e1in).toFixed(2)}x`, e50 / e1 <= 3 ? 'ok (<= 3x)' : 'MISSED (<= 3x)'],
  ];
  const gOff = median(guard.off.map((r) => r.processMs));
  const gOn = median(guard.on.map((r) => r.processMs));
  const gOffIn = median(guard.off.map((r) => r.inProcessMs));
  const gOnIn = median(guard.on.map((r) => r.inProcessMs));
  rows.push(
    ['bundled stacks, guardrails off', `${gOff.toFixed(0)} ms`, `in process ${gOffIn.toFixed(0)} ms`, ''],
    ['bundled stacks, guardrails on', `${gOn.toFixed(0)} ms`, `in process ${gOnIn.toFixed(0)} ms`, ''],
    ['  ratio on / off (process)', `${(gOn / gOff).toFixed(3)}x`, `in process ${(gOnIn / gOffIn).toFixed(3)}x`, gOn / gOff <= 1.05 ? 'ok (<= 1.05x)' : 'MISSED (<= 1.05x)'],
  );
  const width = rows.map((r) => r.map((c) => c.length)).reduce((w, r) => w.map((x, i) => Math.max(x, r[i])));
  console.log(`cdktf-serverpod synth benchmark: median of ${RUNS} runs, node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`);
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd());
  fs.rmSync(OUT, { recursive: true, force: true });
}

main();
