import { TerraformElement } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Records in the synthesized stack's metadata (`//.metadata.environments`, construct path to name) that the resources under `scope` are
 * one environment's, so what reads the JSON (guardrails, cost, diagram) groups them by environment without
 * guessing from construct names. It adds no resource.
 */
export function markEnvironment(scope: Construct, environment: string): void {
  new EnvironmentMarker(scope, environment);
}

class EnvironmentMarker extends TerraformElement {
  private readonly environment: string;

  constructor(scope: Construct, environment: string) {
    super(scope, 'EnvironmentMarker');
    this.environment = environment;
  }

  public override toMetadata(): Record<string, unknown> {
    // By path: two patterns in one stack may both have a `production`.
    return { environments: { [this.node.scope!.node.path]: this.environment } };
  }
}
