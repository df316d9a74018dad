import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider, GoogleProvider, ValidationError, parseConfig } from '../../lib';
import { RandomProvider } from '../../lib/providers/google';
import { StackJson, resourcesOfType } from './synth';

/** An empty stack with the Google (and random) provider, for construct tests. */
export function gcpTestStack(project = 'p-123456'): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new GoogleProvider(stack, 'google', { project, region: 'us-central1' });
  new RandomProvider(stack, 'random');
  return stack;
}

/** An empty stack with the AWS provider, for construct tests. */
export function awsTestStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'us-west-2' });
  return stack;
}

/** The one resource of `type` in a stack; fails when there is none or several. */
export function only(json: StackJson, type: string): Record<string, any> {
  const all = resourcesOfType(json, type);
  expect(all).toHaveLength(1);
  return all[0];
}

/** The message of the ValidationError `fn` throws; fails when it throws nothing or something else. */
export function validationErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  throw new Error('expected a ValidationError');
}

/** The message of the one ValidationError a config text gets; fails when the text is accepted. */
export function configProblems(text: string, env: Record<string, string> = {}): string {
  return validationErrorOf(() => parseConfig(text, { source: 'bad.yaml', env }));
}
