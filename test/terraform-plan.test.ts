import { TerraformStack } from 'cdktf';
import { EXAMPLE_BUILDERS } from './example-list';
import { FULL_AWS_CONFIG, FULL_CONFIG, MINIMAL_CONFIG, PERSEUS_AWS_CONFIG } from './fixtures';
import { StackJson, synthBundled, synthJson, testApp } from './helpers/synth';
import { initValidatePlan, terraformAvailability } from './helpers/terraform';

// Real-provider checks: every AWS stack and example goes through terraform init (local provider mirror),
// validate and an offline plan. Skipped, with the reason printed, only where terraform or the mirror is absent.
const availability = terraformAvailability();
if (!availability.available) {
  // eslint-disable-next-line no-console
  console.warn(`Real-provider tests skipped: ${availability.reason}.`);
}
const maybe = availability.available ? describe : describe.skip;

/** `aws_x.y["key"]` → `aws_x.y`: for_each and count instances of one declared resource. */
const declaredAddress = (address: string) => address.replace(/\[[^\]]*\]$/, '');

function isAwsOnly(json: StackJson): boolean {
  return Object.keys(json.provider ?? {}).length > 0 && Object.keys(json.provider).every((p) => p === 'aws');
}

const targets: [string, StackJson][] = [
  ['cluster-aws (deploy.yaml)', synthBundled(FULL_CONFIG).stacks['cluster-aws']],
  ['cluster-aws (minimal config)', synthBundled(MINIMAL_CONFIG).stacks['cluster-aws']],
  ['cluster-aws (full-featured config)', synthBundled(FULL_AWS_CONFIG).stacks['cluster-aws']],
  ['cluster-aws (Perseus with a shared bucket store)', synthBundled(PERSEUS_AWS_CONFIG).stacks['cluster-aws']],
  ['cluster-aws (Perseus with a shared Postgres store)', synthBundled(PERSEUS_AWS_CONFIG.replace('mutableStore: bucket', 'mutableStore: postgres')).stacks['cluster-aws']],
  ...Object.entries(EXAMPLE_BUILDERS).flatMap(([name, build]) =>
    build(testApp())
      .map((s: TerraformStack) => [`example ${name}/${s.node.id}`, synthJson(s)] as [string, StackJson])
      .filter(([, json]) => isAwsOnly(json)),
  ),
];

maybe('terraform with the real AWS provider', () => {
  it('has AWS stacks and examples to check', () => {
    expect(targets.map(([label]) => label)).toEqual(expect.arrayContaining(['cluster-aws (deploy.yaml)', 'cluster-aws (full-featured config)', 'example custom-server-aws/custom-server-aws', 'example serverpod-aws/serverpod-aws']));
  });

  it.each(targets)('%s passes init, validate and an offline plan', (label, json) => {
    const { validate, plan } = initValidatePlan(json, label);
    expect(validate).toMatchObject({ valid: true, error_count: 0 });
    const planned = [...new Set((plan.resource_changes ?? []).map((c) => declaredAddress(c.address)))].sort();
    const declared = Object.entries<Record<string, unknown>>(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)).sort();
    // Every declared resource is planned for creation: nothing is silently dropped by the provider.
    expect(planned).toEqual(declared);
    for (const change of plan.resource_changes ?? []) expect(change.change.actions).toEqual(['create']);
  });
});
