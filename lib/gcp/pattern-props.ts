import { IConstruct } from 'constructs';
import { DEPLOY_REF } from '../github';
import { RULES, checkRules, dataLossProblems } from '../rules';
import { ProblemCollector } from '../validation';
import { cloudSqlDiskProblem } from './cloud-sql-limits';

/** The props both GCP patterns (cluster and serverless) share, judged before anything is created. */
export interface GcpPatternStrings {
  /** The GCP project id. */
  readonly project: string;
  /** The region it is created in. */
  readonly region: string;
  readonly namePrefix: string;
  readonly domain: string;
  readonly dnsZone?: string;
  readonly dnsZoneName?: string;
  readonly githubRepository?: string;
  readonly githubRefs?: readonly string[];
  readonly environments: Readonly<
    Record<string, { readonly databaseTier?: string; readonly machineType?: string; readonly deletionProtection?: boolean; readonly acknowledgeDataLoss?: string; readonly databaseStorageGb?: number } | undefined>
  >;
  readonly redis?: { readonly tier?: string };
  readonly storage?: { readonly location?: string; readonly bucketNaming?: string } | false;
}

const oneOf = (values: readonly string[]) => ({ pattern: new RegExp(`^(${values.join('|')})$`), expected: `one of ${values.join(', ')}` });

/**
 * Problems of the shared props, by their own names (`props.region`, `props.environments.production.databaseTier`).
 * Values off the kept lists (lib/catalog) become synth warnings on `scope`.
 */
export function gcpPatternProblems(problems: ProblemCollector, props: GcpPatternStrings, scope?: IConstruct): void {
  checkRules(problems, {
    project: [props.project, RULES.gcpProject],
    region: [props.region, RULES.gcpRegion],
    namePrefix: [props.namePrefix, RULES.namePrefix],
    domain: [props.domain, RULES.domain],
    dnsZone: [props.dnsZone, RULES.dnsZoneName],
    dnsZoneName: [props.dnsZoneName, RULES.dnsZoneName],
    githubRepository: [props.githubRepository, RULES.githubRepository],
    'redis.tier': [props.redis?.tier, oneOf(['BASIC', 'STANDARD_HA'])],
    'storage.location': [props.storage ? props.storage.location : undefined, { pattern: /^[A-Za-z0-9-]+$/, expected: 'a Cloud Storage location such as US, EU or us-central1' }],
    'storage.bucketNaming': [props.storage ? props.storage.bucketNaming : undefined, oneOf(['project', 'domain'])],
    ...Object.fromEntries((props.githubRefs ?? []).map((ref, i) => [`githubRefs[${i}]`, [ref, { pattern: DEPLOY_REF, expected: 'a git ref such as refs/heads/main or refs/heads/deployment-* (* only at the end)' }]])),
    ...Object.fromEntries(
      Object.entries(props.environments).flatMap(([name, size]) => [
        [`environments.${name}.databaseTier`, [size?.databaseTier, RULES.cloudSqlTier]],
        [`environments.${name}.machineType`, [size?.machineType, RULES.machineType]],
      ]),
    ),
  }, scope);
  for (const [name, size] of Object.entries(props.environments)) {
    if (size) dataLossProblems(problems, `environments.${name}.`, name, size.deletionProtection, size.acknowledgeDataLoss);
    const disk = size?.databaseStorageGb === undefined ? undefined : cloudSqlDiskProblem(size.databaseStorageGb, size.databaseTier ?? 'db-f1-micro');
    problems.check(disk === undefined, `environments.${name}.databaseStorageGb`, size?.databaseStorageGb, disk ?? '');
  }
  problems.check(props.dnsZone === undefined || props.dnsZoneName === undefined, 'dnsZoneName', props.dnsZoneName, 'none with dnsZone (its earlier name)');
}
