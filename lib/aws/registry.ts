import { Construct } from 'constructs';
import { EcrLifecyclePolicy, EcrRepository } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';
import { ENVIRONMENT_NAMES } from '../naming';
import { suppressGuardrails } from '../guardrails/suppress';

/** Props of `ContainerRepository`. */
export interface ContainerRepositoryProps {
  /** Repository name: lowercase letters, digits and `-_./`. */
  readonly name: string;
  /**
   * Number of most recent images kept; older ones expire, so a rollback target is always there.
   * @default 30
   */
  readonly keepImages?: number;
  /**
   * Days after which untagged images (replaced builds) expire.
   * @default 7
   */
  readonly untaggedRetentionDays?: number;
  /**
   * Whether a tag, once pushed, can be moved. Deploys that roll a moving tag (`latest`, `production`) need
   * `true`; pin immutable version tags and set `false` for stricter provenance.
   * @default true
   */
  readonly mutableTags?: boolean;
  /**
   * Tags whose image never expires, however many newer images are pushed: the tags the servers pull (an Auto
   * Scaling group starting an instance pulls its environment's tag; if that image had expired, the instance could
   * never start). Letters, digits and `_.-`.
   * @default ['production', 'staging'] - the environments' tags
   */
  readonly keepTags?: readonly string[];
}

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/**
 * An ECR repository that the servers pull from and CI pushes to: scanned on push, encrypted, with a lifecycle
 * policy that expires untagged and old images but never the image an environment's tag points at.
 */
export class ContainerRepository extends Construct {
  /** The ECR repository. */
  public readonly repository: EcrRepository;
  /** Its lifecycle policy. */
  public readonly lifecyclePolicy: EcrLifecyclePolicy;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` (a token until apply). */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    literalStrings(this);
    const keep = props.keepImages ?? 30;
    const untaggedDays = props.untaggedRetentionDays ?? 7;
    const problems = new ProblemCollector('props.');
    problems.check(NAME.test(props.name) && props.name.length >= 2 && props.name.length <= 256, 'name', props.name, 'lowercase letters, digits and separators (. _ - /), 2 to 256 characters');
    problems.wholeNumber('keepImages', keep, 1).wholeNumber('untaggedRetentionDays', untaggedDays, 1);
    const keepTags = props.keepTags ?? ENVIRONMENT_NAMES;
    keepTags.forEach((tag, i) => problems.check(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) && keepTags.indexOf(tag) === i, `keepTags[${i}]`, tag, 'an image tag (letters, digits, _ . -, at most 128 characters), each once'));
    problems.throwIfAny(`ContainerRepository "${this.node.path}"`);

    this.repository = new EcrRepository(this, 'Resource', {
      name: props.name,
      imageTagMutability: props.mutableTags === false ? 'IMMUTABLE' : 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'AES256' }],
      forceDelete: false,
    });
    if (props.mutableTags !== false) {
      suppressGuardrails(this.repository, [
        { rule: 'AWS-ECR-TAG-IMMUTABLE', reason: 'deploys move the environment tags the servers pull (production, staging) to each new image; mutableTags false suits version tags', attributes: ['image_tag_mutability'] },
      ]);
    }
    this.lifecyclePolicy = new EcrLifecyclePolicy(this, 'Lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          // An image a higher-priority rule selects is never expired by a lower one (ECR's lifecycle evaluation
          // rules): each kept tag's one image is selected here, and kept.
          ...keepTags.map((tag, i) => ({
            rulePriority: i + 1,
            description: `Never expire the image tagged ${tag}`,
            selection: { tagStatus: 'tagged', tagPatternList: [tag], countType: 'imageCountMoreThan', countNumber: 1 },
            action: { type: 'expire' },
          })),
          {
            rulePriority: keepTags.length + 1,
            description: `Expire untagged images after ${untaggedDays} days`,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedDays },
            action: { type: 'expire' },
          },
          {
            rulePriority: keepTags.length + 2,
            description: `Keep the ${keep} most recent images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep },
            action: { type: 'expire' },
          },
        ],
      }),
    });
    this.url = this.repository.repositoryUrl;
  }

  /** Full reference of an image tag in this repository (a token until apply). */
  imageUri(tag: string): string {
    return `${this.url}:${tag}`;
  }
}
