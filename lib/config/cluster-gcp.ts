import { z } from 'zod';
import { cpuTargetPercent, gcpProject, gcpRegion, minNotAboveMax, perEnvironment, scaling } from './common';

/** Sizes of one environment of the GCP cluster. */
export const gcpClusterSize = z
  .strictObject({
    ...scaling({ min: 1, max: 2 }),
    machineType: z.string().regex(/^[a-z][a-z0-9]*-[a-z0-9-]+$/, 'a Compute Engine machine type such as e2-micro or n2-standard-2').default('e2-micro'),
    cpuTargetPercent: cpuTargetPercent.default(60),
    databaseTier: z.string().regex(/^db-[a-z0-9-]+$/, 'a Cloud SQL tier such as db-f1-micro or db-custom-1-3840').default('db-f1-micro'),
    redisMemoryGb: z.number().int('a whole number').min(1, 'at least 1').max(300, 'at most 300').default(1),
  })
  .superRefine(minNotAboveMax);

/** `stacks.cluster-gcp` */
export const clusterGcp = z
  .strictObject({
    enabled: z.boolean().default(true),
    project: gcpProject,
    region: gcpRegion.default('us-central1'),
    sizes: perEnvironment(gcpClusterSize),
  });
