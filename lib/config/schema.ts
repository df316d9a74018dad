import { z } from 'zod';
import { RENDERING_STRATEGIES, perseusTargetProblems } from '../app/perseus-strategies';
import { DEFAULT_DEPLOY_REFS, DEPLOY_REF } from '../github';
import { ENVIRONMENT_NAMES } from '../naming';
import { awsRegion, bucketName, domain, projectName, statePrefix } from './common';
import { clusterAws } from './cluster-aws';
import { clusterGcp } from './cluster-gcp';
import { serverlessGcp } from './serverless-gcp';

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const app = z
  .strictObject({
    preset: z.enum(['serverpod', 'perseus']).default('serverpod'),
    logging: z.enum(['normal', 'verbose']).default('normal'),
    port: z.number().int('a whole number').min(1, 'at least 1').max(65535, 'at most 65535').optional(),
    healthCheckPath: z.string().regex(/^\/\S*$/, 'a path starting with /').default('/'),
    environment: z.record(z.string().regex(envVarName, 'an environment variable name: letters, digits and _'), z.string()).default({}),
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
  });

const github = z.strictObject({
  repository: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, 'a GitHub repository as owner/name'),
  refs: z
    .array(z.string().regex(DEPLOY_REF, 'a git ref such as refs/heads/main or refs/heads/deployment-* (* only at the end)'))
    .min(1, 'at least one ref')
    .default([...DEFAULT_DEPLOY_REFS]),
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
    // Where a Perseus app keeps pages it revalidates or generates incrementally; none keeps them on the server's disk.
    mutableStore: z.enum(['none', 'bucket', 'redis', 'postgres']).default('none'),
    webOnTopDomain: z.boolean().default(false),
    state: state.prefault({}),
    github: github.optional(),
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
    // Cloud Run's filesystem is in memory and per instance: revalidation needs a store there (caught here, with config field names).
    if (v.app.preset === 'serverpod' && v.mutableStore !== 'none') {
      ctx.addIssue({ code: 'custom', path: ['mutableStore'], input: v.mutableStore, message: 'none for the serverpod preset (a mutable store is for Perseus revalidation and incremental generation)' });
    }
    const serverless = v.stacks['serverless-gcp'];
    if (v.app.preset === 'perseus' && serverless && serverless.enabled) {
      const store = v.mutableStore === 'none' ? undefined : v.mutableStore;
      for (const p of perseusTargetProblems(v.app.strategies ?? RENDERING_STRATEGIES, 'read-only-filesystem', store)) {
        ctx.addIssue({ code: 'custom', path: ['mutableStore'], input: v.mutableStore, message: `${p.allowed} (stacks.serverless-gcp runs on Cloud Run; list app.strategies if the app uses fewer)` });
      }
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
