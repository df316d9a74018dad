import { z } from 'zod';
import { cloudSqlStorageGb, cloudSqlStorageIssue, cpuTargetPercent, crossFieldIssue, existingGcpNetwork, databaseLifecycle, databasesPerEnvironment, domain, gcpProject, gcpRegion, ipv4Block, minNotAboveMax, perEnvironment, ruled, scaling, theDefault } from './common';
import { RULES } from '../rules';
import { zonesOf } from '../gcp/zones';

/** Sizes of one environment of the GCP cluster. */
export const gcpClusterSize = z
  .strictObject({
    ...scaling({ min: 1, max: 2 }),
    machineType: ruled(RULES.machineType).default('e2-micro'),
    cpuTargetPercent: cpuTargetPercent.default(60),
    databaseTier: ruled(RULES.cloudSqlTier).default('db-f1-micro'),
    databaseAvailability: z.enum(['ZONAL', 'REGIONAL']).default('ZONAL'),
    databaseMaxConnections: z.number().int('a whole number').min(14, 'at least 14').max(262143, 'at most 262143').optional(),
    databaseStorageGb: cloudSqlStorageGb,
    redisMemoryGb: z.number().int('a whole number').min(1, 'at least 1').max(300, 'at most 300').default(1),
  })
  .superRefine(minNotAboveMax)
  .superRefine(cloudSqlStorageIssue);

/** `stacks.cluster-gcp` */
export const clusterGcp = z
  .strictObject({
    enabled: z.boolean().default(true),
    project: gcpProject,
    // This stack's own domain instead of the top-level one, so it can be deployed beside another stack.
    domain: domain.optional(),
    region: gcpRegion.default('us-central1'),
    zone: ruled(RULES.gcpZone).optional(),
    // The regional groups' zones (their surge follows the count); checked against GCP_ZONES below.
    zones: z.array(ruled(RULES.gcpZone)).min(1, 'at least one zone').optional(),
    // Pinned private services range for Cloud SQL and Memorystore, or auto (Google's pick); the construct checks overlaps.
    privateServicesRange: z.union([z.literal('auto'), ipv4Block(8, 24, 'auto, or an IPv4 CIDR block from /8 to /24 such as 10.100.0.0/16 (numbers up to 255, no bits set past the prefix)')]).optional(),
    dnsZone: ruled(RULES.dnsZoneName).optional(),
    backendTimeoutSec: z.number().int('a whole number').min(1, 'at least 1').max(86400, 'at most 86400').default(3600),
    webCdn: z.boolean().default(true),
    storageCdn: z.boolean().default(false),
    // Accept object ACLs on the buckets: Serverpod's GoogleCloudStorage up to 3.3 and NativeGoogleCloudStorage send them.
    storageObjectAcls: z.boolean().optional(),
    bucketNaming: z.enum(['project', 'domain']).default('project'),
    bucketLocation: z.string().regex(/^[A-Za-z0-9-]+$/, 'a region or multi-region such as us-central1 or US').optional(),
    redisTier: z.enum(['BASIC', 'STANDARD_HA']).default('BASIC'),
    redisTransitEncryption: z.boolean().default(false),
    // No default: true for a new network, false with existingNetwork (which may have a NAT of its own).
    nat: z.boolean().optional(),
    iapSsh: z.boolean().default(true),
    // A VPC network someone else owns, instead of a new one; the construct checks it against region and the fields above.
    existingNetwork: existingGcpNetwork.optional(),
    sizes: perEnvironment(gcpClusterSize),
    database: databasesPerEnvironment(z.strictObject(databaseLifecycle)),
  })
  .superRefine((v, ctx) => {
    const ofRegion = `a zone of the stack's region ${v.region}`;
    if (v.zone !== undefined && !v.zone.startsWith(`${v.region}-`)) {
      crossFieldIssue(ctx, ['zone'], v.zone, `${ofRegion} (such as ${v.region}-a)`, [{ unset: ['region'], message: `${ofRegion} (${theDefault('region')}), such as ${v.region}-a` }]);
    }
    if (v.zones !== undefined && v.zone !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['zones'], input: v.zones, message: 'nothing with zone (zonal groups run in that one zone)' });
    }
    const known = zonesOf(v.region);
    v.zones?.forEach((zone, i) => {
      if (known.length ? !known.includes(zone) : !zone.startsWith(`${v.region}-`)) {
        const listed = known.length ? `: ${known.join(', ')}` : '';
        crossFieldIssue(ctx, ['zones', i], zone, `${ofRegion}${known.length ? ` (${known.join(', ')})` : ''}`, [{ unset: ['region'], message: `${ofRegion} (${theDefault('region')})${listed}` }]);
      }
    });
  });
