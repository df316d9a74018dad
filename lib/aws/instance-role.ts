import { Construct } from 'constructs';
import { IamInstanceProfile, IamRole, IamRolePolicy } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { PolicyStatement, fitName, partitionOf, policyDocument } from './common';
import { lazyLiteral, literalStrings } from '../terraform-strings';

/** Props of `InstanceRole`. */
export interface InstanceRoleProps {
  /** Role and instance profile name (at most 64 characters; longer names are shortened with a hash). */
  readonly name: string;
  /** Region, for the ARN partition. */
  readonly region: string;
  /** ARN of the ECR repository the instances pull from. */
  readonly repositoryArn: string;
  /** Secrets Manager secret ARNs the instances read at boot; `grantSecretRead` adds more. @default [] */
  readonly secretArns?: readonly string[];
  /**
   * Bucket ARNs the server reads and writes objects in with this role (from the container, which then needs
   * `ServerGroupProps.metadataHopLimit` 2). Not buckets a client reaches with keys of its own. @default []
   */
  readonly bucketArns?: readonly string[];
  /** ARN of the CloudWatch log group the container logs and the host's failure reports go to. */
  readonly logGroupArn: string;
  /**
   * Session Manager's minimum permissions (inline, not `AmazonSSMManagedInstanceCore`, which also reads every
   * SSM parameter), so operators open a shell without SSH, a key pair or port 22.
   * @default true
   */
  readonly sessionManager?: boolean;
}

/**
 * The servers' IAM role and instance profile, with only what they need: pull from one ECR repository, read
 * their own secrets, use their own buckets, write their own log group, and Session Manager.
 */
export class InstanceRole extends Construct {
  /** The IAM role. */
  public readonly role: IamRole;
  /** The instance profile the launch template uses. */
  public readonly instanceProfile: IamInstanceProfile;
  /** The role's inline policy. */
  public readonly policy: IamRolePolicy;
  private readonly secretArns: string[] = [];
  private readonly firstValueArns: string[] = [];
  private readonly extraStatements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    problems.check(/^[\w+=,.@-]+$/.test(props.name), 'name', props.name, 'letters, digits and _+=,.@-');
    problems.throwIfAny(`InstanceRole "${this.node.path}"`);
    const name = fitName(props.name, 64);
    this.role = new IamRole(this, 'Resource', {
      name,
      description: 'Server instances: pull the image, read their secrets, use their buckets, write logs',
      assumeRolePolicy: policyDocument([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
    });
    this.instanceProfile = new IamInstanceProfile(this, 'InstanceProfile', { name, role: this.role.name });

    const statements: PolicyStatement[] = [
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Sid: 'EcrPull', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], Resource: props.repositoryArn },
      // All Docker's awslogs driver needs (and the host's failure reports, stream host/<instance id>): streams of
      // this group only, no reading them back.
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [props.logGroupArn, `${props.logGroupArn}:*`] },
    ];
    if (props.sessionManager ?? true) {
      // Session Manager's own minimum, not AmazonSSMManagedInstanceCore: that one also reads every SSM
      // parameter in the account, and the container may be able to use this role. The ssmmessages actions take
      // no resource; ssm:UpdateInstanceInformation is left at * as in AWS's own minimal policy.
      statements.push(
        { Sid: 'SessionManager', Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '*' },
        { Sid: 'SessionChannels', Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' },
      );
    }
    this.secretArns.push(...(props.secretArns ?? []));
    if (props.bucketArns && props.bucketArns.length > 0) {
      statements.push(
        { Sid: 'BucketList', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: [...props.bucketArns] },
        { Sid: 'BucketObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: props.bucketArns.map((arn) => `${arn}/*`) },
      );
    }
    // Rendered at synth, so secrets granted after construction (the database's) are included.
    const policy = lazyLiteral(
      () =>
        policyDocument([
          ...statements,
          ...(this.secretArns.length ? [{ Sid: 'Secrets', Effect: 'Allow' as const, Action: 'secretsmanager:GetSecretValue', Resource: [...this.secretArns] }] : []),
          ...(this.firstValueArns.length ? [{ Sid: 'GeneratedSecrets', Effect: 'Allow' as const, Action: 'secretsmanager:PutSecretValue', Resource: [...this.firstValueArns] }] : []),
          ...this.extraStatements,
        ]),
    );
    this.policy = new IamRolePolicy(this, 'Policy', { name: 'server', role: this.role.id, policy });
  }

  /** Lets the instances start an instance refresh of their own group (after their database password rotated). */
  grantInstanceRefresh(region: string, autoScalingGroupName: string): void {
    this.extraStatements.push({ Sid: 'RefreshOwnGroup', Effect: 'Allow', Action: 'autoscaling:StartInstanceRefresh', Resource: groupArn(region, autoScalingGroupName) });
  }

  /** Lets the instances complete their own group's lifecycle hooks (entering service once ready). */
  grantCompleteLifecycleAction(region: string, autoScalingGroupName: string): void {
    this.extraStatements.push({ Sid: 'CompleteOwnLaunch', Effect: 'Allow', Action: 'autoscaling:CompleteLifecycleAction', Resource: groupArn(region, autoScalingGroupName) });
  }

  /** Lets the instances mark themselves unhealthy in their own group (the liveness watch). */
  grantSetInstanceHealth(region: string, autoScalingGroupName: string): void {
    this.extraStatements.push({ Sid: 'MarkHealthInOwnGroup', Effect: 'Allow', Action: 'autoscaling:SetInstanceHealth', Resource: groupArn(region, autoScalingGroupName) });
  }

  /** Lets the instances read these Secrets Manager secrets. */
  grantSecretRead(...secretArns: string[]): void {
    this.secretArns.push(...secretArns);
  }

  /** Lets the instances read these secrets and give them their first value (the boot script generates it). */
  grantSecretGenerate(...secretArns: string[]): void {
    this.secretArns.push(...secretArns);
    this.firstValueArns.push(...secretArns);
  }
}

/** An Auto Scaling group's ARN by name, in any account of the region's partition. */
function groupArn(region: string, autoScalingGroupName: string): string {
  return `arn:${partitionOf(region)}:autoscaling:${region}:*:autoScalingGroup:*:autoScalingGroupName/${autoScalingGroupName}`;
}
