import { z } from 'zod';
import { DOCKER_CLI_VARIABLE } from '../app/boot-script';
import { CLOUD_RUN_RESERVED, CLOUD_RUN_VALUE_BYTES, ReservedVariables, SECRETS_HINT, environmentProblems, isReserved } from '../app/environment';
import { SERVERPOD_RESERVED_VARIABLES } from '../app/serverpod';
import { PERSEUS_RESERVED_VARIABLES } from '../app/perseus';
import { RENDERING_STRATEGIES } from '../app/perseus-strategies';
import { ENV_VAR_NAME, PLATFORM_SECRET_KEYS, SECRET_KEY, SECRET_VALUE_SOURCES } from '../app/secrets';
import { HEALTH_CHECK_DEFAULTS, HTTP_PATH } from '../app/profile';
import { serverpodPortNames, serverpodVersionProblems } from '../app/serverpod';
import { CUSTOM_RESERVED_VARIABLES } from '../app/custom';
import { imageReferenceProblem, imageRegistryKind } from '../app/image';
import { HOST_LABEL, HOST_LABEL_RULE, PORT_NAME, PORT_NAME_RULE, SERVER_ROLES, ServerRole } from '../app/profile';
import { cloudRunImageProblem } from '../gcp/cloud-run-limits';
import { holdsTokenEncoding } from '../terraform-strings';
import { RULES, Rule } from '../rules';
import { GCP_ZONES_SOURCE, zonesOf } from '../gcp/zones';
import { ProblemCollector } from '../validation';
import { GUARDRAIL_RULES } from '../guardrails/rules';
import { MIN_REASON_WORDS } from '../guardrails/suppress';
import { DEFAULT_DEPLOY_REFS, DEPLOY_REF } from '../github';
import { ENVIRONMENT_NAMES, EnvironmentName, hostName } from '../naming';
import { awsRegion, crossFieldIssue, domain, gcsBucketName, projectName, ruled, s3BucketName, statePrefix, theDefault, unlistedIssue } from './common';
import { clusterAws } from './cluster-aws';
import { clusterGcp } from './cluster-gcp';
import { serverlessGcp } from './serverless-gcp';
import type { DeployConfig } from './types';

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

const TOKEN_TEXT = "text without cdktf's token encodings (a number such as -8.109562212591379e+298 would become a reference)";
/** A probe path of a custom port. */
const httpPath = z
  .string()
  .regex(HTTP_PATH, 'a path starting with /, without spaces or braces ({ and } percent-encoded)')
  .refine((v) => !holdsTokenEncoding(v), TOKEN_TEXT);
/** The host label a port is served at: `www` gives `www.<domain>`, and `www-staging.<domain>` in staging. */
const hostLabel = z.string().regex(HOST_LABEL, HOST_LABEL_RULE).refine((v) => !holdsTokenEncoding(v), TOKEN_TEXT);

/** One port of the custom preset (an AppPort: lib/config/profile.ts maps the fields). */
const appPort = z.strictObject({
  name: z.string().regex(PORT_NAME, PORT_NAME_RULE),
  // The clusters publish it on the host, where sshd (Amazon Linux, Container-Optimized OS) already holds 22.
  port: z.number().int('a whole number').min(1, 'at least 1').max(65535, 'at most 65535').refine((p) => p !== 22, 'a port other than 22 (the hosts\' sshd holds it)'),
  // The port's name by default.
  host: hostLabel.optional(),
  // Readiness: load balancers route to a server while it answers 200 here ('/' by default).
  healthPath: httpPath.optional(),
  // Liveness: what replaces a server that stops answering (a TCP connect to the port by default).
  livenessPath: httpPath.optional(),
});

type AppPreset = 'serverpod' | 'perseus' | 'custom';

/** The variables a preset sets itself: refused in app.environment and as a secret's variable. */
function presetReservedNames(preset: AppPreset): readonly string[] {
  return preset === 'serverpod' ? SERVERPOD_RESERVED_VARIABLES : preset === 'perseus' ? PERSEUS_RESERVED_VARIABLES : CUSTOM_RESERVED_VARIABLES;
}

const app = z
  .strictObject({
    preset: z.enum(['serverpod', 'perseus', 'custom']).default('serverpod'),
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
    // An image from another registry, run instead of the stack's own (docker.io/library/nginx:1.27).
    image: z
      .string()
      .superRefine((v, ctx) => {
        const problem = imageReferenceProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', input: v, message: problem });
      })
      .optional(),
    // The serverpod and perseus presets: the host label of each port, by port name ({ web: www }).
    hosts: z.record(z.string().regex(PORT_NAME, `a port name (${PORT_NAME_RULE})`), hostLabel).optional(),
    // The custom preset: the server's ports, the first the main one, and the roles it can take.
    ports: z.array(appPort).min(1, 'at least one port').optional(),
    roles: z.array(z.enum(SERVER_ROLES as [ServerRole, ...ServerRole[]])).min(1, 'at least one role').optional(),
  })
  .superRefine((v, ctx) => {
    // The preset is often left to its default: then the message says so, as the fix may be setting it.
    const forServerpod = (field: string, value: unknown, expected: string, why: string) =>
      crossFieldIssue(ctx, [field], value, `${expected} for the serverpod preset (${why})`, [{ unset: ['preset'], message: `${expected} for the serverpod preset (${theDefault('app.preset')}); ${why}` }]);
    if (v.preset === 'serverpod' && v.port !== undefined) forServerpod('port', v.port, 'no port', 'it uses 8080, 8081 and 8082');
    if (v.preset === 'serverpod' && v.strategies !== undefined) forServerpod('strategies', v.strategies, 'no strategies', 'they are Perseus rendering strategies');
    if (v.preset === 'serverpod' && v.latencySensitive) forServerpod('latencySensitive', v.latencySensitive, 'false', 'it applies to a Perseus mutable store');
    if (v.preset === 'custom') customAppIssues(v, ctx);
    // The presets' ports and roles are their own; app.hosts is how their host labels are chosen.
    const ownPorts = 'its ports are fixed: app.hosts chooses the host each is served at; preset: custom describes your own server';
    if (v.preset === 'serverpod' && v.ports !== undefined) forServerpod('ports', v.ports, 'no ports', ownPorts);
    if (v.preset === 'serverpod' && v.roles !== undefined) forServerpod('roles', v.roles, 'no roles', 'it gives each server its role itself');
    if (v.preset === 'perseus' && v.ports !== undefined) ctx.addIssue({ code: 'custom', path: ['ports'], input: v.ports, message: 'no ports for the perseus preset (it has one: port sets its number and app.hosts.web its host; preset: custom describes your own server)' });
    if (v.preset === 'perseus' && v.roles !== undefined) ctx.addIssue({ code: 'custom', path: ['roles'], input: v.roles, message: 'no roles for the perseus preset (it runs as the same process everywhere)' });
    if (v.preset === 'perseus') {
      for (const field of ['serverpodVersion', 'web'] as const) {
        if (v[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], input: v[field], message: `no ${field} for the perseus preset (it is a Serverpod setting)` });
      }
    } else if (v.preset === 'serverpod' && v.serverpodVersion !== undefined) {
      const problems = new ProblemCollector();
      serverpodVersionProblems(problems, 'serverpodVersion', v.serverpodVersion);
      for (const p of problems.list) ctx.addIssue({ code: 'custom', path: ['serverpodVersion'], input: v.serverpodVersion, message: p.expected });
    }
    const presetReserved: ReservedVariables = {
      owner: `the ${v.preset} preset`,
      names: presetReservedNames(v.preset),
      hint: SECRETS_HINT,
    };
    environmentIssues(ctx, ['environment'], v.environment, { reserved: [presetReserved] });
    // Against the profile's defaults too (AWS target groups refuse a timeout of the interval or more); reported at
    // the field the user wrote. Neither has a zod default, so undefined means not written.
    const { intervalSec, timeoutSec } = v.healthCheck;
    const interval = intervalSec ?? HEALTH_CHECK_DEFAULTS.intervalSec;
    const timeout = timeoutSec ?? HEALTH_CHECK_DEFAULTS.timeoutSec;
    if (timeout >= interval && (intervalSec !== undefined || timeoutSec !== undefined)) {
      if (timeoutSec === undefined) {
        ctx.addIssue({ code: 'custom', path: ['healthCheck', 'intervalSec'], input: intervalSec, message: `more than timeoutSec (${timeout}, ${theDefault('timeoutSec')})` });
      } else {
        ctx.addIssue({ code: 'custom', path: ['healthCheck', 'timeoutSec'], input: timeoutSec, message: `less than intervalSec (${interval}${intervalSec === undefined ? `, ${theDefault('intervalSec')}` : ''})` });
      }
    }
  });

/**
 * The custom preset's own rules: the ports it needs (each name and number once; hosts are checked with the
 * domain's, in hostIssues), the roles once each, and none of the fields that belong to the other presets.
 */
function customAppIssues(v: { ports?: { name: string; port: number; host?: string }[]; roles?: ServerRole[]; latencySensitive: boolean } & Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (v.ports === undefined) {
    ctx.addIssue({ code: 'custom', path: ['ports'], input: undefined, message: 'the ports the server listens on, such as [{ name: web, port: 8080, host: www, healthPath: /healthz }] (the custom preset has none of its own)' });
  }
  const elsewhere: Record<string, string> = {
    port: 'list the server\'s ports under ports',
    healthCheckPath: 'give each port its own healthPath',
    hosts: 'give each port its own host',
    serverpodVersion: 'it is a Serverpod setting',
    web: 'it is a Serverpod setting',
    strategies: 'they are Perseus rendering strategies',
  };
  for (const [field, why] of Object.entries(elsewhere)) {
    if (v[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], input: v[field], message: `no ${field} for the custom preset (${why})` });
  }
  if (v.latencySensitive) ctx.addIssue({ code: 'custom', path: ['latencySensitive'], input: true, message: 'false for the custom preset (it applies to a Perseus mutable store)' });
  const seen = { name: new Map<string | number, number>(), port: new Map<string | number, number>() };
  (v.ports ?? []).forEach((p, i) => {
    const checks: [keyof typeof seen, string | number, string][] = [
      ['name', p.name, 'a name no other port has'],
      ['port', p.port, 'a port number no other port listens on'],
    ];
    for (const [key, value, message] of checks) {
      const first = seen[key].get(value);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['ports', i, key], input: value, message: `${message} (ports.${first} has it)` });
      else seen[key].set(value, i);
    }
  });
  const roles = v.roles ?? [];
  if (new Set(roles).size !== roles.length) ctx.addIssue({ code: 'custom', path: ['roles'], input: roles, message: 'each role once' });
}

const github = z.strictObject({
  repository: ruled(RULES.githubRepository),
  refs: z
    .array(z.string().regex(DEPLOY_REF, 'a git ref such as refs/heads/main or refs/heads/deployment-* (* only at the end)'))
    .min(1, 'at least one ref')
    .default([...DEFAULT_DEPLOY_REFS]),
});

const GUARDRAIL_RULE_IDS: ReadonlySet<string> = new Set(GUARDRAIL_RULES.map((r) => r.id));

/** A guardrail suppression in the file: the rule, the reason, and optionally which stacks and resources. */
const guardrailSuppression = z.strictObject({
  rule: z.string().refine((id) => GUARDRAIL_RULE_IDS.has(id), 'a guardrail rule id such as GCP-SQL-PUBLIC-IP (docs/guardrails.md lists them)'),
  reason: z
    .string()
    .max(300, 'at most 300 characters')
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'one line of text, no control characters')
    .refine((r) => !r.includes('${') && !r.includes('%{'), 'plain text without ${ or %{ (a reason is never part of the stack)')
    .refine((r) => r.trim().split(/\s+/).filter((w) => /\w/.test(w)).length >= MIN_REASON_WORDS, `a reason of at least ${MIN_REASON_WORDS} words saying why the rule does not apply`),
  stacks: z.array(z.enum(['cluster-gcp', 'cluster-aws', 'serverless-gcp'])).min(1, 'at least one stack id').optional(),
  resources: z
    .array(z.string().regex(/^[A-Za-z0-9_.\/-]+$/, 'a Terraform address (type.name) or a construct path inside the stack (cluster/production/Buckets)'))
    .min(1, 'at least one address or path')
    .optional(),
  attributes: z
    .array(z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'a dotted argument name as a finding names it (settings.ip_configuration.ipv4_enabled)'))
    .min(1, 'at least one argument')
    .optional(),
});

const state = z.strictObject({
  gcs: z.strictObject({ bucket: gcsBucketName, prefix: statePrefix.default('cdktf-serverpod') }).optional(),
  s3: z.strictObject({ bucket: s3BucketName, region: awsRegion, keyPrefix: statePrefix.default('cdktf-serverpod') }).optional(),
});

/**
 * The config file's zod schema. Internal: its types, written out in ./types.ts (`DeployConfig`), are the public
 * ones, so the package's declarations need no zod.
 * @internal
 */
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
    // Exceptions to the synth-time guardrails, each with its reason.
    guardrails: z.strictObject({ suppress: z.array(guardrailSuppression).default([]) }).prefault({}),
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
    // A mutable store serves only Perseus pages (caught here, with config field names).
    if (v.app.preset === 'serverpod' && v.mutableStore !== 'none') {
      const why = 'a mutable store is for Perseus revalidation and incremental generation';
      crossFieldIssue(ctx, ['mutableStore'], v.mutableStore, `none for the serverpod preset (${why})`, [{ unset: ['app', 'preset'], message: `none for the serverpod preset (${theDefault('app.preset')}); ${why}` }]);
    }
    if (v.app.preset === 'custom' && v.mutableStore !== 'none') {
      ctx.addIssue({ code: 'custom', path: ['mutableStore'], input: v.mutableStore, message: 'none for the custom preset (a mutable store is for Perseus revalidation and incremental generation)' });
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
      { owner: `the ${v.app.preset} preset`, names: presetReservedNames(v.app.preset) },
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
    // Perseus revalidating on Cloud Run without mutableStore is no config error: Cloud Run's filesystem is writable
    // (in memory, per instance), and GcpServerlessApp warns at synth about the per-instance copies.
    if (v.webOnTopDomain && serverless?.enabled && serverless.domains === 'domain-mappings') {
      ctx.addIssue({ code: 'custom', path: ['webOnTopDomain'], input: v.webOnTopDomain, message: 'false with stacks.serverless-gcp.domains: domain-mappings (the bare domain needs the load balancer)' });
    }
    domainLengthIssues(v, ctx);
    hostIssues(v, ctx);
    appStackIssues(v, ctx);
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
function domainLengthIssues(
  v: Parameters<typeof appHostLabels>[0] & { domain: string; environments: readonly EnvironmentName[]; storage: boolean; stacks: { [id in StackId]?: { enabled: boolean; domain?: string; bucketNaming?: string } } },
  ctx: z.RefinementCtx,
): void {
  const labels = [...appHostLabels(v).map((l) => l.label), ...(v.storage ? ['storage'] : [])];
  const longest = (names: string[]) => names.reduce((a, b) => (b.length > a.length ? b : a));
  const gcp = v.stacks['cluster-gcp'];
  const check = (domain: string, path: string[], bucketNaming: string | undefined) => {
    if (!RULES.domain.pattern.test(domain)) return;
    const host = longest(v.environments.flatMap((env) => labels.map((label) => hostName(domain, label, env))));
    if (host.length > 253) {
      ctx.addIssue({ code: 'custom', path, input: domain, message: `a domain of at most ${253 - (host.length - domain.length)} characters, so the host ${host.slice(0, host.length - domain.length)}<domain> fits DNS's 253` });
      return;
    }
    if (v.storage && bucketNaming === 'domain') {
      const bucket = longest(v.environments.map((env) => `private-${hostName(domain, 'storage', env)}`));
      if (bucket.length > 222) {
        ctx.addIssue({
          code: 'custom',
          path,
          input: domain,
          message: `a domain of at most ${222 - (bucket.length - domain.length)} characters with stacks.cluster-gcp.bucketNaming: domain, so the bucket ${bucket.slice(0, bucket.length - domain.length)}<domain> fits Cloud Storage's 222 (or bucketNaming: project)`,
        });
      }
    }
  };
  // The top-level domain, then each enabled stack's own (cluster-gcp's names its buckets with bucketNaming: domain).
  check(v.domain, ['domain'], gcp?.enabled && gcp.domain === undefined ? gcp.bucketNaming : undefined);
  for (const id of STACK_IDS) {
    const stack = v.stacks[id];
    if (stack?.enabled && stack.domain !== undefined) check(stack.domain, ['stacks', id, 'domain'], id === 'cluster-gcp' ? stack.bucketNaming : undefined);
  }
}

/**
 * Each published port's host label and the field that sets it, as lib/config/profile.ts builds the profile: the
 * custom preset's `ports[].host` (the port's name by default), the presets' ports at `app.hosts` or their defaults
 * (api., insights., app.; Perseus app.).
 */
export function appHostLabels(v: {
  readonly database: boolean;
  readonly app: {
    readonly preset: string;
    /** As `AppConfig.web`. @default - the value of `database` */
    readonly web?: boolean;
    /** As `AppConfig.hosts`. @default - the presets' labels */
    readonly hosts?: Readonly<Record<string, string>>;
    /** As `AppConfig.ports`. @default - none */
    readonly ports?: readonly {
      readonly name: string;
      /** As `AppPortConfig.host`. @default - the port's name */
      readonly host?: string;
    }[];
  };
}): {
  /** The port's name. */
  port: string;
  /** The host label it is served at. */
  label: string;
  /** The field the label comes from (`app.ports.<i>.host`, `app.hosts.<port>`); when defaulted, the port's `name` or `app.hosts`. */
  path: (string | number)[];
}[] {
  const app = v.app;
  if (app.preset === 'custom') {
    return (app.ports ?? []).map((p, i) => ({ port: p.name, label: p.host ?? p.name, path: ['app', 'ports', i, p.host === undefined ? 'name' : 'host'] }));
  }
  const defaults: Record<string, string> = { api: 'api', insights: 'insights', web: 'app' };
  const names = app.preset === 'perseus' ? ['web'] : serverpodPortNames(v.database, app.web ?? v.database);
  return names.map((port) => {
    const chosen = app.hosts?.[port];
    return { port, label: chosen ?? defaults[port], path: ['app', 'hosts', ...(chosen === undefined ? [] : [port])] };
  });
}

/**
 * `app.hosts` for a port the preset does not publish, hosts that would be one name twice (a port's label that is
 * another port's, the bucket's `storage`, or another port's staging host), and staging labels past DNS's 63
 * characters.
 */
function hostIssues(v: DeployConfig, ctx: z.RefinementCtx): void {
  // A port whose name repeats an earlier one's is reported at its name already.
  const labels = appHostLabels(v).filter((l, i, all) => all.findIndex((o) => o.port === l.port) === i);
  if (v.app.preset !== 'custom') {
    const published = labels.map((l) => l.port);
    for (const [port, label] of Object.entries(v.app.hosts ?? {})) {
      if (!published.includes(port)) {
        ctx.addIssue({ code: 'custom', path: ['app', 'hosts', port], input: label, message: `a port the ${v.app.preset} preset publishes with these settings (${published.join(', ')})` });
      }
    }
  }
  // Whatever the domain (each stack may have its own), hosts collide when their first labels do.
  const owners = new Map<string, string>();
  if (v.storage) for (const env of v.environments) owners.set(hostName('<domain>', 'storage', env), `the public bucket's ${env} host`);
  for (const { port, label, path } of labels) {
    for (const env of v.environments) {
      const host = hostName('<domain>', label, env);
      const owner = owners.get(host);
      if (owner !== undefined) {
        ctx.addIssue({ code: 'custom', path, input: label, message: `a host label of its own (${host} is already ${owner})` });
        break;
      }
      owners.set(host, `the ${port} port's ${env} host`);
    }
    // The staging host's first label is the label and a suffix (api-staging): DNS holds a label to 63 characters.
    const stagingLabel = hostName('<domain>', label, 'staging').split('.')[0];
    if (v.environments.includes('staging') && stagingLabel.length > 63) {
      ctx.addIssue({ code: 'custom', path, input: label, message: `a host label of at most ${63 - (stagingLabel.length - label.length)} characters with staging (its staging host starts ${stagingLabel}., and a DNS label holds 63)` });
    }
  }
}

/** A network's name however it is given (a name, a `projects/.../networks/<name>` path, a self link). */
function networkName(network: string): string {
  return network.slice(network.lastIndexOf('/') + 1);
}

/**
 * What the custom preset's roles and an image from elsewhere need from the stacks: a role each stack runs, and a
 * registry each platform can pull from through the network it has.
 */
function appStackIssues(v: DeployConfig, ctx: z.RefinementCtx): void {
  const gcp = v.stacks['cluster-gcp']?.enabled ? v.stacks['cluster-gcp'] : undefined;
  const aws = v.stacks['cluster-aws']?.enabled ? v.stacks['cluster-aws'] : undefined;
  const serverless = v.stacks['serverless-gcp']?.enabled ? v.stacks['serverless-gcp'] : undefined;
  if (v.app.preset === 'custom') {
    const roles = v.app.roles ?? ['monolith', 'serverless'];
    const clusters = [gcp && 'stacks.cluster-gcp', aws && 'stacks.cluster-aws'].filter(Boolean).join(' and ');
    if (clusters && !roles.includes('monolith')) {
      ctx.addIssue({ code: 'custom', path: ['app', 'roles'], input: roles, message: `roles including monolith with ${clusters} (a cluster's servers serve traffic and do their own periodic work)` });
    }
    if (serverless && !roles.includes('serverless')) {
      ctx.addIssue({ code: 'custom', path: ['app', 'roles'], input: roles, message: 'roles including serverless with stacks.serverless-gcp (its Cloud Run services run the server in that role)' });
    }
  }
  // A network has one private services connection: a second stack creating it on the same network fails at apply.
  const clusterNet = gcp?.existingNetwork;
  const runNet = serverless?.existingNetwork;
  if (clusterNet?.privateServicesAccess === 'create' && runNet?.privateServicesAccess === 'create' && networkName(clusterNet.network) === networkName(runNet.network)) {
    ctx.addIssue({
      code: 'custom',
      path: ['stacks', 'serverless-gcp', 'existingNetwork', 'privateServicesAccess'],
      input: 'create',
      message: 'existing, as stacks.cluster-gcp creates the private services access of the same network (a network has one connection; the second create fails at apply)',
    });
  }
  const image = v.app.image;
  if (image === undefined) return;
  // nat unset is on for a new network; an existing network may reach the internet through a NAT of its own.
  if (gcp && gcp.nat === false && gcp.existingNetwork === undefined && imageRegistryKind(image) !== 'artifact-registry') {
    ctx.addIssue({ code: 'custom', path: ['app', 'image'], input: image, message: 'an image in Artifact Registry (<location>-docker.pkg.dev or gcr.io) with stacks.cluster-gcp.nat: false (without Cloud NAT the servers reach only Google\'s APIs), or nat: true' });
  }
  const cloudRun = serverless ? cloudRunImageProblem(image) : undefined;
  if (cloudRun) ctx.addIssue({ code: 'custom', path: ['app', 'image'], input: image, message: `${cloudRun} (with stacks.serverless-gcp)` });
  if (aws?.egress === 'vpc-endpoints' && aws.existingVpc === undefined) {
    ctx.addIssue({ code: 'custom', path: ['app', 'image'], input: image, message: 'no image from another registry with stacks.cluster-aws.egress: vpc-endpoints (the servers reach only AWS services): set egress: nat-gateway, or push the image to the stack\'s ECR repository and leave app.image out' });
  }
  if (serverless?.initialImage !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['stacks', 'serverless-gcp', 'initialImage'], input: serverless.initialImage, message: 'no initialImage with app.image (the services and jobs run app.image from the first apply)' });
  }
}

// The validated config's types are written out, documented, in ./types.ts: a field added to the schema goes there
// too (test/config-types.test.ts compares them).
export type { DeployConfig, DeployConfigInput, ClusterGcpConfig, ClusterAwsConfig, ServerlessGcpConfig } from './types';
/** A bundled stack's id, as `cdktf deploy <id>` takes it and `stacks` names it. */
export type StackId = keyof DeployConfig['stacks'];
/** Every `StackId`. */
export const STACK_IDS: readonly StackId[] = ['cluster-gcp', 'cluster-aws', 'serverless-gcp'];
