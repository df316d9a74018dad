import { TerraformStack, Testing } from 'cdktf';

/**
 * A copy of synthesized stack JSON without the provider version pins (`terraform.required_providers.*.version`),
 * so a provider package bump does not churn every snapshot, while resource addresses, names and arguments stay.
 */
export function withoutVersionPins<T extends Record<string, any>>(json: T): T {
  const copy = structuredClone(json);
  for (const provider of Object.values<Record<string, unknown>>(copy.terraform?.required_providers ?? {})) {
    delete provider.version;
  }
  return copy;
}

/**
 * A stack's JSON to snapshot in your own tests: synthesized with validations, version pins removed.
 *
 * @example
 * ```ts
 * import { TerraformStack, Testing } from 'cdktf';
 * import { AwsProvider, aws, snapshotJson } from 'cdktf-serverpod';
 *
 * it('keeps the stack', () => {
 *   const stack = new TerraformStack(Testing.app(), 'test');
 *   new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
 *   new aws.ContainerRepository(stack, 'images', { name: 'my-server' });
 *   expect(snapshotJson(stack)).toMatchSnapshot();
 * });
 * ```
 */
export function snapshotJson(stack: TerraformStack): Record<string, any> {
  return withoutVersionPins(JSON.parse(Testing.synth(stack, true)));
}
