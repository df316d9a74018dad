import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { CLOUD_RUN_RESERVED, CLOUD_RUN_VALUE_BYTES, environmentProblems, isReserved } from '../app/environment';
import { AppPort, ContainerEnvironment, HTTP_PATH } from '../app/profile';
import {
  CloudRunV2Job,
  CloudRunV2JobIamMember,
  CloudRunV2Service,
  CloudRunV2ServiceIamMember,
  CloudSchedulerJob,
  ServiceAccount,
} from '../providers/google';
import { boundedName } from '../naming';
import { literalStrings } from '../terraform-strings';
import { ProblemCollector } from '../validation';
import { CLOUD_RUN_CPU, CLOUD_RUN_MEMORY, CloudRunCpu, CloudRunMemory, cpuMemoryProblem, isCron } from './cloud-run-limits';

export { CLOUD_RUN_CPU, CLOUD_RUN_MEMORY, isCron } from './cloud-run-limits';
export type { CloudRunCpu, CloudRunMemory } from './cloud-run-limits';

/** How a Cloud Run workload reaches a VPC (for Cloud SQL's private IP, Memorystore). */
export type CloudRunVpcAccess =
  | {
      /** Direct VPC egress: instances take addresses in a subnet. */
      readonly kind: 'direct';
      /** The VPC network's name or id. */
      readonly network: string;
      /** The subnet's name or id, in the workload's region. */
      readonly subnetwork: string;
    }
  | {
      /** Through a Serverless VPC Access connector. */
      readonly kind: 'connector';
      /** The connector's id. */
      readonly connector: string;
    };

/** What a Cloud Run service or job runs: shared by both. */
export interface CloudRunContainerProps {
  /** The GCP project id. */
  readonly project: string;
  /** The region the workload runs in. */
  readonly region: string;
  /** Image reference. */
  readonly image: string;
  /** Environment for the container, from `AppProfile.containerEnvironment`; secrets become Secret Manager references. */
  readonly environment: ContainerEnvironment;
  /** Service account the workload runs as. */
  readonly serviceAccountEmail: string;
  /** @default '1' */
  readonly cpu?: CloudRunCpu;
  /** @default '512Mi' */
  readonly memory?: CloudRunMemory;
  /** Cloud SQL instances (connection names) mounted as Unix sockets under `/cloudsql`. @default [] */
  readonly cloudSqlInstances?: readonly string[];
  /** VPC access, for private services such as Cloud SQL's private IP and Memorystore. @default - none */
  readonly vpcAccess?: CloudRunVpcAccess;
  /** Replace the image's entrypoint. @default - the image's */
  readonly command?: readonly string[];
  /** @default - the image's */
  readonly args?: readonly string[];
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Terraform sets the image only when it creates the workload; later image changes belong to the deploy
   * workflow (`gcloud run deploy`, `gcloud run jobs update`), so an apply never rolls back a deployed version.
   * @default false - Terraform owns the image
   */
  readonly imageOwnedByDeploys?: boolean;
}

/** Google's public sample images: what a new service or job runs until the first deploy pushes the real one. */
export const PLACEHOLDER_IMAGES = {
  /** Answers HTTP requests on the port Cloud Run gives it. */
  service: 'us-docker.pkg.dev/cloudrun/container/hello',
  /** Runs and exits successfully. */
  job: 'us-docker.pkg.dev/cloudrun/container/job',
} as const;

function checkContainer(problems: ProblemCollector, props: CloudRunContainerProps): void {
  const cpu = props.cpu ?? '1';
  const memory = props.memory ?? '512Mi';
  problems.check(CLOUD_RUN_CPU.includes(cpu), 'cpu', cpu, `one of ${CLOUD_RUN_CPU.join(', ')}`);
  problems.check(CLOUD_RUN_MEMORY.includes(memory), 'memory', memory, `one of ${CLOUD_RUN_MEMORY.join(', ')}`);
  if (CLOUD_RUN_CPU.includes(cpu) && CLOUD_RUN_MEMORY.includes(memory)) {
    const why = cpuMemoryProblem(cpu, memory);
    problems.check(why === undefined, 'memory', memory, why ?? '');
  }
  problems.check(/^[a-z][a-z0-9]*-[a-z]+[0-9]+$/.test(props.region), 'region', props.region, 'a GCP region such as us-central1');
  environmentProblems(problems, 'environment.plain', props.environment.plain, {
    reserved: [CLOUD_RUN_RESERVED],
    maxValueBytes: { bytes: CLOUD_RUN_VALUE_BYTES, why: "Cloud Run's limit per value" },
  });
  for (const name of Object.keys(props.environment.secrets)) {
    problems.check(!isReserved(name, CLOUD_RUN_RESERVED), `environment.secrets.${name}`, name, `a name Cloud Run does not set (${CLOUD_RUN_RESERVED.names.join(', ')})`);
  }
}

/** The container block both services and jobs use. */
function container(props: CloudRunContainerProps) {
  // The same shape fits services and jobs, whose generated env types differ only in name.
  const env: { name: string; value?: string; valueSource?: { secretKeyRef: { secret: string; version: string } } }[] = [
    ...Object.entries(props.environment.plain).map(([name, value]) => ({ name, value })),
    ...Object.entries(props.environment.secrets).map(([name, ref]) => ({ name, valueSource: { secretKeyRef: { secret: ref.secret, version: 'latest' } } })),
  ];
  const mounts = props.cloudSqlInstances?.length ? [{ name: 'cloudsql', mountPath: '/cloudsql' }] : undefined;
  return {
    image: props.image,
    command: props.command ? [...props.command] : undefined,
    args: props.args ? [...props.args] : undefined,
    env,
    volumeMounts: mounts,
  };
}

function volumes(props: CloudRunContainerProps) {
  return props.cloudSqlInstances?.length ? [{ name: 'cloudsql', cloudSqlInstance: { instances: [...props.cloudSqlInstances] } }] : undefined;
}

function vpcAccess(props: CloudRunContainerProps) {
  const v = props.vpcAccess;
  if (!v) return undefined;
  // Only private ranges go through the VPC; Google APIs and the internet keep the direct path.
  if (v.kind === 'direct') return { networkInterfaces: [{ network: v.network, subnetwork: v.subnetwork }], egress: 'PRIVATE_RANGES_ONLY' };
  return { connector: v.connector, egress: 'PRIVATE_RANGES_ONLY' };
}

/** Props of `CloudRunService`. */
export interface CloudRunServiceProps extends CloudRunContainerProps {
  /** Service name. */
  readonly name: string;
  /** The port of the profile this service receives traffic on. */
  readonly port: AppPort;
  /**
   * Liveness: a path answered with 200 while the process is alive; Cloud Run restarts the container when it
   * fails `livenessFailures` times in a row. Cloud Run's liveness probes are HTTP (or gRPC) only: without a
   * path there is none, and a container whose process exits is restarted anyway.
   * @default - the port's livenessPath
   */
  readonly livenessPath?: string;
  /**
   * How long a new container may take to open its port (a TCP startup probe) before Cloud Run gives up on it:
   * up to 480 s, 240 s of initial delay plus 240 s of probes, Cloud Run's limits.
   * @default 240
   */
  readonly startupGraceSec?: number;
  /** Seconds between probes (1 to 240). @default 10 */
  readonly probeIntervalSec?: number;
  /** Seconds before a probe fails (at most the interval). @default 5 */
  readonly probeTimeoutSec?: number;
  /** Consecutive failed liveness probes that restart the container. @default 3 */
  readonly livenessFailures?: number;
  /** @default 0 (an idle service costs nothing) */
  readonly minInstances?: number;
  /** @default 10 */
  readonly maxInstances?: number;
  /** Requests one instance handles at once. @default 80 */
  readonly concurrency?: number;
  /**
   * Longest request, and longest WebSocket connection, in seconds (Cloud Run allows up to 3600).
   * @default 3600
   */
  readonly requestTimeoutSec?: number;
  /** Keep CPU allocated between requests (needed for work after a response; costs more). @default false */
  readonly cpuAlwaysAllocated?: boolean;
  /**
   * Who may send traffic: `all` (the run.app URL too), `load-balancer` (only through a load balancer).
   * @default 'all'
   */
  readonly ingress?: 'all' | 'load-balancer';
  /** Let anyone invoke it (`allUsers` as invoker). Leave false for services only callers with IAM may use. @default false */
  readonly public?: boolean;
}

/** When a Cloud Run startup probe starts and how often it may fail (`startupProbeTiming`). */
export interface StartupProbeTiming {
  /** Seconds before the first probe, which every new container waits before it can get requests. */
  readonly initialDelaySec: number;
  /** Failed probes, one period apart, before Cloud Run stops the container. */
  readonly failureThreshold: number;
}

/**
 * A Cloud Run startup probe's timing for a grace period: probes from the container's start, as many as fit Cloud Run's
 * 240 s (failureThreshold × periodSeconds), and an initial delay only for what a grace period over 240 s leaves, which
 * every new container then waits before it can get requests.
 */
export function startupProbeTiming(graceSec: number, periodSec: number): StartupProbeTiming {
  const most = Math.max(1, Math.floor(240 / periodSec));
  if (graceSec <= 240) return { initialDelaySec: 0, failureThreshold: Math.max(1, Math.min(Math.ceil(graceSec / periodSec), most)) };
  return { initialDelaySec: Math.min(240, graceSec - most * periodSec), failureThreshold: most };
}

/**
 * A Cloud Run (v2) service running one port of an app profile: scaling from `minInstances` (0 by default),
 * concurrency, CPU and memory, a request timeout long enough for WebSockets, a TCP startup probe and an HTTP
 * liveness probe on the port's liveness path, secrets as Secret Manager references, Cloud SQL as Unix sockets, and VPC access for private
 * services. Usable for Serverpod, Perseus or any profile.
 */
export class CloudRunService extends Construct {
  /** The Cloud Run service. */
  public readonly service: CloudRunV2Service;
  /** The `allUsers` invoker grant, with `public`. */
  public readonly publicInvoker?: CloudRunV2ServiceIamMember;

  constructor(scope: Construct, id: string, props: CloudRunServiceProps) {
    super(scope, id);
    literalStrings(this);
    const min = props.minInstances ?? 0;
    const max = props.maxInstances ?? 10;
    const concurrency = props.concurrency ?? 80;
    const timeout = props.requestTimeoutSec ?? 3600;
    const problems = new ProblemCollector('props.');
    checkContainer(problems, props);
    problems.check(/^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/.test(props.name), 'name', props.name, 'lowercase letters, digits and hyphens, at most 49 characters');
    problems.check(Number.isInteger(min) && min >= 0 && min <= 1000, 'minInstances', min, 'a whole number from 0 to 1000');
    problems.check(Number.isInteger(max) && max >= 1 && max >= min, 'maxInstances', max, `a whole number of at least 1 and at least minInstances (${min})`);
    problems.check(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 1000, 'concurrency', concurrency, 'a whole number from 1 to 1000');
    problems.check(Number.isInteger(timeout) && timeout >= 1 && timeout <= 3600, 'requestTimeoutSec', timeout, 'a whole number of seconds from 1 to 3600');
    const grace = props.startupGraceSec ?? 240;
    const period = props.probeIntervalSec ?? 10;
    const probeTimeout = props.probeTimeoutSec ?? 5;
    const failures = props.livenessFailures ?? 3;
    const livenessPath = props.livenessPath ?? props.port.livenessPath;
    problems.check(Number.isInteger(grace) && grace >= 0 && grace <= 480, 'startupGraceSec', grace, 'a whole number of seconds from 0 to 480 (Cloud Run allows 240 s of initial delay and 240 s of startup probes)');
    problems.check(Number.isInteger(period) && period >= 1 && period <= 240, 'probeIntervalSec', period, 'a whole number of seconds from 1 to 240');
    problems.check(Number.isInteger(probeTimeout) && probeTimeout >= 1 && probeTimeout <= period, 'probeTimeoutSec', probeTimeout, `a whole number of seconds from 1 to probeIntervalSec (${period})`);
    problems.check(Number.isInteger(failures) && failures >= 1, 'livenessFailures', failures, 'a whole number of at least 1');
    if (livenessPath !== undefined) problems.check(HTTP_PATH.test(livenessPath), 'livenessPath', livenessPath, 'a path starting with /, without spaces or braces');
    problems.throwIfAny(`CloudRunService "${this.node.path}"`);

    // Startup opens the port only once the server is connected and migrated: a TCP probe, so a database that is
    // briefly down slows a new container's start instead of failing it.
    const { initialDelaySec: initialDelay, failureThreshold: startupFailures } = startupProbeTiming(grace, period);
    this.service = new CloudRunV2Service(this, 'Resource', {
      project: props.project,
      name: props.name,
      location: props.region,
      ingress: props.ingress === 'load-balancer' ? 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' : 'INGRESS_TRAFFIC_ALL',
      deletionProtection: false,
      template: {
        serviceAccount: props.serviceAccountEmail,
        scaling: { minInstanceCount: min, maxInstanceCount: max },
        maxInstanceRequestConcurrency: concurrency,
        timeout: `${timeout}s`,
        containers: [
          {
            ...container(props),
            ports: { name: 'http1', containerPort: props.port.port },
            resources: { limits: { cpu: props.cpu ?? '1', memory: props.memory ?? '512Mi' }, cpuIdle: !(props.cpuAlwaysAllocated ?? false), startupCpuBoost: true },
            startupProbe: { tcpSocket: { port: props.port.port }, initialDelaySeconds: initialDelay, periodSeconds: period, timeoutSeconds: probeTimeout, failureThreshold: startupFailures },
            // Liveness only where the server has a route that fails with the process alone: a readiness route would
            // restart every container whenever the database is down.
            livenessProbe: livenessPath ? { httpGet: { path: livenessPath, port: props.port.port }, periodSeconds: period, timeoutSeconds: probeTimeout, failureThreshold: failures } : undefined,
          },
        ],
        volumes: volumes(props),
        vpcAccess: vpcAccess(props),
      },
      dependsOn: props.dependsOn,
      // Not `template[0].revision`: deploys name revisions, and with it ignored the next apply that changes the
      // template resends the deployed revision's name and Cloud Run refuses it (409, revision already exists;
      // hashicorp/terraform-provider-google#14569, #13410). Left managed, a plan after a deploy shows the name cleared,
      // and applying it adds one identical revision (the image is ignored).
      lifecycle: props.imageOwnedByDeploys ? { ignoreChanges: ['template[0].containers[0].image', 'client', 'client_version'] } : undefined,
    });
    if (props.public) {
      this.publicInvoker = new CloudRunV2ServiceIamMember(this, 'PublicInvoker', {
        project: props.project,
        location: props.region,
        name: this.service.name,
        role: 'roles/run.invoker',
        member: 'allUsers',
      });
    }
  }

  /** The service's own `https://…run.app` URL. */
  get url(): string {
    return this.service.uri;
  }
}

/** Props of `CloudRunJob`. */
export interface CloudRunJobProps extends CloudRunContainerProps {
  /** Job name. */
  readonly name: string;
  /** Longest run, in seconds. @default 600 */
  readonly timeoutSec?: number;
  /** Retries of a failed run. @default 0 */
  readonly maxRetries?: number;
  /**
   * Run on this schedule (five-field cron, UTC) through Cloud Scheduler, as a dedicated invoker account
   * allowed to run this job and nothing else.
   * @default - not scheduled
   */
  readonly schedule?: string;
}

/**
 * A Cloud Run job (a container that runs to completion), optionally started on a schedule by Cloud
 * Scheduler with its own invoker identity: the shape of Serverpod's `maintenance` role every minute.
 */
export class CloudRunJob extends Construct {
  /** The Cloud Run job. */
  public readonly job: CloudRunV2Job;
  /** The Cloud Scheduler job that starts it, with `schedule`. */
  public readonly scheduler?: CloudSchedulerJob;
  /** The service account the scheduler starts it as (allowed to run this job only), with `schedule`. */
  public readonly invoker?: ServiceAccount;

  constructor(scope: Construct, id: string, props: CloudRunJobProps) {
    super(scope, id);
    literalStrings(this);
    const timeout = props.timeoutSec ?? 600;
    const retries = props.maxRetries ?? 0;
    const problems = new ProblemCollector('props.');
    checkContainer(problems, props);
    problems.check(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(props.name), 'name', props.name, 'lowercase letters, digits and hyphens, at most 63 characters');
    problems.check(Number.isInteger(timeout) && timeout >= 1 && timeout <= 86400, 'timeoutSec', timeout, 'a whole number of seconds from 1 to 86400');
    problems.check(Number.isInteger(retries) && retries >= 0 && retries <= 10, 'maxRetries', retries, 'a whole number from 0 to 10');
    if (props.schedule !== undefined) problems.check(isCron(props.schedule), 'schedule', props.schedule, 'a five-field cron expression such as "* * * * *"');
    problems.throwIfAny(`CloudRunJob "${this.node.path}"`);

    this.job = new CloudRunV2Job(this, 'Resource', {
      project: props.project,
      name: props.name,
      location: props.region,
      deletionProtection: false,
      template: {
        taskCount: 1,
        template: {
          serviceAccount: props.serviceAccountEmail,
          timeout: `${timeout}s`,
          maxRetries: retries,
          containers: [{ ...container(props), resources: { limits: { cpu: props.cpu ?? '1', memory: props.memory ?? '512Mi' } } }],
          volumes: volumes(props),
          vpcAccess: vpcAccess(props),
        },
      },
      dependsOn: props.dependsOn,
      lifecycle: props.imageOwnedByDeploys ? { ignoreChanges: ['template[0].template[0].containers[0].image', 'client', 'client_version'] } : undefined,
    });

    if (props.schedule) {
      this.invoker = new ServiceAccount(this, 'Invoker', {
        project: props.project,
        accountId: boundedName(`${props.name}-invoker`, 30),
        displayName: `Starts the Cloud Run job ${props.name}`,
      });
      const invokerRole = new CloudRunV2JobIamMember(this, 'InvokerRole', {
        project: props.project,
        location: props.region,
        name: this.job.name,
        role: 'roles/run.invoker',
        member: this.invoker.member,
      });
      this.scheduler = new CloudSchedulerJob(this, 'Schedule', {
        project: props.project,
        region: props.region,
        name: `${props.name}-schedule`,
        description: `Runs the Cloud Run job ${props.name}`,
        schedule: props.schedule,
        timeZone: 'Etc/UTC',
        attemptDeadline: '320s',
        retryConfig: { retryCount: 0 },
        httpTarget: {
          httpMethod: 'POST',
          uri: `https://run.googleapis.com/v2/projects/${props.project}/locations/${props.region}/jobs/${props.name}:run`,
          oauthToken: { serviceAccountEmail: this.invoker.email, scope: 'https://www.googleapis.com/auth/cloud-platform' },
        },
        // Not before the invoker may run the job: the first runs would be refused (403) until the grant exists.
        dependsOn: [this.job, invokerRole],
      });
    }
  }
}
