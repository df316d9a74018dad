import { z } from 'zod';
import { CLOUD_RUN_CPU, CLOUD_RUN_MEMORY, DOMAIN_MAPPING_REGIONS, cpuMemoryProblem, isCron } from '../gcp/cloud-run-limits';
import { cloudSqlStorageGb, cloudSqlStorageIssue, crossFieldIssue, existingGcpNetwork, databaseLifecycle, databasesPerEnvironment, domain, gcpProject, gcpRegion, ipv4Block, minNotAboveMax, numberAsText, perEnvironment, positiveInt, ruled, scaling, theDefault } from './common';
import { RULES } from '../rules';
import { PORT_NAME, PORT_NAME_RULE } from '../app/profile';

/** Sizes of one environment on Cloud Run (each service of the environment gets them). */
export const serverlessSize = z
  .strictObject({
    // Three by default: every instance opens its own database pool, and db-f1-micro allows 25 connections.
    ...scaling({ min: 0, max: 3 }, 0),
    // By port name: api, insights, web for Serverpod, web for Perseus, the custom preset's own (checked against the app's).
    serviceMaxInstances: z.record(z.string().regex(PORT_NAME, `a port name of the app, such as api or web (${PORT_NAME_RULE})`), positiveInt(1000)).optional(),
    databaseMaxConnections: z.number().int('a whole number').min(14, 'at least 14').max(262143, 'at most 262143').optional(),
    cpu: numberAsText(z.enum(CLOUD_RUN_CPU), `one of ${CLOUD_RUN_CPU.join(', ')}`).default('1'),
    memory: z.enum(CLOUD_RUN_MEMORY).default('512Mi'),
    concurrency: positiveInt(1000).default(80),
    databaseTier: ruled(RULES.cloudSqlTier).default('db-f1-micro'),
    databaseStorageGb: cloudSqlStorageGb,
    redisMemoryGb: z.number().int('a whole number').min(1, 'at least 1').max(300, 'at most 300').default(1),
  })
  .superRefine(minNotAboveMax)
  .superRefine(cloudSqlStorageIssue)
  .superRefine((v, ctx) => {
    const why = cpuMemoryProblem(v.cpu, v.memory);
    // The two defaults pair, so at most one of them is a default here: the problem is put on the one written.
    if (why) {
      crossFieldIssue(ctx, ['memory'], v.memory, why, [
        { unset: ['memory'], path: ['cpu'], message: `${why}; memory is ${v.memory} (${theDefault('memory')})` },
        { unset: ['cpu'], message: `${why}; cpu is ${v.cpu} (${theDefault('cpu')})` },
      ]);
    }
  });

/** `stacks.serverless-gcp` */
export const serverlessGcp = z.strictObject({
  enabled: z.boolean().default(true),
  project: gcpProject,
  // This stack's own domain instead of the top-level one, so it can be deployed beside another stack.
  domain: domain.optional(),
  region: gcpRegion.default('us-central1'),
  sizes: perEnvironment(serverlessSize),
  database: databasesPerEnvironment(z.strictObject(databaseLifecycle)),
  maintenanceSchedule: z
    .string()
    .refine((s) => s === 'off' || isCron(s), 'a five-field cron expression such as "* * * * *", or off')
    .default('* * * * *'),
  migrationsJob: z.boolean().optional(),
  // No default here, so a value given beside app.image (which makes it meaningless) can be refused; placeholder otherwise.
  initialImage: z.enum(['placeholder', 'registry']).optional(),
  domains: z.enum(['load-balancer', 'domain-mappings']).default('load-balancer'),
  dnsZone: ruled(RULES.dnsZoneName).optional(),
  requestTimeoutSec: z.number().int('a whole number').min(1, 'at least 1').max(3600, 'at most 3600 (Cloud Run\'s limit)').default(3600),
  publicInsights: z.boolean().default(true),
  vpcEgress: z.enum(['direct', 'connector']).default('direct'),
  // private: Cloud SQL on a private IP only, over vpcEgress; cloud-sql-connector: the opt-in public IP that only
  // Cloud SQL connectors pass (no VPC needed, the Auth Proxy works from anywhere with IAM).
  databaseConnectivity: z.enum(['private', 'cloud-sql-connector']).default('private'),
  // Direct VPC egress takes about two addresses per instance, in blocks of 16, and needs /26 or larger.
  subnetCidr: ipv4Block(16, 26, 'an IPv4 CIDR block from /16 to /26 such as 10.10.0.0/20 (numbers up to 255, no bits set past the prefix)').optional(),
  // Pinned private services range for Cloud SQL and Memorystore, or auto (Google's pick); the construct checks overlaps.
  privateServicesRange: z.union([z.literal('auto'), ipv4Block(8, 24, 'auto, or an IPv4 CIDR block from /8 to /24 such as 10.100.0.0/16 (numbers up to 255, no bits set past the prefix)')]).optional(),
  // A VPC network someone else owns for the private database and Redis; the construct checks it against vpcEgress and region.
  existingNetwork: existingGcpNetwork.optional(),
  redisTier: z.enum(['BASIC', 'STANDARD_HA']).default('BASIC'),
  redisTransitEncryption: z.boolean().default(false),
  storageCdn: z.boolean().default(false),
  // Accept object ACLs on the buckets: Serverpod's GoogleCloudStorage up to 3.3 and NativeGoogleCloudStorage send them.
  storageObjectAcls: z.boolean().optional(),
}).superRefine((v, ctx) => {
  if (v.domains === 'domain-mappings' && !DOMAIN_MAPPING_REGIONS.includes(v.region)) {
    ctx.addIssue({ code: 'custom', path: ['region'], input: v.region, message: `a region with Cloud Run domain mappings (${DOMAIN_MAPPING_REGIONS.join(', ')}), or domains: load-balancer` });
  }
});
