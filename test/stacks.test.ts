import 'cdktf/lib/testing/adapters/jest';
import { danglingReferences } from './helpers/references';
import { forSnapshot, synthBundled } from './helpers/synth';
import { FULL_CONFIG, MINIMAL_CONFIG, REMOTE_STATE_CONFIG } from './fixtures';

const full = synthBundled(FULL_CONFIG);
const minimal = synthBundled(MINIMAL_CONFIG);

describe.each([
  ['full (deploy.yaml)', full],
  ['minimal', minimal],
])('bundled stacks, %s config', (_name, { stacks }) => {
  it('creates cluster-gcp, cluster-aws and serverless-gcp', () => {
    expect(Object.keys(stacks).sort()).toEqual(['cluster-aws', 'cluster-gcp', 'serverless-gcp']);
  });

  it.each(['cluster-gcp', 'cluster-aws', 'serverless-gcp'])('%s refers only to what it declares', (id) => {
    expect(danglingReferences(stacks[id])).toEqual([]);
  });

  it.each(['cluster-gcp', 'cluster-aws', 'serverless-gcp'])('%s matches its snapshot', (id) => {
    expect(forSnapshot(stacks[id])).toMatchSnapshot();
  });
});

describe('stack contents', () => {
  const { stacks } = full;

  it('configures each provider from the config, with labels on every resource', () => {
    expect(stacks['cluster-gcp'].provider.google[0]).toEqual({
      project: 'examplepod-prod',
      region: 'us-central1',
      default_labels: { cdktf_stack: 'cluster-gcp', managed_by: 'cdktf-serverpod', serverpod_project: 'serverpod' },
    });
    expect(stacks['cluster-aws'].provider.aws[0]).toEqual({
      region: 'us-west-2',
      default_tags: [{ tags: { cdktf_stack: 'cluster-aws', managed_by: 'cdktf-serverpod', serverpod_project: 'serverpod' } }],
    });
  });

  it('keeps local state in the project root by default', () => {
    expect(stacks['cluster-gcp'].terraform.backend).toEqual({ local: { path: '../../../terraform.cluster-gcp.tfstate' } });
    expect(stacks['cluster-aws'].terraform.backend).toEqual({ local: { path: '../../../terraform.cluster-aws.tfstate' } });
  });

  it('gives the two GCP stacks different registries, so they can share a project', () => {
    const repo = (id: string) => Object.values<any>(stacks[id].resource.google_artifact_registry_repository)[0].repository_id;
    expect(repo('cluster-gcp')).toBe('serverpod-images');
    expect(repo('serverless-gcp')).toBe('serverpod-run-images');
  });

  it('outputs the image the servers run', () => {
    // One tag per environment: CI moves `:staging` without touching what production runs.
    expect(stacks['cluster-gcp'].output.image_production.value).toBe('us-central1-docker.pkg.dev/examplepod-prod/serverpod-images/serverpod:production');
    expect(stacks['cluster-gcp'].output.image_staging.value).toBe('us-central1-docker.pkg.dev/examplepod-prod/serverpod-images/serverpod:staging');
    expect(stacks['cluster-aws'].output.image_production.value).toMatch(/^\$\{aws_ecr_repository\.registry_[A-F0-9]+\.repository_url\}:production$/);
  });

  it('guards the AWS account when one is configured', () => {
    const { stacks: s } = synthBundled(MINIMAL_CONFIG, { SERVERPOD_DEPLOY_AWS_ACCOUNT_ID: '210987654321' });
    expect(s['cluster-aws'].provider.aws[0].allowed_account_ids).toEqual(['210987654321']);
  });

  it('runs Serverpod mini (database: false) with no database in any stack', () => {
    const { stacks: s } = synthBundled(`${MINIMAL_CONFIG}database: false\n`);
    for (const [id, json] of Object.entries(s)) {
      const types = Object.keys(json.resource ?? {});
      expect([id, types.filter((t) => /sql_database|db_instance/.test(t))]).toEqual([id, []]);
      expect([id, JSON.stringify(json).includes('SERVERPOD_DATABASE_HOST')]).toEqual([id, false]);
    }
  });

  it('leaves out disabled and absent stacks', () => {
    const { stacks: s } = synthBundled('domain: example.com\nstacks:\n  cluster-aws: { enabled: false }\n  serverless-gcp: { project: example-project }\n');
    expect(Object.keys(s)).toEqual(['serverless-gcp']);
  });
});

describe('remote state', () => {
  const { stacks } = synthBundled(REMOTE_STATE_CONFIG);

  it('puts GCP stacks in GCS and the AWS stack in S3, one key per stack, with S3 locking', () => {
    expect(stacks['cluster-gcp'].terraform.backend).toEqual({ gcs: { bucket: 'tf-state-example', prefix: 'infra/cluster-gcp' } });
    expect(stacks['serverless-gcp'].terraform.backend).toEqual({ gcs: { bucket: 'tf-state-example', prefix: 'infra/serverless-gcp' } });
    expect(stacks['cluster-aws'].terraform.backend).toEqual({
      s3: { bucket: 'tf-state-example', key: 'infra/cluster-aws.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
  });
});
