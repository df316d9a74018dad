// Bench app: the bundled stacks from deploy.yaml, synthesized with the guardrails on or off, to show what they
// cost. Usage: node bench/guardrails-app.js on|off OUTDIR. Prints the in-process time in ms.
'use strict';
const path = require('path');
const { App } = require('cdktf');
const { loadConfig } = require('../dist/lib/config/load');
const { createStacks } = require('../dist/stacks/app');

// As the bundled app does (stacks/run.ts): no per-token stack traces.
require('cdktf/lib/tokens/private/stack-trace').captureStackTrace = () => [];

const on = process.argv[2] === 'on';
const started = process.hrtime.bigint();
const app = new App({ outdir: process.argv[3], stackTraces: false });
createStacks(app, loadConfig({ path: path.join(__dirname, '..', 'deploy.yaml') }), { guardrails: on ? { print: false } : false });
app.synth();
console.log(String(Number(process.hrtime.bigint() - started) / 1e6));
