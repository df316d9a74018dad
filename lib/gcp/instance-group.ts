import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import {
  ComputeAutoscaler,
  ComputeHealthCheck,
  ComputeInstanceGroupManager,
  ComputeInstanceTemplate,
  ComputeRegionAutoscaler,
  ComputeRegionInstanceGroupManager,
} from '../providers/google';
import { AppProfile } from '../app/profile';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';

export interface InstanceGroupProps {
  readonly project: string;
  readonly region: string;
  /** Prefix of every name (`serverpod-production` gives `serverpod-production-group`). */
  readonly namePrefix: string;
  readonly profile: AppProfile;
  /** Subnetwork the instances attach to (no public IP). */
  readonly subnetwork: string;
  /** Email of the instances' service account. */
  readonly serviceAccountEmail: string;
  /** The boot script that starts the container (see `renderBootScript`). */
  readonly startupScript: string;
  /** Network tags (the firewall rules target them). */
  readonly tags: readonly string[];
  /** @default 'e2-micro' */
  readonly machineType?: string;
  /** @default 20 */
  readonly bootDiskSizeGb?: number;
  /** @default 1 */
  readonly minInstances?: number;
  /** @default 2 */
  readonly maxInstances?: number;
  /** Average CPU use the autoscaler keeps the group at, in percent. @default 60 */
  readonly cpuTargetPercent?: number;
  /**
   * Run in one zone instead of spreading over the region's zones. A zonal group is cut off by a zone outage;
   * it exists for parity with Serverpod's module and for single-instance setups.
   * @default - regional, over the region's zones
   */
  readonly zone?: string;
  /** @default - instance labels from the provider's default labels only */
  readonly labels?: Readonly<Record<string, string>>;
  /** What the instances need before they boot (their secrets and read grants). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The servers: an instance template on Container-Optimized OS (shielded VM, OS Login, no public IP, the
 * container started by the boot script), a managed instance group with the profile's named ports, autohealing
 * on its health check, a rolling update that adds new instances before removing old ones, and a CPU
 * autoscaler. The group has no target size, so Terraform never resets what the autoscaler chose.
 */
export class InstanceGroup extends Construct {
  public readonly template: ComputeInstanceTemplate;
  public readonly healthCheck: ComputeHealthCheck;
  public readonly manager: ComputeRegionInstanceGroupManager | ComputeInstanceGroupManager;
  public readonly autoscaler: ComputeRegionAutoscaler | ComputeAutoscaler;
  /** The group's name, for `gcloud compute instance-groups managed rolling-action replace`. */
  public readonly groupName: string;
  /** The instance group (URL) a backend service sends traffic to. */
  public readonly instanceGroup: string;
  /**
   * The group manager's full resource name, as IAM Conditions see it (`resource.name`):
   * `projects/<project>/regions/<region>/instanceGroupManagers/<name>` (`zones/<zone>` for a zonal group).
   */
  public readonly managerResourceName: string;
  /** The start of every template's full resource name: `projects/<project>/global/instanceTemplates/<namePrefix>-`. */
  public readonly templateResourceNamePrefix: string;
  /** A zonal group (its operations are `compute.zoneOperations`), not a regional one (`compute.regionOperations`). */
  public readonly zonal: boolean;

  constructor(scope: Construct, id: string, props: InstanceGroupProps) {
    super(scope, id);
    literalStrings(this);
    const machineType = props.machineType ?? 'e2-micro';
    const min = props.minInstances ?? 1;
    const max = props.maxInstances ?? 2;
    const cpu = props.cpuTargetPercent ?? 60;
    const disk = props.bootDiskSizeGb ?? 20;
    const problems = new ProblemCollector('props.');
    problems.check(/^[a-z][a-z0-9]*-[a-z0-9-]+$/.test(machineType), 'machineType', machineType, 'a Compute Engine machine type such as e2-micro');
    problems.check(Number.isInteger(min) && min >= 0, 'minInstances', min, 'a whole number of at least 0');
    problems.check(Number.isInteger(max) && max >= 1 && max >= min, 'maxInstances', max, `a whole number of at least 1 and at least minInstances (${min})`);
    problems.check(cpu >= 10 && cpu <= 90, 'cpuTargetPercent', cpu, 'a percentage from 10 to 90');
    problems.check(Number.isInteger(disk) && disk >= 10, 'bootDiskSizeGb', disk, 'a whole number of at least 10');
    const timing = props.profile.healthCheck;
    // Compute Engine health checks and autohealing limits.
    problems.check(timing.intervalSec <= 300, 'profile.healthCheck.intervalSec', timing.intervalSec, 'at most 300 (a Compute Engine health check limit)');
    problems.check(timing.healthyThreshold <= 10, 'profile.healthCheck.healthyThreshold', timing.healthyThreshold, 'at most 10 (a Compute Engine health check limit)');
    problems.check(timing.unhealthyThreshold * 2 <= 10, 'profile.healthCheck.unhealthyThreshold', timing.unhealthyThreshold, 'at most 5 (autohealing waits for twice as many failures, and Compute Engine allows 10)');
    problems.check(timing.gracePeriodSec <= 3600, 'profile.healthCheck.gracePeriodSec', timing.gracePeriodSec, 'at most 3600 (the longest autohealing initial delay)');
    if (props.zone !== undefined) {
      problems.check(props.zone.startsWith(`${props.region}-`) && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(props.zone), 'zone', props.zone, `a zone of ${props.region}, such as ${props.region}-a`);
    }
    problems.throwIfAny(`InstanceGroup "${this.node.path}"`);

    const p = props.namePrefix;
    const hc = props.profile.healthCheck;
    const hcPort = props.profile.port(hc.portName);
    // Liveness, not readiness: autohealing recreates instances, so it probes what fails only when the process
    // does (its liveness path, or a TCP connect), never what follows the database.
    this.healthCheck = new ComputeHealthCheck(this, 'AutohealingHealthCheck', {
      project: props.project,
      name: `${p}-group-health-check`,
      checkIntervalSec: hc.intervalSec,
      timeoutSec: hc.timeoutSec,
      healthyThreshold: hc.healthyThreshold,
      // Autohealing recreates instances: be slower to give up on one than the load balancer is.
      unhealthyThreshold: hc.unhealthyThreshold * 2,
      httpHealthCheck: hcPort.livenessPath ? { port: hcPort.port, requestPath: hcPort.livenessPath } : undefined,
      tcpHealthCheck: hcPort.livenessPath ? undefined : { port: hcPort.port },
      logConfig: { enable: false },
    });

    this.template = new ComputeInstanceTemplate(this, 'Template', {
      project: props.project,
      namePrefix: `${p}-`,
      description: `${props.profile.name} servers (${p}), managed by cdktf-serverpod`,
      machineType,
      region: props.region,
      disk: [{ sourceImage: 'cos-cloud/cos-stable', boot: true, autoDelete: true, diskSizeGb: disk, diskType: 'pd-balanced' }],
      networkInterface: [{ subnetwork: props.subnetwork }],
      serviceAccount: { email: props.serviceAccountEmail, scopes: ['cloud-platform'] },
      shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
      metadata: {
        'enable-oslogin': 'TRUE',
        'block-project-ssh-keys': 'TRUE',
        'google-logging-enabled': 'true',
        'google-monitoring-enabled': 'true',
        'startup-script': props.startupScript,
      },
      tags: [...props.tags],
      labels: props.labels ? { ...props.labels } : undefined,
      // A changed template is a new template: create it before the group lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });

    const namedPort = props.profile.ports.map((port) => ({ name: port.name, port: port.port }));
    const autoHealingPolicies = { healthCheck: this.healthCheck.id, initialDelaySec: hc.gracePeriodSec };
    const version = [{ name: 'primary', instanceTemplate: this.template.id }];
    this.groupName = `${p}-group`;
    this.zonal = props.zone !== undefined;
    this.managerResourceName = `projects/${props.project}/${props.zone ? `zones/${props.zone}` : `regions/${props.region}`}/instanceGroupManagers/${this.groupName}`;
    // Instance templates are global resources, whatever region their subnetwork is in.
    this.templateResourceNamePrefix = `projects/${props.project}/global/instanceTemplates/${p}-`;
    if (props.zone) {
      const manager = new ComputeInstanceGroupManager(this, 'Resource', {
        project: props.project,
        name: this.groupName,
        zone: props.zone,
        baseInstanceName: p,
        version,
        namedPort,
        autoHealingPolicies,
        updatePolicy: { type: 'PROACTIVE', minimalAction: 'REPLACE', maxSurgeFixed: 1, maxUnavailableFixed: 0, replacementMethod: 'SUBSTITUTE' },
        dependsOn: props.dependsOn,
      });
      this.manager = manager;
      this.instanceGroup = manager.instanceGroup;
      this.autoscaler = new ComputeAutoscaler(this, 'Autoscaler', {
        project: props.project,
        name: `${p}-autoscaler`,
        zone: props.zone,
        target: manager.id,
        autoscalingPolicy: { minReplicas: min, maxReplicas: max, cooldownPeriod: 120, cpuUtilization: { target: cpu / 100 } },
      });
    } else {
      const manager = new ComputeRegionInstanceGroupManager(this, 'Resource', {
        project: props.project,
        name: this.groupName,
        region: props.region,
        baseInstanceName: p,
        version,
        namedPort,
        autoHealingPolicies,
        // A regional group surges by at least one instance per zone; three covers every region.
        updatePolicy: { type: 'PROACTIVE', minimalAction: 'REPLACE', maxSurgeFixed: 3, maxUnavailableFixed: 0, replacementMethod: 'SUBSTITUTE', instanceRedistributionType: 'PROACTIVE' },
        dependsOn: props.dependsOn,
      });
      this.manager = manager;
      this.instanceGroup = manager.instanceGroup;
      this.autoscaler = new ComputeRegionAutoscaler(this, 'Autoscaler', {
        project: props.project,
        name: `${p}-autoscaler`,
        region: props.region,
        target: manager.id,
        autoscalingPolicy: { minReplicas: min, maxReplicas: max, cooldownPeriod: 120, cpuUtilization: { target: cpu / 100 } },
      });
    }
  }
}
