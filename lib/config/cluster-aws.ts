import { z } from 'zod';
import { awsRegion, cpuTargetPercent, crossFieldIssue, databaseLifecycle, databasesPerEnvironment, domain, minNotAboveMax, numberAsText, perEnvironment, privateCidr, ruled, scaling, theDefault } from './common';
import { RULES } from '../rules';
import { PLATFORM_SECRET_KEYS } from '../app/secrets';
// lib/aws/common has no provider imports, so the config stays free of provider code.
import { ARCHITECTURES, CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST_IDS, EGRESS_MODES, HOSTED_ZONE_ID, PREFIX_LIST_ID, SUBNET_ID, VPC_ID, WEB_VIA, cloudFrontOriginFacingPrefixListId, instanceArchitecture } from '../aws/common';

/**
 * Regions whose zone names differ between accounts, so `<region>a` and `<region>b` may not both exist: new accounts
 * in ap-northeast-1 get a, c and d; us-west-1 shows each account two of a, b and c.
 */
export const REGIONS_WITHOUT_DEFAULT_ZONES: readonly string[] = ['ap-northeast-1', 'us-west-1'];

/** Default instance type per architecture, when a size names none. */
const DEFAULT_INSTANCE_TYPE = { x86_64: 't3.micro', arm64: 't4g.micro' } as const;

/** Sizes of one environment of the AWS cluster. */
export const awsClusterSize = z
  .strictObject({
    ...scaling({ min: 1, max: 2 }),
    /** @default 't3.micro' (x86_64) or 't4g.micro' (arm64) */
    instanceType: ruled(RULES.ec2InstanceType).optional(),
    cpuTargetPercent: cpuTargetPercent.default(60),
    databaseInstanceClass: ruled(RULES.rdsInstanceClass).default('db.t4g.micro'),
    databaseMultiAz: z.boolean().default(false),
    databaseStorageGb: z.number().int('a whole number').min(20, 'at least 20').max(65536, 'at most 65536').default(20),
    databaseMaxConnections: z.number().int('a whole number').min(6, 'at least 6').max(262143, 'at most 262143').optional(),
    redisNodeType: ruled(RULES.cacheNodeType).default('cache.t4g.micro'),
    redisNodes: z.number().int('a whole number').min(1, 'at least 1').max(6, 'at most 6').default(1),
  })
  .superRefine(minNotAboveMax);

/** Postgres of one environment of the AWS cluster, beyond its size: version, when changes apply, the final snapshot. */
export const awsClusterDatabase = z.strictObject({
  /** engineVersion: raising it upgrades in place, with applyImmediately for that apply. */
  ...databaseLifecycle,
  /** True for the apply that upgrades the major version or must change the class now, then removed. */
  applyImmediately: z.boolean().default(false),
  /** A final snapshot when the database is destroyed, whatever its deletion protection. */
  finalSnapshot: z.boolean().default(true),
});

// /16 to /20: the network construct cuts it into 16 subnets (AWS itself takes /16 to /28).
const vpcCidr = privateCidr(16, 20);

/** Two or more subnet ids, each once, in different zones (not checkable here). */
const subnetIds = (what: string) =>
  z
    .array(z.string().regex(SUBNET_ID, 'a subnet id such as subnet-0123456789abcdef0'))
    .min(2, `two or more ${what}, in different zones`)
    .refine((ids) => new Set(ids).size === ids.length, 'each subnet once');

/** `stacks.cluster-aws` */
export const clusterAws = z
  .strictObject({
    enabled: z.boolean().default(true),
    // This stack's own domain instead of the top-level one, so it can be deployed beside another stack.
    domain: domain.optional(),
    region: awsRegion.default('us-west-2'),
    // Unquoted, YAML reads it as a number, and drops a leading 0: hence the hint to quote.
    accountId: numberAsText(z.string().regex(/^[0-9]{12}$/, 'a 12-digit AWS account id (in quotes if it starts with 0)'), 'a 12-digit AWS account id').optional(),
    availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9][a-z]$/, 'an availability zone such as us-west-2a')).optional(),
    /** Existing Route 53 hosted zone of the domain; without it the stack creates one. */
    hostedZoneId: z.string().regex(HOSTED_ZONE_ID, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (Z, then uppercase letters and digits)').optional(),
    vpcCidr: vpcCidr.default('10.0.0.0/16'),
    /** An existing VPC instead of a new one: its id, and two or more public and private subnets. */
    existingVpc: z
      .strictObject({
        vpcId: z.string().regex(VPC_ID, 'a VPC id such as vpc-0123456789abcdef0'),
        publicSubnetIds: subnetIds('public subnet ids (the load balancer)'),
        privateSubnetIds: subnetIds('private subnet ids (servers, database, Redis; with a NAT gateway or VPC endpoints)'),
      })
      .optional(),
    /** nat-gateway (~$33/month) or vpc-endpoints (~$117/month over two zones, no internet); see lib/aws/common.ts. */
    egress: z.enum(EGRESS_MODES as ['nat-gateway', 'vpc-endpoints']).default('nat-gateway'),
    architecture: z.enum(ARCHITECTURES as ['x86_64', 'arm64']).default('x86_64'),
    amiId: ruled(RULES.amiId).optional(),
    /** cloudfront: app. only through CloudFront (the load balancer admits it by its origin-facing prefix list). */
    webVia: z.enum(WEB_VIA as ['load-balancer', 'cloudfront']).default('load-balancer'),
    // The region's id of com.amazonaws.global.cloudfront.origin-facing, where none is built in.
    cloudFrontPrefixListId: z.string().regex(PREFIX_LIST_ID, 'a managed prefix list id such as pl-82a045eb (aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing)').optional(),
    idleTimeoutSec: z.number().int('a whole number').min(1, 'at least 1').max(4000, 'at most 4000 (the load balancer limit)').default(3600),
    secrets: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a secret key such as serviceSecret: letters, digits and _, starting with a letter')
          .refine((key) => !PLATFORM_SECRET_KEYS.includes(key), `a key other than ${PLATFORM_SECRET_KEYS.join(', ')} (the stacks create and wire those)`),
      )
      .default([]),
    githubOidcProviderArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, 'the ARN of the account\'s IAM OIDC provider for token.actions.githubusercontent.com')
      .optional(),
    sizes: perEnvironment(awsClusterSize),
    database: databasesPerEnvironment(awsClusterDatabase),
  })
  .superRefine((v, ctx) => {
    const zones = v.availabilityZones;
    if (v.existingVpc && zones) {
      ctx.addIssue({ code: 'custom', path: ['availabilityZones'], input: zones, message: "none with existingVpc (its subnets' zones are used)" });
    }
    if (!zones && !v.existingVpc && REGIONS_WITHOUT_DEFAULT_ZONES.includes(v.region)) {
      ctx.addIssue({
        code: 'custom',
        path: ['availabilityZones'],
        input: zones,
        message: `two or more zones your account offers in ${v.region}, which differ between accounts there (list them: aws ec2 describe-availability-zones --region ${v.region} --query "AvailabilityZones[?State=='available'].ZoneName")`,
      });
    }
    if (zones) {
      if (zones.length < 2) {
        ctx.addIssue({ code: 'custom', path: ['availabilityZones'], input: zones, message: 'at least 2 availability zones, so the load balancer and database span two' });
      }
      // The VPC is cut into 16 equal subnets, a public and a private one per zone.
      if (zones.length > 8) {
        ctx.addIssue({ code: 'custom', path: ['availabilityZones'], input: zones, message: 'at most 8 availability zones (the VPC range is split into a public and a private subnet per zone, 16 in all)' });
      }
      zones.forEach((zone, i) => {
        if (!zone.startsWith(v.region)) {
          const ofRegion = `a zone of the stack's region ${v.region}`;
          crossFieldIssue(ctx, ['availabilityZones', i], zone, `${ofRegion} (such as ${v.region}a)`, [{ unset: ['region'], message: `${ofRegion} (${theDefault('region')}), such as ${v.region}a` }]);
        }
      });
      if (new Set(zones).size !== zones.length) {
        ctx.addIssue({ code: 'custom', path: ['availabilityZones'], input: zones, message: 'each zone once' });
      }
    }
    for (const environment of ['production', 'staging'] as const) {
      const type = v.sizes[environment].instanceType;
      if (type !== undefined && instanceArchitecture(type) !== v.architecture) {
        if (v.architecture === 'arm64') {
          ctx.addIssue({ code: 'custom', path: ['sizes', environment, 'instanceType'], input: type, message: 'a Graviton (arm64) instance type such as t4g.small, as architecture is arm64' });
        } else {
          const expected = 'an x86_64 instance type such as t3.small, as architecture is x86_64';
          crossFieldIssue(ctx, ['sizes', environment, 'instanceType'], type, `${expected} (set architecture: arm64 for Graviton types)`, [
            { unset: ['architecture'], message: `${expected} (the default; set architecture: arm64 for Graviton types)` },
          ]);
        }
      }
    }
    // The load balancer admits CloudFront by the region's id of its origin-facing prefix list, built in per region.
    if (v.webVia === 'cloudfront' && v.cloudFrontPrefixListId === undefined && cloudFrontOriginFacingPrefixListId(v.region) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['webVia'],
        input: v.webVia,
        message: `load-balancer in ${v.region}: cloudfront needs the id of CloudFront's origin-facing prefix list, built in only for ${Object.keys(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST_IDS).join(', ')}; elsewhere set cloudFrontPrefixListId`,
      });
    }
    if (v.secrets.length !== new Set(v.secrets).size) {
      ctx.addIssue({ code: 'custom', path: ['secrets'], input: v.secrets, message: 'each secret once' });
    }
  })
  // Explicit zones keep plan free of a credentials-needing data source; `a` and `b` exist for every account in
  // every region but those in REGIONS_WITHOUT_DEFAULT_ZONES, where the field is required.
  .transform((v) => {
    const instanceType = DEFAULT_INSTANCE_TYPE[v.architecture];
    return {
      ...v,
      availabilityZones: v.availabilityZones ?? [`${v.region}a`, `${v.region}b`],
      sizes: {
        production: { ...v.sizes.production, instanceType: v.sizes.production.instanceType ?? instanceType },
        staging: { ...v.sizes.staging, instanceType: v.sizes.staging.instanceType ?? instanceType },
      },
    };
  });
