import { z } from 'zod';
import { DOCKER_CLI_VARIABLE } from '../app/boot-script';
import { CLOUD_RUN_RESERVED, CLOUD_RUN_VALUE_BYTES, ReservedVariables, SECRETS_HINT, environmentProblems, isReserved } from '../app/environment';
import { SERVERPOD_RESERVED_VARIABLES } from '../app/serverpod';
import { PERSEUS_RESERVED_VARIABLES } from '../app/perseus';
import { RENDERING_STRATEGIES, perseusTargetProblems } from '../app/perseus-strategies';
import { ENV_VAR_NAME, PLATFORM_SECRET_KEYS, SECRET_KEY, SECRET_VALUE_SOURCES } from '../app/secrets';
import { HTTP_PATH } from '../app/profile';
import { serverpodVersionProblems } from '../app/serverpod';
import { RULES, Rule } from '../rules';
import { GCP_ZONES_SOURCE, zonesOf } from '../gcp/zones';
import { ProblemCollector } from '../validation';
import { DEFAULT_DEPLOY_REFS, DEPLOY_REF } from '../github';
import { ENVIRONMENT_NAMES, EnvironmentName, hostName } from '../naming';
import { awsRegion, domain, gcsBucketName, projectName, ruled, s3BucketName, statePrefix, unlistedIssue } from './common';
import { clusterAws } from './cluster-aws';
import { clusterGcp } from './cluster-gcp';
import { serverlessGcp } from './serverless-gcp';

const envVarName = z
  .string()
  .regex(ENV_VAR_NAME, 'an environment variable name: letters, digits and _')
  .refine((name) => !DOCKER_CLI_VARIABLE.test(name), 'a name the Docker CLI process does not read itself (not DOCKER_*, GODEBUG, GOGC, GOMAXPROCS, GOMEMLIMIT, GOTRACEBACK, LD_*, HOME, PATH or TMPDIR)');
/** `environmentProblems` as zod issues under `path` (each variable's name is the last path element). */
function environmentIssues(ctx: z.RefinementCtx, path: string[], environment: Record<string, string>, options: Parameters<typeof environmentProblems>[3]): void {
  const problems = new ProblemCollector();
  environmentProblems(problems, 'env', environment, options);
  for (const p of problems.list) {
    ctx.addIssue({ code: 'custom', path: [...path, p.field.slice('env.'.length)], input: p.value, message: p.expected });
  }
}

const seconds = (min: number, max: number) => z.number().int('a whole number').min(min, `at least ${min}`).max(max, `at most ${max}`);

const healthCheck = z.strictObject({
  intervalSec: seconds(5, 300).optional(),
  timeoutSec: seconds(2, 120).optional(),
  healthyThreshold: seconds(2, 10).optional(),
  unhealthyThreshold: seconds(2, 5).optional(),
  gracePeriodSec: seconds(0, 3600).optional(),
});

const secretDeclaration = z.union(
  [
    z.enum(SECRET_VALUE_SOURCES as ['generated', 'empty']),
    z.strictObject({
      value: z.enum(SECRET_VALUE_SOURCES as ['generated', 'empty']),
      length: z.number().int('a whole number').min(16, 'at least 16').max(128, 'at most 128').optional(),
      variable: envVarName.optional(),
    }),
  ],
  { error: 'generated, empty, or { value: generated|empty, length?, variable? }' },
);

const app = z
  .strictObject({
    preset: z.enum(['serverpod', 'perseus']).default('serverpod'),
    logging: z.enum(['normal', 'verbose']).default('normal'),
    // The Serverpod release the image is built with; it decides health routes, pool settings and passwords.
    serverpodVersion: z.string().optional(),
    port: z.number().int('a whole number').min(1, 'at least 1').max(65535, 'at most 65535').optional(),
    healthCheckPath: z.string().regex(HTTP_PATH, 'a path starting with /, without spaces or braces ({ and } percent-encoded)').optional(),
    healthCheck: healthCheck.prefault({}),
    web: z.boolean().optional(),
    applyMigrations: z.boolean().default(true),
    environment: z.record(envVarName, z.string()).default({}),
    // Perseus only: the rendering strategies the app uses (default: all of them, the safe assumption).
    strategies: z.array(z.enum(RENDERING_STRATEGIES)).optional(),
    latencySensitive: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.preset === 'serverpod' && v.port !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['port'], input: v.port, message: 'no port for the serverpod preset (it uses 8080, 8081 and 8082)' });
    }
    if (v.preset === 'serverpod' && v.strategies !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['strategies'], input: v.strategies, message: 'no strategies for the serverpod preset (they are Perseus rendering strategies)' });
    }
    if (v.preset === 'serverpod' && v.latencySensitive) {
      ctx.addIssue({ code: 'custom', path: ['latencySensitive'], input: v.latencySensitive, message: 'false for the serverpod preset (it applies to a Perseus mutable store)' });
    }
    if (v.preset === 'perseus') {
      for (const field of ['serverpodVersion', 'web'] as const) {
        if (v[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], input: v[field], message: `no ${field} for the perseus preset (it is a Serverpod setting)` });
      }
    } else if (v.serverpodVersion !== undefined) {
      const problems = new ProblemCollector();
      serverpodVersionProblems(problems, 'serverpodVersion', v.serverpodVersion);
      for (const p of problems.list) ctx.addIssue({ code: 'custom', path: ['serverpodVersion'], input: v.serverpodVersion, message: p.expected });
    }
    const presetReserved: ReservedVariables = {
      owner: `the ${v.preset} preset`,
      names: v.preset === 'serverpod' ? SERVERPOD_RESERVED_VARIABLES : PERSEUS_RESERVED_VARIABLES,
      hint: SECRETS_HINT,
    };
    environmentIssues(ctx, ['environment'], v.environment, { reserved: [presetReserved] });
    const { intervalSec, timeoutSec } = v.healthCheck;
    if (intervalSec !== undefined && timeoutSec !== undefined && timeoutSec >= intervalSec) {
      ctx.addIssue({ code: 'custom', path: ['healthCheck', 'timeoutSec'], input: timeoutSec, message: `less than intervalSec (${intervalSec})` });
    }
  });

const github = z.strictObject({
  repository: ruled(RULES.githubRepository),
  refs: z
    .array(z.string().regex(DEPLOY_REF, 'a git ref such as refs/heads/main or refs/heads/deployment-* (* only at the end)'))
    .min(1, 'at least one ref')
    .default([...DEFAULT_DEPLOY_REFS]),
});

const state = z.strictObject({
  gcs: z.strictObject({ bucket: gcsBucketName, prefix: statePrefix.default('cdktf-serverpod') }).optional(),
  s3: z.strictObject({ bucket: s3BucketName, region: awsRegion, keyPrefix: statePrefix.default('cdktf-serverpod') }).optional(),
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
    // Where a Perseus app keeps pages it revalidates or generates incrementally; none keeps them on the server's disk.
    mutableStore: z.enum(['none', 'bucket', 'redis', 'postgres']).default('none'),
    webOnTopDomain: z.boolean().default(false),
    // Further passwords and secrets for the server, per environment, on every stack.
    secrets: z
      .record(
        z
          .string()
          .regex(SECRET_KEY, 'a secret key such as stripeApiKey: letters, digits and _, starting with a letter')
          .refine((key) => !PLATFORM_SECRET_KEYS.includes(key), `a key other than ${PLATFORM_SECRET_KEYS.join(', ')} (the stacks create and wire those)`),
        secretDeclaration,
      )
      .default({}),
    state: state.prefault({}),
    github: github.optional(),
    // Lets regions, zones and types off the kept lists (lib/catalog) through, with a synth warning: for a value newer than the lists.
    allowUnlisted: z.boolean().default(false),
    stacks: z.strictObject({
      'cluster-gcp': clusterGcp.optional(),
      'cluster-aws': clusterAws.optional(),
      'serverless-gcp': serverlessGcp.optional(),
    }).superRefine((s, ctx) => {
      // Otherwise the synth succeeds and writes nothing, which reads like a deploy that went through.
      const declared = STACK_IDS.filter((id) => s[id] !== undefined);
      if (declared.some((id) => s[id]!.enabled)) return;
      const add = 'cluster-gcp: { project: <gcp project> }, cluster-aws: {} or serverless-gcp: { project: <gcp project> }';
      ctx.addIssue({ code: 'custom', input: s, message: declared.length === 0 ? `at least one stack: ${add}` : `at least one stack without enabled: false (${declared.join(', ')} ${declared.length === 1 ? 'is' : 'are'} off)` });
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
    // Cloud Run's filesystem is in memory and per instance: revalidation needs a store there (caught here, with config field names).
    if (v.app.preset === 'serverpod' && v.mutableStore !== 'none') {
      ctx.addIssue({ code: 'custom', path: ['mutableStore'], input: v.mutableStore, message: 'none for the serverpod preset (a mutable store is for Perseus revalidation and incremental generation)' });
    }
    if (v.stacks['cluster-aws'] && !RULES.awsNamePrefix.pattern.test(v.project)) {
      ctx.addIssue({ code: 'custom', path: ['project'], input: v.project, message: `${RULES.awsNamePrefix.expected}, with stacks.cluster-aws` });
    }
    const awsSecrets = v.stacks['cluster-aws']?.secrets ?? [];
    awsSecrets.forEach((key, i) => {
      if (key in v.secrets) ctx.addIssue({ code: 'custom', path: ['stacks', 'cluster-aws', 'secrets', i], input: key, message: `a key not also under the top-level secrets (declare ${key} once, there)` });
    });
    // A secret's chosen variable must not stand in for one the preset, Cloud Run or a plain variable sets.
    const secretOwners: ReservedVariables[] = [
      { owner: `the ${v.app.preset} preset`, names: v.app.preset === 'serverpod' ? SERVERPOD_RESERVED_VARIABLES : PERSEUS_RESERVED_VARIABLES },
      ...(v.stacks['serverless-gcp']?.enabled ? [CLOUD_RUN_RESERVED] : []),
      { owner: 'app.environment', names: Object.keys(v.app.environment) },
    ];
    for (const [key, declaration] of Object.entries(v.secrets)) {
      const variable = typeof declaration === 'string' ? undefined : declaration.variable;
      if (variable === undefined) continue;
      for (const owner of secretOwners) {
        if (isReserved(variable, owner)) {
          ctx.addIssue({ code: 'custom', path: ['secrets', key, 'variable'], input: variable, message: `a name not set by ${owner.owner} (${owner.names.join(', ')})` });
        }
      }
    }
    if (v.stacks['serverless-gcp']?.enabled) {
      environmentIssues(ctx, ['app', 'environment'], v.app.environment, {
        reserved: [CLOUD_RUN_RESERVED],
        maxValueBytes: { bytes: CLOUD_RUN_VALUE_BYTES, why: "Cloud Run's limit per value, with stacks.serverless-gcp" },
        basics: false,
      });
    }
    const grace = v.app.healthCheck.gracePeriodSec;
    if (grace !== undefined && grace > 480 && v.stacks['serverless-gcp']?.enabled) {
      ctx.addIssue({ code: 'custom', path: ['app', 'healthCheck', 'gracePeriodSec'], input: grace, message: 'at most 480 with stacks.serverless-gcp (Cloud Run allows 240 s of initial delay and 240 s of startup probes; migrations run in its migrations job)' });
    }
    const serverless = v.stacks['serverless-gcp'];
    if (v.app.preset === 'perseus' && serverless && serverless.enabled) {
      const store = v.mutableStore === 'none' ? undefined : v.mutableStore;
      for (const p of perseusTargetProblems(v.app.strategies ?? RENDERING_STRATEGIES, 'read-only-filesystem', store)) {
        ctx.addIssue({ code: 'custom', path: ['mutableStore'], input: v.mutableStore, message: `${p.allowed} (stacks.serverless-gcp runs on Cloud Run; list app.strategies if the app uses fewer)` });
      }
    }
    if (v.webOnTopDomain && serverless?.enabled && serverless.domains === 'domain-mappings') {
      ctx.addIssue({ code: 'custom', path: ['webOnTopDomain'], input: v.webOnTopDomain, message: 'false with stacks.serverless-gcp.domains: domain-mappings (the bare domain needs the load balancer)' });
    }
    domainLengthIssues(v, ctx);
    unlistedIssues(v, ctx);
  });

/** Values off the kept lists (lib/catalog), refused unless `allowUnlisted` is set; here, where that flag is known. */
function unlistedIssues(v: DeployConfig, ctx: z.RefinementCtx): void {
  const check = (path: readonly (string | number)[], value: unknown, rule: Rule) => unlistedIssue(ctx, path, value, rule, v.allowUnlisted);
  check(['state', 's3', 'region'], v.state.s3?.region, RULES.awsRegion);
  const gcp = v.stacks['cluster-gcp'];
  if (gcp?.enabled) {
    check(['stacks', 'cluster-gcp', 'region'], gcp.region, RULES.gcpRegion);
    // A zone of another region is the stack's own check. No escape here: the instance group holds a listed region to
    // its listed zones too.
    const zones = zonesOf(gcp.region);
    if (gcp.zone?.startsWith(`${gcp.region}-`) && zones.length > 0 && !zones.includes(gcp.zone)) {
      ctx.addIssue({ code: 'custom', path: ['stacks', 'cluster-gcp', 'zone'], input: gcp.zone, message: `a zone of ${gcp.region}: ${zones.join(', ')} (checked ${GCP_ZONES_SOURCE.checked})` });
    }
    for (const env of ENVIRONMENT_NAMES) {
      check(['stacks', 'cluster-gcp', 'sizes', env, 'machineType'], gcp.sizes[env].machineType, RULES.machineType);
      check(['stacks', 'cluster-gcp', 'sizes', env, 'databaseTier'], gcp.sizes[env].databaseTier, RULES.cloudSqlTier);
    }
  }
  const serverless = v.stacks['serverless-gcp'];
  if (serverless?.enabled) {
    check(['stacks', 'serverless-gcp', 'region'], serverless.region, RULES.gcpRegion);
    for (const env of ENVIRONMENT_NAMES) check(['stacks', 'serverless-gcp', 'sizes', env, 'databaseTier'], serverless.sizes[env].databaseTier, RULES.cloudSqlTier);
  }
  const aws = v.stacks['cluster-aws'];
  if (aws?.enabled) {
    // The zones' region is their prefix, which the stack's own check holds to this region.
    check(['stacks', 'cluster-aws', 'region'], aws.region, RULES.awsRegion);
    for (const env of ENVIRONMENT_NAMES) {
      const size = aws.sizes[env];
      check(['stacks', 'cluster-aws', 'sizes', env, 'instanceType'], size.instanceType, RULES.ec2InstanceType);
      check(['stacks', 'cluster-aws', 'sizes', env, 'databaseInstanceClass'], size.databaseInstanceClass, RULES.rdsInstanceClass);
      check(['stacks', 'cluster-aws', 'sizes', env, 'redisNodeType'], size.redisNodeType, RULES.cacheNodeType);
    }
  }
}

/**
 * The domain is the tail of every host (`insights-staging.<domain>`) and, with `bucketNaming: domain`, of the
 * bucket names: it must leave room for the longest of them (DNS names have 253 characters, Cloud Storage bucket
 * names with dots 222).
 */
function domainLengthIssues(v: { domain: string; environments: readonly EnvironmentName[]; database: boolean; storage: boolean; app: { preset: string; web?: boolean }; stacks: { 'cluster-gcp'?: { enabled: boolean; bucketNaming: string } } }, ctx: z.RefinementCtx): void {
  if (!RULES.domain.pattern.test(v.domain)) return;
  const labels = [...(v.app.preset === 'perseus' ? ['app'] : ['api', 'insights', ...((v.app.web ?? v.database) ? ['app'] : [])]), ...(v.storage ? ['storage'] : [])];
  const longest = (names: string[]) => names.reduce((a, b) => (b.length > a.length ? b : a));
  const host = longest(v.environments.flatMap((env) => labels.map((label) => hostName(v.domain, label, env))));
  if (host.length > 253) {
    ctx.addIssue({ code: 'custom', path: ['domain'], input: v.domain, message: `a domain of at most ${253 - (host.length - v.domain.length)} characters, so the host ${host.slice(0, host.length - v.domain.length)}<domain> fits DNS's 253` });
    return;
  }
  const gcp = v.stacks['cluster-gcp'];
  if (v.storage && gcp?.enabled && gcp.bucketNaming === 'domain') {
    const bucket = longest(v.environments.map((env) => `private-${hostName(v.domain, 'storage', env)}`));
    if (bucket.length > 222) {
      ctx.addIssue({
        code: 'custom',
        path: ['domain'],
        input: v.domain,
        message: `a domain of at most ${222 - (bucket.length - v.domain.length)} characters with stacks.cluster-gcp.bucketNaming: domain, so the bucket ${bucket.slice(0, bucket.length - v.domain.length)}<domain> fits Cloud Storage's 222 (or bucketNaming: project)`,
      });
    }
  }
}

/** The validated config with every default filled in. */
export type DeployConfig = z.output<typeof deployConfigSchema>;
/** What a user may write in the config file. */
export type DeployConfigInput = z.input<typeof deployConfigSchema>;
export type ClusterGcpConfig = NonNullable<DeployConfig['stacks']['cluster-gcp']>;
export type ClusterAwsConfig = NonNullable<DeployConfig['stacks']['cluster-aws']>;
export type ServerlessGcpConfig = NonNullable<DeployConfig['stacks']['serverless-gcp']>;
export type StackId = keyof DeployConfig['stacks'];
export const STACK_IDS: readonly StackId[] = ['cluster-gcp', 'cluster-aws', 'serverless-gcp'];
