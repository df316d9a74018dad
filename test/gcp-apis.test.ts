import { gcp } from '../lib';
import { StackJson, synthBundled } from './helpers/synth';

// The APIs each GCP pattern declares (REQUIRED_APIS, what the bundled stacks enable) cover every resource it
// creates with every option on: a missing API fails only at apply, on the first resource that needs it.

/** The API a resource type is served by, from its provider prefix; null for what no Google API serves. */
const API_BY_PREFIX: [RegExp, string | null][] = [
  [/^random_/, null],
  // Enabling APIs itself needs serviceusage on the credentials' project (a bootstrap, not something to enable here).
  [/^google_project_service$/, null],
  [/^google_artifact_registry_/, 'artifactregistry.googleapis.com'],
  [/^google_compute_/, 'compute.googleapis.com'],
  [/^google_dns_/, 'dns.googleapis.com'],
  [/^google_project_iam_(member|binding|custom_role)$/, 'cloudresourcemanager.googleapis.com'],
  [/^google_secret_manager_/, 'secretmanager.googleapis.com'],
  [/^google_(service_account|iam_workload_identity_pool)/, 'iam.googleapis.com'],
  [/^google_service_networking_/, 'servicenetworking.googleapis.com'],
  [/^google_sql_/, 'sqladmin.googleapis.com'],
  [/^google_storage_/, 'storage.googleapis.com'],
  [/^google_redis_/, 'redis.googleapis.com'],
  [/^google_cloud_run_/, 'run.googleapis.com'],
  [/^google_cloud_scheduler_/, 'cloudscheduler.googleapis.com'],
  [/^google_vpc_access_/, 'vpcaccess.googleapis.com'],
];

function apisNeeded(json: StackJson): Map<string, string> {
  const needed = new Map<string, string>();
  for (const type of Object.keys(json.resource ?? {})) {
    const match = API_BY_PREFIX.find(([pattern]) => pattern.test(type));
    if (!match) throw new Error(`no API known for ${type}: add it to API_BY_PREFIX`);
    if (match[1]) needed.set(match[1], type);
  }
  return needed;
}

const EVERYTHING = `
domain: example.com
environments: [production, staging]
redis: true
storage: true
github: { repository: some-org/some-repo }
stacks:
  cluster-gcp: { project: example-project }
  serverless-gcp: { project: example-project, vpcEgress: connector }
`;

describe('REQUIRED_APIS of the GCP patterns', () => {
  const stacks = synthBundled(EVERYTHING).stacks;

  it.each([
    ['cluster-gcp', gcp.GcpServerCluster.REQUIRED_APIS],
    ['serverless-gcp', gcp.GcpServerlessApp.REQUIRED_APIS],
  ] as const)('%s: every resource type\'s API is declared and enabled', (id, declared) => {
    const missing = [...apisNeeded(stacks[id])].filter(([api]) => !declared.includes(api)).map(([api, type]) => `${api} (for ${type})`);
    expect(missing).toEqual([]);
    const enabled = Object.values<Record<string, unknown>>(stacks[id].resource.google_project_service).map((s) => s.service);
    expect([...enabled].sort()).toEqual([...declared].sort());
  });
});
