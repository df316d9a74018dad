import { danglingReferences, referencesIn } from './helpers/references';

// The integrity check guards every stack; these cases show it catches what it claims to.
describe('reference integrity check', () => {
  const base = {
    provider: { aws: [{ region: 'us-west-2' }, { alias: 'us_east_1', region: 'us-east-1' }] },
    variable: { tag: {} },
    locals: { name: 'x' },
    data: { aws_caller_identity: { me: {} } },
    resource: {
      aws_s3_bucket: { logs: { bucket: '${local.name}-${var.tag}-${data.aws_caller_identity.me.account_id}' } },
      aws_acm_certificate: { cert: { provider: 'aws.us_east_1', domain_name: 'example.com' } },
    },
  };

  it('accepts a stack whose references all resolve', () => {
    expect(danglingReferences(base)).toEqual([]);
  });

  it('reports an expression naming an undeclared resource, data source, variable or local', () => {
    const json = structuredClone(base) as any;
    json.resource.aws_s3_bucket.logs.policy = '${aws_iam_policy.missing.arn} ${data.aws_region.none.name} ${var.nope} ${local.gone}';
    expect(danglingReferences(json)).toEqual([
      'resource.aws_s3_bucket.logs.policy: ${aws_iam_policy.missing.arn} refers to aws_iam_policy.missing, which the stack does not declare',
      'resource.aws_s3_bucket.logs.policy: ${data.aws_region.none.name} refers to data.aws_region.none, which the stack does not declare',
      'resource.aws_s3_bucket.logs.policy: ${var.nope} refers to var.nope, which the stack does not declare',
      'resource.aws_s3_bucket.logs.policy: ${local.gone} refers to local.gone, which the stack does not declare',
    ]);
  });

  it('reports depends_on entries and provider aliases that name nothing', () => {
    const json = structuredClone(base) as any;
    json.resource.aws_s3_bucket.logs.depends_on = ['aws_s3_bucket.other'];
    json.resource.aws_acm_certificate.cert.provider = 'aws.eu';
    json.resource.google_storage_bucket = { b: { name: 'x' } };
    expect(danglingReferences(json)).toEqual([
      'aws_s3_bucket.logs.depends_on: aws_s3_bucket.other names nothing the stack declares',
      'aws_acm_certificate.cert.provider: aws.eu is not a declared provider',
      'google_storage_bucket.b: no default google provider is declared',
    ]);
  });

  it('ignores function names, quoted literals and built-in roots', () => {
    expect(referencesIn('jsonencode({a = "aws_fake.thing"}) + count.index + each.value + path.module + element(aws_x.y.*.id, 0)')).toEqual(['aws_x.y']);
  });
});
