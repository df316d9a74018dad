#!/usr/bin/env node
// Writes docs/diagrams/<stack>.svg, .png and .mmd: the diagrams of the bundled stacks as this repository's
// deploy.yaml configures them (staging on, no SERVERPOD_DEPLOY_* overrides), shown by the README and each stack's
// doc. test/diagram-docs.test.ts regenerates the SVG and Mermaid text in memory and fails when the committed files
// differ, and checks that each PNG was drawn from the current SVG (its text chunk holds the SVG's SHA-256).
// Run it after changing a stack, deploy.yaml or the diagram code. It runs the TypeScript sources (through swc, as
// the tests do), so it needs no build.
//
//   node scripts/diagram-docs.js           rewrite the files that changed
//   node scripts/diagram-docs.js --check   write nothing; exit 1 when a file is stale
'use strict';
const { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const ROOT = join(__dirname, '..');
/** The stacks whose diagrams the docs show. */
const STACKS = ['cluster-gcp', 'serverless-gcp', 'cluster-aws'];
const FOLDER = join(ROOT, 'docs', 'diagrams');

/**
 * The bundled stacks synthesized from deploy.yaml into a temporary folder, read as stack models. `load` is the
 * module loader: the test passes its own (jest transforms the TypeScript sources), the script a swc hook.
 */
function bundledStacks(load = require) {
  const { App } = load('cdktf');
  const { parseConfig } = load(join(ROOT, 'lib', 'config', 'load'));
  const { createStacks } = load(join(ROOT, 'stacks', 'app'));
  const { loadSynthesizedStacks } = load(join(ROOT, 'lib', 'model', 'stack-model'));
  const config = parseConfig(readFileSync(join(ROOT, 'deploy.yaml'), 'utf8'), { source: 'deploy.yaml', env: {} });
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf-serverpod-diagrams-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    createStacks(app, config, { guardrails: false });
    app.synth();
    return loadSynthesizedStacks(outdir, STACKS);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The files of each documented diagram: path → content (text, or the PNG's bytes when `png`). */
function docFiles(models, load = require, png = true) {
  const docs = load(join(ROOT, 'lib', 'diagram', 'docs'));
  const files = new Map();
  for (const model of models) {
    const doc = docs.docDiagram(model);
    files.set(join(FOLDER, `${model.name}.svg`), doc.svg);
    files.set(join(FOLDER, `${model.name}.mmd`), doc.mermaid);
    if (png) files.set(join(FOLDER, `${model.name}.png`), { doc, bytes: () => docs.docPng(doc) });
  }
  return files;
}

const { registerTypeScript } = require('./register-ts');

function main(argv) {
  const check = argv.includes('--check');
  registerTypeScript();
  const docs = require(join(ROOT, 'lib', 'diagram', 'docs'));
  const files = docFiles(bundledStacks(), require);
  const stale = [];
  for (const [file, content] of files) {
    const name = file.slice(ROOT.length + 1);
    if (typeof content === 'string') {
      if (existsSync(file) && readFileSync(file, 'utf8') === content) continue;
      stale.push(name);
      if (!check) {
        mkdirSync(FOLDER, { recursive: true });
        writeFileSync(file, content);
      }
      continue;
    }
    // A PNG is redrawn only when its SVG changed: the bytes of an unchanged one stay as committed.
    const current = existsSync(file) ? docs.readPng(readFileSync(file)).text[docs.SVG_HASH_KEY] : undefined;
    if (current === content.doc.svgHash) continue;
    stale.push(name);
    if (!check) writeFileSync(file, content.bytes());
  }
  require(join(ROOT, 'lib', 'diagram', 'render')).closeRenderer();
  if (stale.length === 0) {
    process.stdout.write('docs/diagrams: up to date\n');
    return 0;
  }
  process.stdout.write(`${check ? 'stale' : 'wrote'}: ${stale.join(', ')}\n`);
  return check ? 1 : 0;
}

module.exports = { STACKS, FOLDER, bundledStacks, docFiles };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
