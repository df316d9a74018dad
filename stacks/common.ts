import { DeployConfig } from '../lib/config/schema';

/**
 * Labels (GCP) and tags (AWS) put on every resource a bundled stack creates. Keys use underscores: cdktf
 * snake-cases provider-level map keys, so `managed-by` would reach GCP as `managed_by` anyway.
 */
export function commonLabels(config: DeployConfig, stackId: string): Record<string, string> {
  return { managed_by: 'cdktf-serverpod', serverpod_project: config.project, cdktf_stack: stackId };
}
