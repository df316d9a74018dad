import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../naming';

// Each message completes the sentence "expected ...", so errors read: `field: got X; expected <message>`.
const projectName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, 'a name of 3 to 20 lowercase letters, digits and hyphens, starting with a letter (it prefixes every resource name)');
const domain = z
  .string()
  .regex(
    /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'a lowercase DNS name without a scheme or trailing dot, such as example.com',
  );
const gcpProject = z
  .string()
  .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a GCP project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter');
const gcpRegion = z.string().regex(/^[a-z]+-[a-z]+[0-9]+$/, 'a GCP region such as us-central1 or europe-west4');
const awsRegion = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$/, 'an AWS region such as us-west-2 or eu-central-1');
const positiveInt = (max: number) => z.number().int('a whole number').min(1, 'at least 1').max(max, `at most ${max}`);
const cpuTargetPercent = z.number().int('a whole number').min(10, 'at least 10').max(90, 'at most 90');
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'a bucket name: 3 to 63 lowercase letters, digits, dots, hyphens and underscores');
const statePrefix = z.string().regex(/^[A-Za-z0-9._/-]{1,200}$/, 'a key prefix of letters, digits and . _ / -');

/** Instance counts of one environment, checked together: min must not exceed max. */
function scaling(defaults: { min: number; max: number }, minAllowed = 1) {
  return {
    minInstances: z.number().int('a whole number').min(minAllowed, `at least ${minAllowed}`).max(1000, 'at most 1000').default(defaults.min),
    maxInstances: positiveInt(1000).default(defaults.max),
  };
}

function minNotAboveMax(v: { minInstances: number; maxInstances: number }, ctx: z.RefinementCtx): void {
  if (v.minInstances > v.maxInstances) {
    ctx.addIssue({ code: 'custom', path: ['minInstances'], input: v.minInstances, message: `at most maxInstances (${v.maxInstances})` });
  }
}

const gcpClusterSize = z
  .strictObject({
    ...scaling({ min: 1, max: 2 }),
    machineType: z.string().regex(/^[a-z][a-z0-9]*-[a-z0-9-]+$/, 'a Compute Engine machine type such as e2-micro or n2-standard-2').default('e2-micro'),
    cpuTargetPercent: cpuTargetPercent.default(60),
    databaseTier: z.string().regex(/^db-[a-z0-9-]+$/, 'a Cloud SQL tier such as db-f1-micro or db-custom-1-3840').default('db-f1-micro'),
    redisMemoryGb: z.number().int('a whole number').min(1, 'at least 1').max(300, 'at most 300').default(1),
  })
  .superRefine(minNotAboveMax);

const awsClusterSize = z
  .strictObject({
    ...scaling({ min: 1, max: 2 }),
    instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as t3.micro or t4g.small').default('t3.micro'),
    cpuTargetPercent: cpuTargetPercent.default(60),
    databaseInstanceClass: z.string().regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'an RDS instance class such as db.t4g.micro').default('db.t4g.micro'),
    databaseMultiAz: z.boolean().default(false),
    redisNodeType: z.string().regex(/^cache\.[a-z0-9-]+\.[a-z0-9]+$/, 'an ElastiCache node type such as cache.t4g.micro').default('cache.t4g.micro'),
  })
  .superRefine(minNotAboveMax);

const CLOUD_RUN_MEMORY = ['512Mi', '1Gi', '2Gi', '4Gi', '8Gi', '16Gi', '32Gi'] as const;
const serverlessSize = z
  .strictObject({
    ...scaling({ min: 0, max: 10 }, 0),
    cpu: z.enum(['1', '2', '4', '8']).default('1'),
    memory: z.enum(CLOUD_RUN_MEMORY).default('512Mi'),
    concurrency: positiveInt(1000).default(80),
    databaseTier: z.string().regex(/^db-[a-z0-9-]+$/, 'a Cloud SQL tier such as db-f1-micro or db-custom-1-3840').default('db-f1-micro'),
  })
  .superRefine(minNotAboveMax);

/** Sizes per environment; staging defaults to the same small sizes as production. */
function perEnvironment<S extends z.ZodType<object, object>>(size: S) {
  const each = size.prefault({} as z.input<S>);
  return z.strictObject({ production: each, staging: each }).prefault({});
}

const clusterGcp = z
  .strictObject({
    enabled: z.boolean().default(true),
    project: gcpProject,
    region: gcpRegion.default('us-central1'),
    sizes: perEnvironment(gcpClusterSize),
  });

const clusterAws = z
  .strictObject({
    enabled: z.boolean().default(true),
    region: awsRegion.default('us-west-2'),
    accountId: z.string().regex(/^[0-9]{12}$/, 'a 12-digit AWS account id').optional(),
    availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9][a-z]$/, 'an availability zone such as us-west-2a')).optional(),
    sizes: perEnvironment(awsClusterSize),
  })
  .superRefine((v, ctx) => {
    const zones = v.availabilityZones;
    if (!zones) return;
    if (zones.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['availabilityZones'], input: zones, message: 'at least 2 availability zones, so the load balancer and database span two' });
    }
    zones.forEach((zone, i) => {
      if (!zone.startsWith(v.region)) {
        ctx.addIssue({ code: 'custom', path: ['availabilityZones', i], input: zone, message: `a zone of the stack's region ${v.region} (such as ${v.region}a)` });
      }
    });
    if (new Set(zones).size !== zones.length) {
      ctx.addIssue({ code: 'custom', path: ['availabilityZones'], input: zones, message: 'each zone once' });
    }
  })
  // Explicit zones keep plan free of a credentials-needing data source; `a` and `b` exist in every region.
  .transform((v) => ({ ...v, availabilityZones: v.availabilityZones ?? [`${v.region}a`, `${v.region}b`] }));

const serverlessGcp = z.strictObject({
  enabled: z.boolean().default(true),
  project: gcpProject,
  region: gcpRegion.default('us-central1'),
  sizes: perEnvironment(serverlessSize),
  maintenanceSchedule: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'a five-field cron expression such as "* * * * *"')
    .default('* * * * *'),
});

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const app = z
  .strictObject({
    preset: z.enum(['serverpod', 'perseus']).default('serverpod'),
    logging: z.enum(['normal', 'verbose']).default('normal'),
    imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a Docker image tag such as latest or v1.2.3').default('latest'),
    port: z.number().int('a whole number').min(1, 'at least 1').max(65535, 'at most 65535').optional(),
    healthCheckPath: z.string().regex(/^\/\S*$/, 'a path starting with /').default('/'),
    environment: z.record(z.string().regex(envVarName, 'an environment variable name: letters, digits and _'), z.string()).default({}),
  })
  .superRefine((v, ctx) => {
    if (v.preset === 'serverpod' && v.port !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['port'], input: v.port, message: 'no port for the serverpod preset (it uses 8080, 8081 and 8082)' });
    }
  });

const state = z.strictObject({
  gcs: z.strictObject({ bucket: bucketName, prefix: statePrefix.default('cdktf-serverpod') }).optional(),
  s3: z.strictObject({ bucket: bucketName, region: awsRegion, keyPrefix: statePrefix.default('cdktf-serverpod') }).optional(),
});

export const deployConfigSchema = z
  .strictObject({
    project: projectName.default('serverpod'),
    domain,
    environments: z
      .array(z.enum(ENVIRONMENT_NAMES as ['production', 'staging']))
      .min(1, 'at least one environment')
      .default(['production']),
    app: app.prefault({}),
    database: z.boolean().default(true),
    redis: z.boolean().default(false),
    storage: z.boolean().default(true),
    webOnTopDomain: z.boolean().default(false),
    state: state.prefault({}),
    stacks: z.strictObject({
      'cluster-gcp': clusterGcp.optional(),
      'cluster-aws': clusterAws.optional(),
      'serverless-gcp': serverlessGcp.optional(),
    }),
  })
  .superRefine((v, ctx) => {
    const envs = v.environments;
    if (!envs.includes('production')) {
      ctx.addIssue({ code: 'custom', path: ['environments'], input: envs, message: 'a list that includes production (staging is added beside production, never alone)' });
    }
    if (new Set(envs).size !== envs.length) {
      ctx.addIssue({ code: 'custom', path: ['environments'], input: envs, message: 'each environment once' });
    }
  });

/** The validated config with every default filled in. */
export type DeployConfig = z.output<typeof deployConfigSchema>;
/** What a user may write in the config file. */
export type DeployConfigInput = z.input<typeof deployConfigSchema>;
export type ClusterGcpConfig = NonNullable<DeployConfig['stacks']['cluster-gcp']>;
export type ClusterAwsConfig = NonNullable<DeployConfig['stacks']['cluster-aws']>;
export type ServerlessGcpConfig = NonNullable<DeployConfig['stacks']['serverless-gcp']>;
export type StackId = keyof DeployConfig['stacks'];
export const STACK_IDS: readonly StackId[] = ['cluster-gcp', 'cluster-aws', 'serverless-gcp'];
