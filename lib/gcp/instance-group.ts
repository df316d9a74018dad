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
import { zonesOf } from './zones';

/** Props of `InstanceGroup`. */
export interface InstanceGroupProps {
  /** The GCP project id. */
  readonly project: string;
  /** The region it is created in. */
  readonly region: string;
  /** Prefix of every name (`serverpod-production` gives `serverpod-production-group`). */
  readonly namePrefix: string;
  /** The server: its ports become the group's named ports, its health check the autohealing check. */
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
  /**
   * The zones a regional group spreads over, named so the rolling update's surge can match them
   * (`maxSurge`). Each must be a zone of `region` in `GCP_ZONES`. Fixed when the group is created: a later change is
   * ignored, since Terraform could only apply it by replacing the group.
   * @default - the region's first three zones in `GCP_ZONES` (all of them where it has fewer)
   */
  readonly zones?: readonly string[];
  /** @default - instance labels from the provider's default labels only */
  readonly labels?: Readonly<Record<string, string>>;
  /** What the instances need before they boot (their secrets and read grants). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}


/**
 * Instances a rolling update adds to a group beside its running ones (`InstanceGroup.maxSurge`): 1 for a zonal
 * group, else one per zone and at least 3. The connection budget counts them.
 */
export function rollingSurge(zone: string | undefined, zones: readonly string[]): number {
  return zone ? 1 : Math.max(3, zones.length);
}
/**
 * The servers: an instance template on Container-Optimized OS (shielded VM, OS Login, no public IP, the
 * container started by the boot script), a managed instance group with the profile's named ports, autohealing
 * on its health check, a rolling update that adds new instances before removing old ones, and a CPU
 * autoscaler. The group has no target size, so Terraform never resets what the autoscaler chose.
 */
export class InstanceGroup extends Construct {
  /** The instance template. */
  public readonly template: ComputeInstanceTemplate;
  /** The autohealing health check. */
  public readonly healthCheck: ComputeHealthCheck;
  /** The managed instance group: regional, or zonal with `zone`. */
  public readonly manager: ComputeRegionInstanceGroupManager | ComputeInstanceGroupManager;
  /** The CPU autoscaler. */
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
  /** The zones the group runs in: its one zone, or the regional group's distribution zones. */
  public readonly zones: readonly string[];
  /** Instances a rolling update adds over the group's size at most (one per zone for a regional group). */
  public readonly maxSurge: number;

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
    const known = zonesOf(props.region);
    if (props.zone !== undefined) {
      const ok = props.zone.startsWith(`${props.region}-`) && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(props.zone) && (known.length === 0 || known.includes(props.zone));
      problems.check(ok, 'zone', props.zone, `a zone of ${props.region}, such as ${known[0] ?? `${props.region}-a`}`);
    }
    const zones = props.zone !== undefined ? [props.zone] : props.zones ? [...props.zones] : known.slice(0, 3);
    if (props.zone === undefined) {
      const list = known.length ? known.join(', ') : `a zone name such as ${props.region}-a (GCP_ZONES lists none for ${props.region})`;
      problems.check(zones.length > 0, 'zones', props.zones, `at least one zone of ${props.region}: ${list}`);
      problems.check(new Set(zones).size === zones.length, 'zones', props.zones, 'each zone once');
      zones.forEach((z, i) => {
        const ok = known.length ? known.includes(z) : z.startsWith(`${props.region}-`) && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(z);
        problems.check(ok, `zones[${i}]`, z, `a zone of ${props.region}: ${list}`);
      });
    } else {
      problems.check(props.zones === undefined, 'zones', props.zones, 'nothing with zone (a zonal group runs in that one zone)');
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
    this.zones = zones;
    // The provider and the API take a fixed surge (or unavailable count) for a regional group only if it is 0 or at
    // least the number of zones it spans (registry.terraform.io/providers/hashicorp/google/latest/docs/resources/
    // compute_region_instance_group_manager, update_policy.max_surge_fixed): one new instance per zone. Unavailable
    // stays 0, which is always allowed: capacity never drops during a roll. A regional group's is at least 3: one made
    // before its zones were named (ignored once it exists) spans the up to 3 zones the API picked.
    this.maxSurge = rollingSurge(props.zone, zones);
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
        updatePolicy: { type: 'PROACTIVE', minimalAction: 'REPLACE', maxSurgeFixed: this.maxSurge, maxUnavailableFixed: 0, replacementMethod: 'SUBSTITUTE' },
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
        // Named, so the surge below is known to match them (left out, the API picks the zones itself).
        distributionPolicyZones: [...zones],
        updatePolicy: { type: 'PROACTIVE', minimalAction: 'REPLACE', maxSurgeFixed: this.maxSurge, maxUnavailableFixed: 0, replacementMethod: 'SUBSTITUTE', instanceRedistributionType: 'PROACTIVE' },
        dependsOn: props.dependsOn,
        // The zones force a new group when they change, and a group a backend service uses cannot be deleted: keep a
        // group's zones as created (groups from before the zones were named keep the API's choice).
        lifecycle: { ignoreChanges: ['distribution_policy_zones'] },
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
