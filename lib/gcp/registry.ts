import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ArtifactRegistryRepository } from '../providers/google';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';

/** Props of `ContainerRegistry`. */
export interface ContainerRegistryProps {
  /** The GCP project id. */
  readonly project: string;
  /** Region of the repository; keep it in the servers' region so pulls stay regional. */
  readonly location: string;
  /** Repository id: lowercase letters, digits and hyphens. */
  readonly repositoryId: string;
  /** @default - names the project */
  readonly description?: string;
  /**
   * Number of most recent image versions kept whatever their age, so a rollback target is always there.
   * @default 10
   */
  readonly keepRecentVersions?: number;
  /**
   * Days after which untagged images (replaced builds) are deleted.
   * @default 7
   */
  readonly untaggedRetentionDays?: number;
  /** Resources that must exist first (the Artifact Registry API). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

const REPOSITORY_ID = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * An Artifact Registry Docker repository that the servers pull from and CI pushes to, with cleanup
 * policies so old builds do not accumulate cost.
 */
export class ContainerRegistry extends Construct {
  /** The Artifact Registry repository. */
  public readonly repository: ArtifactRegistryRepository;
  /** `<region>-docker.pkg.dev/<project>/<repository>`: prefix of every image in the repository. */
  public readonly path: string;
  /** `<region>-docker.pkg.dev`: the host docker logs in to. */
  public readonly host: string;
  /** The GCP project id. */
  public readonly project: string;
  /** The repository's region. */
  public readonly location: string;
  /** The repository's id. */
  public readonly repositoryId: string;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    literalStrings(this);
    const keep = props.keepRecentVersions ?? 10;
    const untaggedDays = props.untaggedRetentionDays ?? 7;
    const problems = new ProblemCollector('props.');
    problems.check(REPOSITORY_ID.test(props.repositoryId), 'repositoryId', props.repositoryId, 'lowercase letters, digits and hyphens, starting with a letter, at most 63 characters');
    problems.wholeNumber('keepRecentVersions', keep, 1).wholeNumber('untaggedRetentionDays', untaggedDays, 1);
    problems.throwIfAny(`ContainerRegistry "${this.node.path}"`);

    this.repository = new ArtifactRegistryRepository(this, 'Resource', {
      project: props.project,
      location: props.location,
      repositoryId: props.repositoryId,
      format: 'DOCKER',
      description: props.description ?? `Container images of ${props.repositoryId}, managed by cdktf-serverpod`,
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        { id: 'keep-recent', action: 'KEEP', mostRecentVersions: { keepCount: keep } },
        { id: 'delete-untagged', action: 'DELETE', condition: { tagState: 'UNTAGGED', olderThan: `${untaggedDays * 86400}s` } },
      ],
      dependsOn: props.dependsOn,
    });
    this.project = props.project;
    this.location = props.location;
    this.repositoryId = props.repositoryId;
    this.host = `${props.location}-docker.pkg.dev`;
    this.path = `${this.host}/${props.project}/${props.repositoryId}`;
  }

  /** Full reference of an image in this repository. */
  imageUri(image: string, tag: string): string {
    return `${this.path}/${image}:${tag}`;
  }
}
