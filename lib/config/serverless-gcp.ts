import { z } from 'zod';
import { gcpProject, gcpRegion, minNotAboveMax, perEnvironment, positiveInt, scaling } from './common';

const CLOUD_RUN_MEMORY = ['512Mi', '1Gi', '2Gi', '4Gi', '8Gi', '16Gi', '32Gi'] as const;
/** Sizes of one environment on Cloud Run. */
export const serverlessSize = z
  .strictObject({
    ...scaling({ min: 0, max: 10 }, 0),
    cpu: z.enum(['1', '2', '4', '8']).default('1'),
    memory: z.enum(CLOUD_RUN_MEMORY).default('512Mi'),
    concurrency: positiveInt(1000).default(80),
    databaseTier: z.string().regex(/^db-[a-z0-9-]+$/, 'a Cloud SQL tier such as db-f1-micro or db-custom-1-3840').default('db-f1-micro'),
  })
  .superRefine(minNotAboveMax);

/** `stacks.serverless-gcp` */
export const serverlessGcp = z.strictObject({
  enabled: z.boolean().default(true),
  project: gcpProject,
  region: gcpRegion.default('us-central1'),
  sizes: perEnvironment(serverlessSize),
  maintenanceSchedule: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'a five-field cron expression such as "* * * * *"')
    .default('* * * * *'),
});
