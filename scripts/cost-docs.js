#!/usr/bin/env node
// Rewrites the generated sections of docs/cost.md: the bundled stacks' monthly cost side by side (at their defaults
// and at their smallest, production only and with staging), the command's own output for one configuration, the
// usage keys, the free tier, the free resource types and the price table. Each section sits between
// `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; the prose around them is kept. README.md gets the sections
// it has markers for (the comparison, say). test/cost-docs.test.ts regenerates both and fails when one differs.
//
//   node scripts/cost-docs.js          rewrite docs/cost.md
//   node scripts/cost-docs.js --check  exit 1 when docs/cost.md is stale
//
// It synthesizes the stacks in memory from the TypeScript sources (compiled on the fly with @swc/core, a dev
// dependency), so it needs no build and always matches the working tree.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const DOC = path.join(ROOT, 'docs', 'cost.md');

const { registerTypeScript } = require('./register-ts');

/** The environments of a column. */
const ENVIRONMENTS = { production: '[production]', staging: '[production, staging]' };

/**
 * The configurations compared. `defaults` writes only what each stack requires; `smallest` takes the least each
 * stack allows while keeping what it serves: one e2-micro / t4g.micro server, at most one Cloud Run instance per
 * service, and Cloud Run domain mappings instead of the load balancer.
 */
const CONFIGS = {
  defaults: (environments) => `domain: example.com
environments: ${environments}
stacks:
  cluster-gcp: { project: example-cluster }
  serverless-gcp: { project: example-run, domain: run.example.com }
  cluster-aws: { domain: aws.example.com }
`,
  smallest: (environments) => `domain: example.com
environments: ${environments}
stacks:
  cluster-gcp:
    project: example-cluster
    sizes:
      production: { machineType: e2-micro, minInstances: 1, maxInstances: 1, databaseTier: db-f1-micro }
      staging: { machineType: e2-micro, minInstances: 1, maxInstances: 1, databaseTier: db-f1-micro }
  serverless-gcp:
    project: example-run
    domain: run.example.com
    domains: domain-mappings
    sizes:
      production: { minInstances: 0, maxInstances: 1, databaseTier: db-f1-micro }
      staging: { minInstances: 0, maxInstances: 1, databaseTier: db-f1-micro }
  cluster-aws:
    domain: aws.example.com
    architecture: arm64
    sizes:
      production: { instanceType: t4g.micro, minInstances: 1, maxInstances: 1, databaseInstanceClass: db.t4g.micro }
      staging: { instanceType: t4g.micro, minInstances: 1, maxInstances: 1, databaseInstanceClass: db.t4g.micro }
`,
};

/** The columns of the comparison, in order. */
const COLUMNS = [
  { title: 'defaults, production', config: 'defaults', environments: 'production' },
  { title: 'defaults, with staging', config: 'defaults', environments: 'staging' },
  { title: 'smallest, production', config: 'smallest', environments: 'production' },
  { title: 'smallest, with staging', config: 'smallest', environments: 'staging' },
];

/** The bundled stacks a configuration makes, synthesized in memory and read as stack models. */
function synthModels(configText) {
  registerTypeScript();
  const { App } = require('cdktf');
  const { parseConfig } = require('../lib/config/load');
  const { createStacks } = require('../stacks/app');
  const { StackModel } = require('../lib/model/stack-model');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-docs-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    const stacks = createStacks(app, parseConfig(configText, { source: 'scripts/cost-docs.js', env: {} }));
    return Object.entries(stacks).map(([id, stack]) => StackModel.fromJson(stack.toTerraform(), id));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The generated sections, by name. */
function sections() {
  registerTypeScript();
  const cost = require('../lib/cost');
  // The price table's own date: the generated text does not change as the table ages.
  const today = new Date(`${cost.priceTableDate()}T00:00:00Z`);
  const estimates = new Map();
  for (const column of COLUMNS) {
    const key = `${column.config}/${column.environments}`;
    if (!estimates.has(key)) estimates.set(key, cost.estimateCosts(synthModels(CONFIGS[column.config](ENVIRONMENTS[column.environments])), { today }));
  }
  const columns = COLUMNS.map((c) => ({ title: c.title, estimate: estimates.get(`${c.config}/${c.environments}`) }));
  const fence = (lang, text) => `\`\`\`${lang}\n${text.trimEnd()}\n\`\`\``;
  const usageRows = Object.entries(cost.COST_USAGE_KEYS).flatMap(([type, keys]) => Object.entries(keys).map(([key, what]) => `| \`${type}\` | \`${key}\` | ${what} |`));
  const allowances = cost.FREE_ALLOWANCES.map((a) => `| ${a.cloud === 'gcp' ? 'Google Cloud' : 'AWS'} | ${a.description} | ${a.regions.join(', ')} | [${new URL(a.source).hostname}${new URL(a.source).pathname}](${a.source}) (${a.taken}) |`);
  return {
    comparison: cost.renderComparisonMarkdown(columns).trimEnd(),
    configs: [
      'Defaults (`environments: [production]` for the first column, `[production, staging]` for the second):',
      '',
      fence('yaml', CONFIGS.defaults(ENVIRONMENTS.production)),
      '',
      'Smallest:',
      '',
      fence('yaml', CONFIGS.smallest(ENVIRONMENTS.production)),
    ].join('\n'),
    output: ['<details><summary><code>cdktf-serverpod cost --markdown</code> of the defaults, production only</summary>', '', cost.renderCostMarkdown(estimates.get('defaults/production')).trimEnd(), '', '</details>'].join('\n'),
    'usage-keys': ['| Resource type | Key | Monthly amount |', '|---|---|---|', ...usageRows].join('\n'),
    prices: cost.renderPriceTableMarkdown(),
    'free-tier': ['| Cloud | Free each month | Regions | Source (date) |', '|---|---|---|---|', ...allowances].join('\n'),
    'free-types': [
      '| Resource type | Why it is $0 | Source |',
      '|---|---|---|',
      ...Object.entries(cost.FREE_RESOURCE_TYPES).map(([type, f]) => `| \`${type}\` | ${f.reason} | [${new URL(f.source).hostname}${new URL(f.source).pathname}](${f.source}) |`),
      `| \`${cost.LOCAL_PROVIDERS.map((p) => (p.endsWith('_') ? `${p}*` : p)).join('`, `')}\` | they exist only in Terraform state | |`,
    ].join('\n'),
  };
}

/**
 * `text` with its generated sections replaced. In docs/cost.md (`required`) every section must be there; another
 * file (README.md) rewrites only the sections it has, so a summary pasted there between the markers stays current.
 */
function costDocs(text, required = true, generated = sections()) {
  let out = text;
  for (const [name, body] of Object.entries(generated)) {
    const begin = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from < 0 || to < from) {
      if (required) throw new Error(`docs/cost.md has no section ${begin} … ${end}`);
      continue;
    }
    out = `${out.slice(0, from + begin.length)}\n${body}\n${out.slice(to)}`;
  }
  return out;
}

/** The files the script keeps current: docs/cost.md, and README.md where it has a generated section. */
const FILES = [
  { file: DOC, required: true },
  { file: path.join(ROOT, 'README.md'), required: false },
];

/** Each file with its current text and the text it should have. */
function regenerate() {
  const generated = sections();
  return FILES.map(({ file, required }) => {
    const current = fs.readFileSync(file, 'utf8');
    return { file, current, next: costDocs(current, required, generated) };
  });
}

module.exports = { costDocs, regenerate, CONFIGS, COLUMNS, DOC };

if (require.main === module) {
  const stale = regenerate().filter((f) => f.next !== f.current);
  const names = stale.map((f) => path.relative(ROOT, f.file)).join(', ');
  if (process.argv.includes('--check')) {
    if (stale.length > 0) {
      process.stderr.write(`${names} stale: run node scripts/cost-docs.js\n`);
      process.exitCode = 1;
    }
  } else {
    for (const f of stale) fs.writeFileSync(f.file, f.next);
    process.stdout.write(stale.length > 0 ? `rewrote ${names}\n` : 'docs/cost.md is up to date\n');
  }
}
