import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, Aspects, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleProvider, StorageBucket } from '../lib/providers/google';
import { Guardrails, GuardrailsOptions, GuardrailsReport } from '../lib/guardrails/guardrails';
import { GuardrailRule, violation } from '../lib/guardrails/rule';
import { GUARDRAIL_RULES } from '../lib/guardrails/rules';
import { suppressGuardrails } from '../lib/guardrails/suppress';
import { guardrailsTable } from '../lib/guardrails/report';
import { withRulesSection } from '../lib/guardrails/docs';
import { parseConfig } from '../lib/config/load';
import { ValidationError } from '../lib/validation';
import { createStacks } from '../stacks/app';
import { MINIMAL_CONFIG } from './fixtures';

// A rule of the test's own, so the aspect's behaviour is tested apart from the rule pack.
const VERSIONING: GuardrailRule = {
  id: 'TEST-GCS-VERSIONING',
  cloud: 'gcp',
  severity: 'error',
  title: 'Buckets keep versions',
  explanation: 'Test rule.',
  controls: [],
  types: ['google_storage_bucket'],
  check: (r) => violation(!(r.config.versioning as { enabled?: boolean } | undefined)?.enabled, 'versioning.enabled', 'off: overwritten objects are lost'),
};
const LABELS: GuardrailRule = { ...VERSIONING, id: 'TEST-GCS-LABELS', severity: 'warning', check: (r) => violation(r.config.labels === undefined, 'labels', 'none') };

const REASON = 'scratch data rebuilt every night from the database';

function bucketStack(options: GuardrailsOptions = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'mine');
  new GoogleProvider(stack, 'google', { project: 'p', region: 'us-central1' });
  const data = new Construct(stack, 'data');
  const bucket = new StorageBucket(data, 'exports', { name: 'exports-bucket', location: 'US' });
  const kept = new StorageBucket(stack, 'kept', { name: 'kept-bucket', location: 'US', versioning: { enabled: true }, labels: { a: 'b' } });
  const printed: string[] = [];
  const guardrails = new Guardrails({ rules: [VERSIONING, LABELS], print: { write: (t: string) => printed.push(t) }, ...options });
  Aspects.of(stack).add(guardrails);
  return { app, stack, data, bucket, kept, guardrails, printed };
}

const reportFile = (app: App, stack = 'mine') => join(app.outdir, 'stacks', stack, 'guardrails.json');
const readReport = (app: App, stack = 'mine'): GuardrailsReport => JSON.parse(readFileSync(reportFile(app, stack), 'utf8'));

describe('the Guardrails aspect', () => {
  test('an error on a resource added by hand fails the synth, naming rule, resource and attribute; the report is written', () => {
    const { app, printed } = bucketStack();
    expect(() => app.synth()).toThrow(/1 guardrail error in stack mine[\s\S]*TEST-GCS-VERSIONING: google_storage_bucket\.data_exports_[0-9A-F]+ versioning\.enabled: off/);
    const report = readReport(app);
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'TEST-GCS-VERSIONING', severity: 'error', resource: expect.stringMatching(/^google_storage_bucket\.data_exports_/), suppressed: false, reason: null }),
      expect.objectContaining({ rule: 'TEST-GCS-LABELS', severity: 'warning', suppressed: false }),
    ]);
    expect(printed.join('')).toMatch(/Guardrails, stack mine: 2 rules, 1 error, 1 warning, 0 suppressed findings/);
  });

  test('a warning alone does not fail the synth, and is reported', () => {
    const { app, bucket } = bucketStack();
    bucket.putVersioning({ enabled: true });
    app.synth();
    expect(readReport(app).findings.map((f) => [f.rule, f.suppressed])).toEqual([['TEST-GCS-LABELS', false]]);
  });

  test.each([
    ['the resource', (s: ReturnType<typeof bucketStack>) => s.bucket],
    ['a construct above it', (s: ReturnType<typeof bucketStack>) => s.data],
    ['the stack', (s: ReturnType<typeof bucketStack>) => s.stack],
  ])('a suppression on %s lets the synth pass and stays in the report with its reason', (_what, where) => {
    const s = bucketStack();
    suppressGuardrails(where(s), [{ rule: 'TEST-GCS-VERSIONING', reason: REASON }]);
    s.app.synth();
    expect(readReport(s.app).findings.find((f) => f.rule === 'TEST-GCS-VERSIONING')).toMatchObject({ suppressed: true, reason: REASON });
    expect(s.printed.join('')).toMatch(/0 errors, 1 warning, 1 suppressed finding\. Each suppression's reason: cdktf\.out\/stacks\/mine\/guardrails\.json/);
  });

  test('a suppression on a sibling does not cover the resource', () => {
    const s = bucketStack();
    suppressGuardrails(s.kept, [{ rule: 'TEST-GCS-VERSIONING', reason: REASON }]);
    expect(() => s.app.synth()).toThrow(/TEST-GCS-VERSIONING/);
    expect(readReport(s.app).unusedSuppressions).toEqual([{ rule: 'TEST-GCS-VERSIONING', where: 'mine/kept' }]);
  });

  test('stack suppressions cover the addresses or construct paths they list, and only those', () => {
    const byAddress = (stack: TerraformStack) => `google_storage_bucket.${(stack.node.findChild('data').node.findChild('exports') as StorageBucket).friendlyUniqueId}`;
    const a = bucketStack();
    const b = bucketStack({ suppressions: [{ rule: 'TEST-GCS-VERSIONING', reason: REASON, resources: ['data'] }] });
    b.app.synth();
    const c = bucketStack({ suppressions: [{ rule: 'TEST-GCS-VERSIONING', reason: REASON, resources: ['google_storage_bucket.other'] }] });
    expect(() => c.app.synth()).toThrow(/TEST-GCS-VERSIONING/);
    const d = bucketStack({ suppressions: [{ rule: 'TEST-GCS-VERSIONING', reason: REASON, resources: [byAddress(a.stack)], source: 'deploy.yaml guardrails.suppress[0]' }] });
    d.app.synth();
    expect(readReport(d.app).findings[0]).toMatchObject({ suppressed: true, reason: REASON });
    expect(readReport(c.app).unusedSuppressions).toEqual([{ rule: 'TEST-GCS-VERSIONING', where: 'suppressions[0]' }]);
  });

  test('a suppression needs a rule id and a reason of five words or more', () => {
    const { bucket } = bucketStack();
    expect(() => suppressGuardrails(bucket, [{ rule: 'TEST-GCS-VERSIONING', reason: 'not needed' }])).toThrow(ValidationError);
    expect(() => suppressGuardrails(bucket, [{ rule: 'versioning', reason: REASON }])).toThrow(/suppressions\[0\]\.rule/);
    expect(() => new Guardrails({ suppressions: [{ rule: 'TEST-GCS-VERSIONING', reason: '  ' }] })).toThrow(/suppressions\[0\]\.reason.*at least 5 words/);
  });

  test('a suppression of a rule no rule has is refused at synth', () => {
    const { app, bucket } = bucketStack();
    suppressGuardrails(bucket, [{ rule: 'TEST-GCS-NOTHING', reason: REASON }]);
    expect(() => app.synth()).toThrow(/names rule "TEST-GCS-NOTHING", which no rule has/);
  });

  test('the stack synthesized with guardrails is the stack synthesized without', () => {
    const withThem = bucketStack();
    suppressGuardrails(withThem.stack, [{ rule: 'TEST-GCS-VERSIONING', reason: REASON }]);
    withThem.app.synth();
    const app = Testing.app();
    const stack = new TerraformStack(app, 'mine');
    new GoogleProvider(stack, 'google', { project: 'p', region: 'us-central1' });
    new StorageBucket(new Construct(stack, 'data'), 'exports', { name: 'exports-bucket', location: 'US' });
    new StorageBucket(stack, 'kept', { name: 'kept-bucket', location: 'US', versioning: { enabled: true }, labels: { a: 'b' } });
    app.synth();
    const read = (a: App) => readFileSync(join(a.outdir, 'stacks', 'mine', 'cdk.tf.json'), 'utf8');
    expect(read(withThem.app)).toEqual(read(app));
    // And the stack resolves afresh afterwards: the one-shot hand-over is gone.
    expect(Object.prototype.hasOwnProperty.call(withThem.stack, 'toTerraform')).toBe(false);
  });

  test('a synth that stopped leaves nothing stale: fixed, the next synth checks and writes the stack as it is now', () => {
    const { app, bucket } = bucketStack();
    expect(() => app.synth()).toThrow(/TEST-GCS-VERSIONING/);
    bucket.putVersioning({ enabled: true });
    app.synth();
    expect(JSON.parse(readFileSync(join(app.outdir, 'stacks', 'mine', 'cdk.tf.json'), 'utf8')).resource.google_storage_bucket).toEqual(
      expect.objectContaining({ [bucket.friendlyUniqueId]: expect.objectContaining({ versioning: { enabled: true } }) }),
    );
  });

  test('another validation failing after the check: the next synth writes the stack as it is now', () => {
    const { app, stack, bucket } = bucketStack();
    bucket.putVersioning({ enabled: true });
    let fail = true;
    stack.node.addValidation({ validate: () => (fail ? ['not yet'] : []) });
    expect(() => app.synth()).toThrow(/not yet/);
    fail = false;
    bucket.labels = { changed: 'after' };
    app.synth();
    const written = JSON.parse(readFileSync(join(app.outdir, 'stacks', 'mine', 'cdk.tf.json'), 'utf8'));
    expect(written.resource.google_storage_bucket[bucket.friendlyUniqueId].labels).toEqual({ changed: 'after' });
    expect(Testing.synth(stack)).toContain('"changed": "after"');
  });

  test('one Guardrails a stack: a second is refused with how to add rules instead', () => {
    const { app, stack } = bucketStack();
    Aspects.of(stack).add(new Guardrails({ rules: [LABELS] }));
    expect(() => app.synth()).toThrow(/already has Guardrails: give one Guardrails every rule/);
  });

  test('a suppression limited to arguments covers findings on those arguments only', () => {
    const s = bucketStack();
    suppressGuardrails(s.bucket, [{ rule: 'TEST-GCS-VERSIONING', reason: REASON, attributes: ['labels'] }]);
    expect(() => s.app.synth()).toThrow(/TEST-GCS-VERSIONING/);
    const t = bucketStack();
    suppressGuardrails(t.bucket, [{ rule: 'TEST-GCS-VERSIONING', reason: REASON, attributes: ['versioning'] }]);
    t.app.synth(); // `versioning` covers `versioning.enabled`
    expect(readReport(t.app).findings[0]).toMatchObject({ rule: 'TEST-GCS-VERSIONING', suppressed: true });
  });

  test('a construct path with the stack id in front, as cdk.tf.json records it, is accepted', () => {
    const s = bucketStack({ suppressions: [{ rule: 'TEST-GCS-VERSIONING', reason: REASON, resources: ['mine/data'] }] });
    s.app.synth();
    expect(readReport(s.app).unusedSuppressions).toEqual([]);
  });

  test('control characters from the stack reach the terminal escaped, in the table and in the error', () => {
    const { app, bucket, printed } = bucketStack();
    bucket.putVersioning({ enabled: false });
    const hostile: GuardrailRule = { ...VERSIONING, id: 'TEST-GCS-HOSTILE', check: (r) => violation(true, 'name', `bad \u001b[31mred\u0007 ${String(r.config.name)}`) };
    const app2 = Testing.app();
    const stack2 = new TerraformStack(app2, 'other');
    new GoogleProvider(stack2, 'google', { project: 'p', region: 'us-central1' });
    new StorageBucket(stack2, 'b', { name: 'n', location: 'US' });
    const out: string[] = [];
    Aspects.of(stack2).add(new Guardrails({ rules: [hostile], print: { write: (t: string) => out.push(t) } }));
    let message = '';
    try {
      app2.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('\\x1b[31mred\\x07');
    expect(out.join('')).toContain('\\x1b[31mred\\x07');
    expect(message + out.join('')).not.toMatch(/[\u0007\u001b]/);
    void app;
    void printed;
  });

  test('report: false writes no file', () => {
    const { app, bucket } = bucketStack({ report: false });
    bucket.putVersioning({ enabled: true });
    app.synth();
    expect(existsSync(reportFile(app))).toBe(false);
  });
});

describe('the table', () => {
  test('lists open findings one a row and suppressions grouped by rule and reason', () => {
    const finding = { rule: 'R-ONE', severity: 'error' as const, resource: 'a.b', message: 'a.b x: bad', suppressed: false, reason: null, path: '' };
    const text = guardrailsTable({
      stack: 's',
      rules: 3,
      findings: [finding, { ...finding, rule: 'R-TWO', suppressed: true, reason: REASON }, { ...finding, rule: 'R-TWO', resource: 'a.c', suppressed: true, reason: REASON }],
      unusedSuppressions: [{ rule: 'R-THREE', where: 's/x' }],
    }, 120, true);
    expect(text).toMatch(/3 rules, 1 error, 0 warnings, 2 suppressed findings/);
    expect(text).toMatch(/R-ONE\s*│\s*error\s*│\s*a\.b x: bad/);
    expect(text).toMatch(/R-TWO\s*│\s*2\s*│\s*scratch data/);
    expect(text).toMatch(/Unused suppression of R-THREE at s\/x/);
    expect(text).not.toMatch(/\u001b\[/); // no colour codes in logs
  });
});

describe('deploy.yaml guardrails.suppress', () => {
  const configWith = (suppress: string) => parseConfig(`${MINIMAL_CONFIG}\nguardrails:\n  suppress:\n${suppress}`, { source: 'deploy.yaml' });

  test('refuses an unknown rule, a short reason, an unknown stack and a malformed resource, each by its field', () => {
    let error: unknown;
    try {
      configWith(`    - { rule: NOT-A-RULE, reason: too short, stacks: [cluster-azure], resources: ['has space'] }\n`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const fields = (error as ValidationError).problems.map((p) => p.field).sort();
    expect(fields).toEqual(['guardrails.suppress.0.reason', 'guardrails.suppress.0.resources.0', 'guardrails.suppress.0.rule', 'guardrails.suppress.0.stacks.0']);
  });

  test('an entry without stacks applies to the stacks of its rule\'s cloud', () => {
    const config = configWith(`    - { rule: GCP-GCS-VERSIONING, reason: ${REASON} }\n`);
    const stacks = createStacks(Testing.app(), config, { guardrails: { print: false } });
    const suppressionsOf = (id: string) => (Aspects.of(stacks[id as 'cluster-gcp']!).all.find((a) => a instanceof Guardrails) as unknown as { options: GuardrailsOptions }).options.suppressions ?? [];
    expect(suppressionsOf('cluster-gcp').map((x) => x.rule)).toEqual(['GCP-GCS-VERSIONING']);
    expect(suppressionsOf('serverless-gcp').map((x) => x.rule)).toEqual(['GCP-GCS-VERSIONING']);
    expect(suppressionsOf('cluster-aws')).toEqual([]);
  });

  test('a bucket added to a bundled stack fails its synth; suppressed in the file, it passes and the report shows why', () => {
    // The example of docs/guardrails.md.
    const rule = GUARDRAIL_RULES.find((r) => r.id === 'GCP-GCS-UNIFORM-ACCESS')!;
    expect(rule.severity).toBe('error');
    const build = (config: ReturnType<typeof parseConfig>) => {
      const app = Testing.app();
      const stacks = createStacks(app, config, { guardrails: { print: false } });
      new StorageBucket(stacks['cluster-gcp']!, 'exports', { name: 'examplepod-exports', location: 'US', uniformBucketLevelAccess: false });
      return app;
    };
    const failing = build(parseConfig(MINIMAL_CONFIG, { source: 'deploy.yaml' }));
    expect(() => failing.synth()).toThrow(/GCP-GCS-UNIFORM-ACCESS: google_storage_bucket\.exports uniform_bucket_level_access/);
    const reason = 'the legacy export tool writes per-object ACLs for partners';
    const passing = build(configWith(`    - { rule: GCP-GCS-UNIFORM-ACCESS, reason: ${reason}, resources: [google_storage_bucket.exports] }\n`));
    passing.synth();
    const findings = readReport(passing, 'cluster-gcp').findings.filter((f) => f.resource === 'google_storage_bucket.exports');
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'GCP-GCS-UNIFORM-ACCESS', suppressed: true, reason }));
    expect(findings.filter((f) => !f.suppressed && f.severity === 'error')).toEqual([]);
  });
});

describe('the bundled stacks', () => {
  test.each(['deploy.yaml', 'minimal'])('synthesize from %s with no unsuppressed finding, and every suppression has its reason', (which) => {
    const text = which === 'minimal' ? MINIMAL_CONFIG : readFileSync(join(__dirname, '..', 'deploy.yaml'), 'utf8');
    const app = Testing.app();
    const guardrails: Guardrails[] = [];
    const stacks = createStacks(app, parseConfig(text, { source: which }), { guardrails: { print: false } });
    for (const stack of Object.values(stacks)) guardrails.push(...(Aspects.of(stack!).all.filter((a) => a instanceof Guardrails) as Guardrails[]));
    app.synth();
    for (const id of Object.keys(stacks)) {
      const report = readReport(app, id);
      expect({ id, open: report.findings.filter((f) => !f.suppressed).map((f) => f.message) }).toEqual({ id, open: [] });
      for (const f of report.findings) expect(f.reason!.split(/\s+/).length).toBeGreaterThanOrEqual(5);
      expect(report.unusedSuppressions).toEqual([]);
    }
    expect(guardrails).toHaveLength(Object.keys(stacks).length);
  });
});

test('docs/guardrails.md lists every rule as the definitions say (node scripts/guardrails-docs.js rewrites it)', () => {
  const file = join(__dirname, '..', 'docs', 'guardrails.md');
  const doc = readFileSync(file, 'utf8');
  expect(doc).toEqual(withRulesSection(doc, GUARDRAIL_RULES));
  for (const rule of GUARDRAIL_RULES) expect(doc).toContain(`#### ${rule.id}`);
});

test('the pack: at least 40 rules over both clouds, unique ids', () => {
  expect(GUARDRAIL_RULES.length).toBeGreaterThanOrEqual(40);
  expect(new Set(GUARDRAIL_RULES.map((r) => r.id)).size).toBe(GUARDRAIL_RULES.length);
  expect(GUARDRAIL_RULES.filter((r) => r.cloud === 'gcp').length).toBeGreaterThanOrEqual(15);
  expect(GUARDRAIL_RULES.filter((r) => r.cloud === 'aws').length).toBeGreaterThanOrEqual(15);
});
