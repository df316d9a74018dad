import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdktf';
import { parseConfig } from '../lib/config/load';
import { loadSynthesizedStacks, StackModel, SynthesizedJson } from '../lib/model/stack-model';
import { createStacks } from '../stacks/app';
import { FULL_CONFIG } from './fixtures';

// The bundled stacks as cdktf writes them (metadata kept: the model reads construct paths and environments there).
const app = Testing.app();
const stacks = createStacks(app, parseConfig(FULL_CONFIG, { source: 'deploy.yaml' }), { guardrails: false });
const models = Object.fromEntries(Object.entries(stacks).map(([id, s]) => [id, StackModel.fromJson(s!.toTerraform() as SynthesizedJson)]));

describe('StackModel of the bundled stacks', () => {
  test.each(Object.keys(models))('%s: every environment resource belongs to its marked environment', (id) => {
    const m = models[id];
    expect(m.name).toBe(id);
    expect(m.environments).toEqual(['production', 'staging']);
    for (const r of m.resources) {
      const segment = r.path.split('/').find((s) => s === 'production' || s === 'staging');
      // Under an environment construct: that environment. Elsewhere (shared): none, or the environment a construct id
      // names in a word (the DNS record of api-staging is staging's).
      const named = r.path.split('/').flatMap((s) => s.toLowerCase().split(/[-_]/)).find((w) => w === 'production' || w === 'staging');
      expect({ address: r.address, environment: r.environment }).toEqual({ address: r.address, environment: segment ?? named });
    }
  });

  test('references resolve to resources: a bucket has its IAM members, an instance its database users', () => {
    const m = models['cluster-gcp'];
    const bucket = m.ofType('google_storage_bucket').find((b) => b.path.endsWith('production/Buckets/Public'))!;
    const members = m.referrers(bucket, 'google_storage_bucket_iam_member', 'bucket');
    expect(members.length).toBeGreaterThan(0);
    for (const member of members) expect(m.referenced(member.config.bucket)).toBe(bucket);
    const sql = m.ofType('google_sql_database_instance').find((r) => r.environment === 'production')!;
    expect(m.referrers(sql, 'google_sql_user').map((u) => u.environment)).toEqual(['production']);
    // depends_on is a reference too, from the argument depends_on.
    expect(m.referencesFrom(sql).some((r) => r.at === 'depends_on' && r.to.startsWith('google_service_networking_connection.'))).toBe(true);
  });

  test('regions: a resource\'s own, else its provider\'s (by alias on AWS)', () => {
    const aws = models['cluster-aws'];
    expect(aws.regionOf(aws.ofType('aws_db_instance')[0])).toBe('us-west-2');
    const cdnCert = aws.ofType('aws_acm_certificate').find((c) => c.config.provider === 'aws.us_east_1')!;
    expect(aws.regionOf(cdnCert)).toBe('us-east-1');
    const gcp = models['cluster-gcp'];
    expect(gcp.regionOf(gcp.ofType('google_sql_database_instance')[0])).toBe('us-central1');
  });
});

describe('StackModel of a stack it did not make', () => {
  const json = {
    '//': { metadata: { stackName: 'theirs' } },
    provider: { aws: [{ region: 'eu-west-1' }] },
    resource: {
      aws_s3_bucket: { logs: { '//': { metadata: { path: 'theirs/prod/logs' } }, bucket: 'x' }, shared: { bucket: 'y' } },
      aws_s3_bucket_versioning: { logs: { bucket: '${aws_s3_bucket.logs.id}', versioning_configuration: { status: 'Enabled' } } },
      custom_thing: { a: { value: 'prefix-${aws_s3_bucket.shared.arn}-${var.unknown}' } },
    },
  };
  const m = StackModel.fromJson(json);

  test('environments from common path names (or words of them) when none are marked; none for a resource without a path', () => {
    expect(StackModel.fromJson({ resource: { a_b: { x: { '//': { metadata: { path: 's/myapp-Production/x' } } } } } }).resources[0].environment).toBe('production');
    expect(m.environments).toEqual(['prod']);
    expect(m.resource('aws_s3_bucket.logs')!.environment).toBe('prod');
    expect(m.resource('aws_s3_bucket.shared')!.environment).toBeUndefined();
  });

  test('references inside longer strings, and unknown types kept as resources', () => {
    expect(m.referencesFrom('custom_thing.a')).toEqual([{ from: 'custom_thing.a', at: 'value', to: 'aws_s3_bucket.shared', attribute: 'arn' }]);
    expect(m.referrers('aws_s3_bucket.logs').map((r) => r.address)).toEqual(['aws_s3_bucket_versioning.logs']);
    expect(m.resource('custom_thing.a')!.cloud).toBe('custom');
    expect(m.regionOf(m.resource('aws_s3_bucket.logs')!)).toBe('eu-west-1');
  });

  test('the JSON is not changed', () => {
    expect(json.resource.aws_s3_bucket.logs['//']).toBeDefined();
    expect(m.resource('aws_s3_bucket.logs')!.config).toEqual({ bucket: 'x' });
  });
});

test('loadSynthesizedStacks reads cdktf.out/stacks/*, and names what is there when asked for what is not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'model-'));
  expect(() => loadSynthesizedStacks(dir)).toThrow(/No synthesized stacks in .*run `cdktf synth` first/);
  for (const name of ['b', 'a']) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify({ resource: { null_resource: { x: {} } } }));
  }
  expect(loadSynthesizedStacks(dir).map((s) => s.name)).toEqual(['a', 'b']);
  expect(() => loadSynthesizedStacks(dir, ['c'])).toThrow(/No synthesized stack "c" .* there are a, b/);
  // A file that is not a stack: named, with what is wrong, not a TypeError.
  for (const [text, problem] of [['{"resource": {', /is not a synthesized stack: .*JSON/], ['[]', /its JSON is not an object/], ['{"resource":{"t":null}}', /resource\.t is not an object/], ['{"resource":{"t":{"vm":null}}}', /resource\.t\.vm is not an object of arguments/]] as const) {
    writeFileSync(join(dir, 'stacks', 'b', 'cdk.tf.json'), text);
    expect(() => loadSynthesizedStacks(dir, ['b'])).toThrow(problem);
  }
});
