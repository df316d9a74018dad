import { DEPLOY_REF } from '../github';
import { DNS_NAME } from '../hosts';
import { RULES, checkRules } from '../rules';
import { ProblemCollector } from '../validation';

/** The props both GCP patterns (cluster and serverless) share, judged before anything is created. */
export interface GcpPatternStrings {
  readonly project: string;
  readonly region: string;
  readonly namePrefix: string;
  readonly domain: string;
  readonly dnsZoneName?: string;
  readonly githubRepository?: string;
  readonly githubRefs?: readonly string[];
  readonly environments: Readonly<Record<string, { readonly databaseTier?: string; readonly machineType?: string } | undefined>>;
}

/** Problems of the shared props, by their own names (`props.region`, `props.environments.production.databaseTier`). */
export function gcpPatternProblems(problems: ProblemCollector, props: GcpPatternStrings): void {
  checkRules(problems, {
    project: [props.project, RULES.gcpProject],
    region: [props.region, RULES.gcpRegion],
    namePrefix: [props.namePrefix, RULES.namePrefix],
    domain: [props.domain, { pattern: DNS_NAME, expected: 'a lowercase DNS name without a scheme or trailing dot, such as example.com' }],
    dnsZoneName: [props.dnsZoneName, RULES.dnsZoneName],
    githubRepository: [props.githubRepository, RULES.githubRepository],
    ...Object.fromEntries((props.githubRefs ?? []).map((ref, i) => [`githubRefs[${i}]`, [ref, { pattern: DEPLOY_REF, expected: 'a git ref such as refs/heads/main or refs/heads/deployment-* (* only at the end)' }]])),
    ...Object.fromEntries(
      Object.entries(props.environments).flatMap(([name, size]) => [
        [`environments.${name}.databaseTier`, [size?.databaseTier, RULES.cloudSqlTier]],
        [`environments.${name}.machineType`, [size?.machineType, RULES.machineType]],
      ]),
    ),
  });
}
