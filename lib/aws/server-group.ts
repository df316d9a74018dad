import { Fn, ITerraformDependable, TerraformLocal, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AutoscalingGroup, AutoscalingPolicy, LaunchTemplate, SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { ARCHITECTURES, Architecture, al2023ImageParameter, instanceArchitecture } from './common';
import { AppLoadBalancer } from './load-balancer';
import { literalStrings } from '../terraform-strings';
import { gzippedBytes } from '../app/boot-script';

/** Props of `ServerGroup`. */
export interface ServerGroupProps {
  /** Name of the launch template, Auto Scaling group and security group (`serverpod-production-server`). */
  readonly name: string;
  /** The VPC's id. */
  readonly vpcId: string;
  /** Private subnets the instances run in, in at least two zones. */
  readonly subnetIds: readonly string[];
  /** EC2 instance type; its family must match `architecture` (`t3.small` for x86_64, `t4g.small` for arm64). */
  readonly instanceType: string;
  /**
   * CPU architecture: `x86_64`, or `arm64` for Graviton (cheaper per vCPU; the image must be built for arm64).
   * @default 'x86_64'
   */
  readonly architecture?: Architecture;
  /**
   * An explicit AMI id. Pin one to control when the OS changes.
   * @default - the latest Amazon Linux 2023 for the architecture, resolved by EC2 at launch from its public
   * SSM parameter (`resolve:ssm:...`), so plan needs no AMI look-up and every new instance gets current patches
   */
  readonly amiId?: string;
  /** ARN of the instance profile (from `InstanceRole`). */
  readonly instanceProfileArn: string;
  /** Boot script (plain text; it is gzipped and base64-encoded here). Must not contain secrets. */
  readonly userData: string;
  /** What must exist before instances boot (the role's policy, so the boot script may read its secrets). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** The load balancer whose target groups the instances join; its security group alone may reach the ports. */
  readonly loadBalancer: AppLoadBalancer;
  /** Container ports the load balancer reaches. */
  readonly ports: readonly number[];
  /** @default 1 */
  readonly minInstances?: number;
  /**
   * The most instances scaling may run. A group of fixed size (`minInstances` equal to it) gets room above it for
   * replacements and no scaling policy: see `ServerGroup`.
   * @default 2
   */
  readonly maxInstances?: number;
  /**
   * Average CPU the group scales to hold (target tracking). Not used by a group of fixed size.
   * @default 60
   */
  readonly cpuTargetPercent?: number;
  /**
   * Seconds after launch before failed health checks replace an instance (boot, image pull, migrations).
   * @default 300
   */
  readonly healthCheckGracePeriodSec?: number;
  /**
   * What replaces instances: `ELB`, the load balancer's (readiness) checks as well as EC2's; or `EC2`, only
   * EC2's status checks and what the instances report themselves (`aws autoscaling set-instance-health`, as
   * the cluster's liveness watch does), so a dependency outage that fails readiness replaces nothing.
   * @default 'ELB'
   */
  readonly healthCheckType?: 'ELB' | 'EC2';
  /**
   * Seconds a new instance gets before it counts toward capacity in scaling and rolling deploys. With `EC2`
   * health checks, keep it past the grace period, so a refresh waits until the liveness watch could have
   * judged the new instance.
   * @default - the grace period
   */
  readonly instanceWarmupSec?: number;
  /**
   * A launch lifecycle hook: a new instance enters service (and counts in a refresh) only once its boot script
   * completes the hook, which it does when the server answers its readiness checks; one that never does is
   * abandoned (terminated) after `heartbeatTimeoutSec`. Terraform then does not wait for capacity, so a first
   * apply before any image is pushed still finishes.
   * @default - no hook: an instance is in service once it runs
   */
  readonly launchReadiness?: {
    /** Seconds the hook waits for the instance to complete it before abandoning it. */
    readonly heartbeatTimeoutSec: number;
  };
  /**
   * Root volume size (gp3, encrypted).
   * @default 20
   */
  readonly rootVolumeGb?: number;
  /**
   * Hop limit of the instance metadata service (IMDSv2 is always required). 1 keeps the instance role to the
   * host (the boot script, Docker's log driver, the watches): a container on Docker's bridge network is one hop
   * further and gets no answer. 2 lets the container use the role too; give it only to a server that calls AWS
   * with the SDK's default credentials.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * Percentage of capacity kept healthy during an instance refresh. 100 with a maximum of 200 starts the new
   * instance before stopping the old one, so a one-instance group deploys without downtime.
   * @default 100
   */
  readonly minHealthyPercent?: number;
}

/**
 * The servers: a launch template (IMDSv2 required, encrypted gp3 root volume, no key pair, no public address)
 * and an Auto Scaling group in private subnets with load-balancer (or EC2) health checks, a grace period, rolling
 * instance refresh on every template change, an instance maintenance policy that launches before it
 * terminates, and CPU target tracking. `desired_capacity` is left to the
 * scaling policy, so `terraform apply` never resets it. The security group admits the app ports only from the
 * load balancer's security group; no SSH (use Session Manager).
 *
 * A group of fixed size (`minInstances` = `maxInstances`, such as 1/1) has `max_size` of twice its size with
 * launch-before-terminate (`maxSize`), `desired_capacity` set to its size and no scaling policy, so only a
 * replacement (refresh, unhealthy instance) uses the room, launching before it terminates.
 */
export class ServerGroup extends Construct {
  /** The instances' security group (the ports from the load balancer's group only). */
  public readonly securityGroup: SecurityGroup;
  /** The launch template. */
  public readonly launchTemplate: LaunchTemplate;
  /** The Auto Scaling group. */
  public readonly autoScalingGroup: AutoscalingGroup;
  /** CPU target tracking; none for a group of fixed size (`minInstances` = `maxInstances`). */
  public readonly cpuScalingPolicy?: AutoscalingPolicy;
  /** The group's `max_size`: `maxInstances`, or, for a group of fixed size, the room its replacements take. */
  public readonly maxSize: number;
  /** The boot script as a Terraform local (a string template), base64-encoded into the launch template. */
  public readonly userData: TerraformLocal;
  /** The instances' CPU architecture. */
  public readonly architecture: Architecture;
  /** Name of the launch lifecycle hook, with `launchReadiness`. */
  public readonly launchHookName?: string;

  constructor(scope: Construct, id: string, props: ServerGroupProps) {
    super(scope, id);
    literalStrings(this);
    const architecture = props.architecture ?? 'x86_64';
    const min = props.minInstances ?? 1;
    const max = props.maxInstances ?? 2;
    const cpuTarget = props.cpuTargetPercent ?? 60;
    const grace = props.healthCheckGracePeriodSec ?? 300;
    const warmup = props.instanceWarmupSec ?? grace;
    const healthCheckType = props.healthCheckType ?? 'ELB';
    const rootGb = props.rootVolumeGb ?? 20;
    const hopLimit = props.metadataHopLimit ?? 1;
    const minHealthy = props.minHealthyPercent ?? 100;
    const maxHealthy = minHealthy === 100 ? 200 : 100;
    const problems = new ProblemCollector('props.');
    problems.check(ARCHITECTURES.includes(architecture), 'architecture', architecture, `one of ${ARCHITECTURES.join(', ')}`);
    problems.check(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(props.instanceType), 'instanceType', props.instanceType, 'an EC2 instance type such as t3.micro or t4g.small');
    if (ARCHITECTURES.includes(architecture) && /^[a-z]/.test(props.instanceType)) {
      problems.check(
        instanceArchitecture(props.instanceType) === architecture,
        'instanceType',
        props.instanceType,
        architecture === 'arm64' ? 'a Graviton (arm64) type such as t4g.small or m7g.large, as architecture is arm64' : 'an x86_64 type such as t3.small or m7i.large, as architecture is x86_64',
      );
    }
    if (props.amiId !== undefined) problems.check(/^ami-[0-9a-f]{8,17}$/.test(props.amiId), 'amiId', props.amiId, 'an AMI id such as ami-0123456789abcdef0');
    problems.wholeNumber('minInstances', min, 0).wholeNumber('maxInstances', max, 1);
    problems.check(min <= max, 'minInstances', min, `at most maxInstances (${max})`);
    problems.check(Number.isInteger(cpuTarget) && cpuTarget >= 10 && cpuTarget <= 90, 'cpuTargetPercent', cpuTarget, 'a whole number from 10 to 90');
    problems.wholeNumber('healthCheckGracePeriodSec', grace, 0);
    problems.wholeNumber('instanceWarmupSec', warmup, 0);
    problems.check(['ELB', 'EC2'].includes(healthCheckType), 'healthCheckType', healthCheckType, 'ELB or EC2');
    if (props.launchReadiness) {
      const heartbeat = props.launchReadiness.heartbeatTimeoutSec;
      problems.check(Number.isInteger(heartbeat) && heartbeat >= 30 && heartbeat <= 7200, 'launchReadiness.heartbeatTimeoutSec', heartbeat, 'a whole number of seconds from 30 to 7200 (an Auto Scaling limit)');
    }
    problems.check(Number.isInteger(rootGb) && rootGb >= 8 && rootGb <= 16384, 'rootVolumeGb', rootGb, 'a whole number from 8 to 16384');
    problems.check(Number.isInteger(hopLimit) && hopLimit >= 1 && hopLimit <= 64, 'metadataHopLimit', hopLimit, 'a whole number from 1 to 64');
    problems.check(Number.isInteger(minHealthy) && minHealthy >= 0 && minHealthy <= 100, 'minHealthyPercent', minHealthy, 'a whole number from 0 to 100');
    problems.check(props.subnetIds.length >= 1, 'subnetIds', props.subnetIds, 'at least one subnet');
    if (!Token.isUnresolved(props.userData)) {
      const bytes = gzippedBytes(props.userData);
      problems.check(bytes <= 16384, 'userData', `${bytes} bytes gzipped`, 'at most 16384 bytes gzipped (an EC2 limit)');
    }
    problems.throwIfAny(`ServerGroup "${this.node.path}"`);
    this.architecture = architecture;
    // Launch before terminate needs room above the group's size. AWS documents going past max_size to rebalance
    // (by up to 10%), not for a refresh or a health replacement, so a group of fixed size (staging's 1/1) gets the
    // room its replacements take (max healthy percentage of its size), its size as desired capacity, and no
    // scaling policy, which would otherwise use that room.
    const fixedSize = min === max;
    this.maxSize = fixedSize && maxHealthy > 100 ? Math.ceil((max * maxHealthy) / 100) : max;

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: props.name,
      description: 'Server instances: app ports from the load balancer only, no SSH',
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    new VpcSecurityGroupEgressRule(this, 'EgressAll', {
      securityGroupId: this.securityGroup.id,
      ipProtocol: '-1',
      cidrIpv4: '0.0.0.0/0',
      description: 'Image pulls, AWS APIs, database, Redis',
    });
    for (const port of [...new Set(props.ports)]) {
      new VpcSecurityGroupIngressRule(this, `from-load-balancer-${port}`, {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: props.loadBalancer.securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `Port ${port} from the load balancer`,
      });
      new VpcSecurityGroupEgressRule(props.loadBalancer, `to-servers-${port}`, {
        securityGroupId: props.loadBalancer.securityGroup.id,
        referencedSecurityGroupId: this.securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `Port ${port} to the servers`,
      });
    }

    // A local holds the script as a Terraform string template (references interpolated); base64gzip of it
    // avoids quoting a multi-line literal inside an HCL expression, and EC2's 16 KiB counts the gzipped bytes
    // (cloud-init unpacks gzip user data by itself).
    this.userData = new TerraformLocal(this, 'UserData', props.userData);
    this.launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      name: props.name,
      description: `${props.name}: Amazon Linux 2023 running the server container`,
      imageId: props.amiId ?? `resolve:ssm:${al2023ImageParameter(architecture)}`,
      instanceType: props.instanceType,
      iamInstanceProfile: { arn: props.instanceProfileArn },
      vpcSecurityGroupIds: [this.securityGroup.id],
      updateDefaultVersion: true,
      userData: Fn.base64gzip(this.userData.asString),
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: hopLimit, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: rootGb, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }],
      monitoring: { enabled: false },
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: props.name } },
        { resourceType: 'volume', tags: { Name: props.name } },
      ],
    });

    this.autoScalingGroup = new AutoscalingGroup(this, 'Resource', {
      name: props.name,
      minSize: min,
      maxSize: this.maxSize,
      vpcZoneIdentifier: [...props.subnetIds],
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      targetGroupArns: Object.values(props.loadBalancer.targetGroups).map((tg) => tg.arn),
      healthCheckType,
      healthCheckGracePeriod: grace,
      defaultInstanceWarmup: warmup,
      // A new template version (image setting, boot script) rolls through the instances. No auto-rollback:
      // AWS refuses it for a launch template whose image is an SSM parameter (resolve:ssm:), and with 100%
      // kept healthy a failing new instance never replaces a serving one anyway.
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: minHealthy, maxHealthyPercentage: maxHealthy, instanceWarmup: String(warmup), autoRollback: false },
      },
      // Replacing an unhealthy instance (or one AWS retires) launches the new one before the old one stops.
      instanceMaintenancePolicy: { minHealthyPercentage: minHealthy, maxHealthyPercentage: maxHealthy },
      initialLifecycleHook: props.launchReadiness
        ? [{ name: `${props.name}-ready`, lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', defaultResult: 'ABANDON', heartbeatTimeout: props.launchReadiness.heartbeatTimeoutSec }]
        : undefined,
      // Instances wait for readiness, which needs a pushed image: apply does not wait for them.
      waitForCapacityTimeout: props.launchReadiness ? '0' : undefined,
      enabledMetrics: ['GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupMinSize', 'GroupMaxSize', 'GroupTotalInstances'],
      tag: [{ key: 'Name', value: props.name, propagateAtLaunch: true }],
      // desired_capacity is not set: the scaling policy owns it, and apply never resets it. A group of fixed size
      // has no policy: it is set, so a smaller size (2/2 to 1/1) is not left running within the larger max_size.
      desiredCapacity: fixedSize ? min : undefined,
      dependsOn: props.dependsOn,
    });

    this.launchHookName = props.launchReadiness ? `${props.name}-ready` : undefined;
    this.cpuScalingPolicy = fixedSize
      ? undefined
      : new AutoscalingPolicy(this, 'CpuScaling', {
          name: `${props.name}-cpu`,
          autoscalingGroupName: this.autoScalingGroup.name,
          policyType: 'TargetTrackingScaling',
          targetTrackingConfiguration: {
            predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
            targetValue: cpuTarget,
          },
        });
  }
}
