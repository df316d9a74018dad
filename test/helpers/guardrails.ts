import { evaluateRules, RawFinding } from '../../lib/guardrails/engine';
import { GuardrailRule } from '../../lib/guardrails/rule';
import { StackModel } from '../../lib/model/stack-model';

/** Resources as cdk.tf.json writes them: type, then name, then arguments (optionally with `//` metadata). */
export type FixtureResources = Record<string, Record<string, Record<string, unknown>>>;

/** A rule's fixtures: resources it must flag, and resources it must pass. */
export interface RuleFixture {
  readonly failing: FixtureResources;
  readonly passing: FixtureResources;
  /** The environment the fixture's resources are in (their construct path says so). @default 'production' */
  readonly environment?: string;
}

/** A stack model of fixture resources, each given a construct path under `stack/<environment>/`. */
export function fixtureStack(resources: FixtureResources, environment = 'production', provider: Record<string, unknown[]> = { aws: [{ region: 'us-west-2' }], google: [{ project: 'p', region: 'us-central1' }] }): StackModel {
  const resource: FixtureResources = {};
  for (const [type, byName] of Object.entries(resources)) {
    resource[type] = {};
    for (const [name, body] of Object.entries(byName)) {
      resource[type][name] = { '//': { metadata: { path: `fixture/${environment}/${name}`, uniqueId: name } }, ...body };
    }
  }
  return StackModel.fromJson({ '//': { metadata: { stackName: 'fixture' } }, provider, resource } as never);
}

/** The findings of one rule over fixture resources. */
export function findingsOf(rule: GuardrailRule, resources: FixtureResources, environment?: string): RawFinding[] {
  return evaluateRules(fixtureStack(resources, environment), [rule]);
}
