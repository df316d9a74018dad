import { z } from 'zod';
import { awsRegion, cpuTargetPercent, minNotAboveMax, perEnvironment, scaling } from './common';

/** Sizes of one environment of the AWS cluster. */
export const awsClusterSize = z
  .strictObject({
    ...scaling({ min: 1, max: 2 }),
    instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as t3.micro or t4g.small').default('t3.micro'),
    cpuTargetPercent: cpuTargetPercent.default(60),
    databaseInstanceClass: z.string().regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'an RDS instance class such as db.t4g.micro').default('db.t4g.micro'),
    databaseMultiAz: z.boolean().default(false),
    redisNodeType: z.string().regex(/^cache\.[a-z0-9-]+\.[a-z0-9]+$/, 'an ElastiCache node type such as cache.t4g.micro').default('cache.t4g.micro'),
  })
  .superRefine(minNotAboveMax);

/** `stacks.cluster-aws` */
export const clusterAws = z
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
