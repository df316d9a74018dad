import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
// Shared with .ci/run, which exports CDKTF_SERVERPOD_TF_MIRROR from the same discovery.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findMirror } = require('../../scripts/find-tf-mirror.js') as { findMirror: () => { root?: string; version: string } };

/** Whether terraform and the local aws provider mirror are here; `reason` says plainly why not. */
export interface TerraformAvailability {
  readonly available: boolean;
  readonly reason?: string;
  readonly mirror?: string;
  readonly version?: string;
}

let cached: TerraformAvailability | undefined;

export function terraformAvailability(): TerraformAvailability {
  if (cached) return cached;
  const tf = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (tf.error || tf.status !== 0) {
    cached = { available: false, reason: 'the terraform binary is not on PATH, so terraform init/validate/plan of the AWS stacks were skipped' };
    return cached;
  }
  const { root, version } = findMirror();
  if (!root) {
    cached = {
      available: false,
      reason: `no local mirror of hashicorp/aws ${version} was found (set CDKTF_SERVERPOD_TF_MIRROR to its root), so terraform init/validate/plan of the AWS stacks were skipped`,
    };
    return cached;
  }
  cached = { available: true, mirror: root, version: tf.stdout.split('\n')[0] };
  return cached;
}

export interface PlanResult {
  /** Parsed `terraform validate -json`. */
  readonly validate: { valid: boolean; error_count: number; diagnostics: unknown[] };
  /** Parsed `terraform show -json` of the saved plan. */
  readonly plan: { resource_changes?: PlannedChange[] };
}

/** One resource of `terraform show -json`'s `resource_changes`. */
export interface PlannedChange {
  readonly address: string;
  readonly action_reason?: string;
  readonly change: { actions: string[]; before: Record<string, any> | null; after: Record<string, any> | null; after_unknown: Record<string, any> };
}

export interface PlanOptions {
  /**
   * Resources of a state written by an earlier configuration (format version 4): the plan is made against them
   * with `-refresh=false`, so it shows what this configuration changes on an existing deployment.
   */
  readonly priorResources?: readonly unknown[];
}

/**
 * Runs `terraform init` against the local mirror (no network), `terraform validate` and an offline
 * `terraform plan` on one synthesized stack. The test, not the library, makes the plan offline: state goes to
 * a local file, each aws provider gets fake credentials and the skip_* flags, and no other source is allowed.
 * Throws with terraform's own output when a step fails.
 */
export function initValidatePlan(stackJson: Record<string, any>, label: string, options: PlanOptions = {}): PlanResult {
  const availability = terraformAvailability();
  if (!availability.available) throw new Error(availability.reason);
  const dir = mkdtempSync(join(tmpdir(), `tf-${label.replace(/[^a-z0-9-]/gi, '_')}-`));
  try {
    const config = structuredClone(stackJson);
    // Not terraform.tfstate for a prior state: init would take that for the implicit backend's state and "migrate" it onto itself, empty.
    const statePath = join(dir, options.priorResources ? 'prior.tfstate' : 'terraform.tfstate');
    config.terraform = { ...config.terraform, backend: { local: { path: statePath } } };
    if (options.priorResources) {
      const state = { version: 4, terraform_version: '1.11.4', serial: 1, lineage: '8e6a1c0e-0000-4000-8000-000000000012', outputs: {}, resources: options.priorResources, check_results: null };
      writeFileSync(statePath, JSON.stringify(state, null, 2));
    }
    for (const provider of config.provider?.aws ?? []) {
      // The account guard needs the real account id, which an offline plan never asks AWS for.
      delete provider.allowed_account_ids;
      Object.assign(provider, {
        access_key: 'AKIAFAKEFAKEFAKEFAKE',
        secret_key: 'fake-secret-for-offline-plan',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
      });
    }
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
    const cliConfig = join(dir, 'terraform.rc');
    writeFileSync(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(availability.mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
    );
    mkdirSync(join(dir, 'home'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: join(dir, 'home'),
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const run = (args: string[]): string => {
      try {
        return execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        throw new Error(`terraform ${args[0]} failed for ${label}:\n${e.stderr || ''}\n${e.stdout || ''}`.trim());
      }
    };
    run(['init', '-input=false', '-no-color']);
    const validate = JSON.parse(run(['validate', '-json', '-no-color']));
    run(['plan', ...(options.priorResources ? ['-refresh=false'] : []), '-input=false', '-lock=false', '-no-color', '-out=plan.tfplan']);
    const plan = JSON.parse(run(['show', '-json', 'plan.tfplan']));
    return { validate, plan };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
