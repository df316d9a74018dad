import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { aws, gcp } from '../lib';
import { ArtifactRegistryRepository, ProjectService } from '../lib/providers/google';
import { EcrLifecyclePolicy, EcrRepository } from '../lib/providers/aws';
import { awsTestStack, gcpTestStack, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { synthJson } from './helpers/synth';




describe('gcp.ProjectServices', () => {
  it('enables each API once, never disabling it on destroy', () => {
    const stack = gcpTestStack();
    const services = new gcp.ProjectServices(stack, 'apis', { project: 'p-123456', services: ['run.googleapis.com', 'compute.googleapis.com', 'run.googleapis.com'] });
    const json = synthJson(stack);
    expect(Object.keys(services.services)).toEqual(['compute.googleapis.com', 'run.googleapis.com']);
    expect(JSON.stringify(json)).toHaveResourceWithProperties(ProjectService, { service: 'run.googleapis.com', disable_on_destroy: false, disable_dependent_services: false, project: 'p-123456' });
    expect(Object.keys(json.resource.google_project_service)).toHaveLength(2);
  });

  it('fails on an API name that is not one', () => {
    expect(validationErrorOf(() => new gcp.ProjectServices(gcpTestStack(), 'apis', { project: 'p', services: ['compute', 'ok.googleapis.com'] }))).toContain(
      'props.services[0]: got "compute"; expected an API name such as compute.googleapis.com',
    );
  });
});

describe('gcp.ContainerRegistry', () => {
  const stack = gcpTestStack();
  const apis = new gcp.ProjectServices(stack, 'apis', { project: 'p-123456', services: ['artifactregistry.googleapis.com'] });
  const registry = new gcp.ContainerRegistry(stack, 'registry', { project: 'p-123456', location: 'europe-west4', repositoryId: 'pod-images', dependsOn: apis.all });
  const json = synthJson(stack);

  it('creates a Docker repository with cleanup policies that keep recent versions', () => {
    expect(JSON.stringify(json)).toHaveResourceWithProperties(ArtifactRegistryRepository, {
      format: 'DOCKER',
      location: 'europe-west4',
      repository_id: 'pod-images',
      cleanup_policy_dry_run: false,
      cleanup_policies: [
        expect.objectContaining({ id: 'keep-recent', action: 'KEEP', most_recent_versions: { keep_count: 10 } }),
        expect.objectContaining({ id: 'delete-untagged', action: 'DELETE', condition: { tag_state: 'UNTAGGED', older_than: '604800s' } }),
      ],
    });
  });

  it('waits for the Artifact Registry API and names its image path', () => {
    const repo = json.resource.google_artifact_registry_repository;
    expect(Object.values<any>(repo)[0].depends_on).toEqual([expect.stringMatching(/^google_project_service\.apis_service-artifactregistry_/)]);
    expect(registry.imageUri('serverpod', 'v1')).toBe('europe-west4-docker.pkg.dev/p-123456/pod-images/serverpod:v1');
    expect(danglingReferences(json)).toEqual([]);
  });

  it('fails on a bad repository id and retention, naming each', () => {
    const message = validationErrorOf(() => new gcp.ContainerRegistry(gcpTestStack(), 'r', { project: 'p', location: 'us-central1', repositoryId: 'Bad_Id', keepRecentVersions: 0, untaggedRetentionDays: 1.5 }));
    expect(message).toContain('has 3 problems');
    expect(message).toContain('props.repositoryId: got "Bad_Id"');
    expect(message).toContain('props.keepRecentVersions: got 0; expected a whole number of at least 1');
    expect(message).toContain('props.untaggedRetentionDays: got 1.5');
  });
});

describe('aws.ContainerRepository', () => {
  it('is scanned on push, encrypted, and has a lifecycle policy', () => {
    const stack = awsTestStack();
    const repo = new aws.ContainerRepository(stack, 'images', { name: 'serverpod', keepImages: 12, untaggedRetentionDays: 3 });
    const json = synthJson(stack);
    expect(JSON.stringify(json)).toHaveResourceWithProperties(EcrRepository, {
      name: 'serverpod',
      image_tag_mutability: 'MUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'AES256' }],
      force_delete: false,
    });
    const policy = JSON.parse(Object.values<any>(json.resource.aws_ecr_lifecycle_policy)[0].policy);
    // The environments' tags first (never expired: see cluster-aws.test.ts), then untagged, then the newest 12.
    expect(policy.rules.slice(2)).toEqual([
      expect.objectContaining({ rulePriority: 3, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 } }),
      expect.objectContaining({ rulePriority: 4, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 12 } }),
    ]);
    expect(JSON.stringify(json)).toHaveResourceWithProperties(EcrLifecyclePolicy, { repository: expect.stringMatching(/^\$\{aws_ecr_repository\.images_.*\.name\}$/) });
    expect(repo.imageUri('v2')).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}:v2$/);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('makes tags immutable on request', () => {
    const stack = awsTestStack();
    new aws.ContainerRepository(stack, 'images', { name: 'pinned', mutableTags: false });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(EcrRepository, { image_tag_mutability: 'IMMUTABLE' });
  });

  it('fails on a bad name', () => {
    expect(validationErrorOf(() => new aws.ContainerRepository(awsTestStack(), 'images', { name: 'Server Pod' }))).toContain('props.name: got "Server Pod"; expected lowercase letters');
  });
});
