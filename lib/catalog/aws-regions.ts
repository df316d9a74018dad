// AWS regions, kept here so a misspelt region is a config error, not a failed apply. Data only, no provider
// imports (the config schema uses it). Zone letters are not listed: they differ between accounts
// (docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html), so zones are only checked to be the region
// plus one letter.

/** Where the regions come from and when the lists were last compared with it. */
export const AWS_REGIONS_SOURCE = {
  url: 'https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html',
  // The SDKs' endpoint data names the same regions per partition, with the same codes.
  alsoUrl: 'https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json',
  checked: '2026-11-29',
} as const;

export interface AwsRegion {
  readonly name: string;
  /**
   * Launched after 20 March 2019: disabled until the account enables it, and refused until then
   * (docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
   */
  readonly optIn: boolean;
}

/** The commercial (`aws`) partition's public regions. */
export const AWS_COMMERCIAL_REGIONS: Readonly<Record<string, AwsRegion>> = Object.freeze({
  'af-south-1': { name: 'Africa (Cape Town)', optIn: true },
  'ap-east-1': { name: 'Asia Pacific (Hong Kong)', optIn: true },
  'ap-east-2': { name: 'Asia Pacific (Taipei)', optIn: true },
  'ap-northeast-1': { name: 'Asia Pacific (Tokyo)', optIn: false },
  'ap-northeast-2': { name: 'Asia Pacific (Seoul)', optIn: false },
  'ap-northeast-3': { name: 'Asia Pacific (Osaka)', optIn: false },
  'ap-south-1': { name: 'Asia Pacific (Mumbai)', optIn: false },
  'ap-south-2': { name: 'Asia Pacific (Hyderabad)', optIn: true },
  'ap-southeast-1': { name: 'Asia Pacific (Singapore)', optIn: false },
  'ap-southeast-2': { name: 'Asia Pacific (Sydney)', optIn: false },
  'ap-southeast-3': { name: 'Asia Pacific (Jakarta)', optIn: true },
  'ap-southeast-4': { name: 'Asia Pacific (Melbourne)', optIn: true },
  'ap-southeast-5': { name: 'Asia Pacific (Malaysia)', optIn: true },
  'ap-southeast-6': { name: 'Asia Pacific (New Zealand)', optIn: true },
  'ap-southeast-7': { name: 'Asia Pacific (Thailand)', optIn: true },
  'ca-central-1': { name: 'Canada (Central)', optIn: false },
  'ca-west-1': { name: 'Canada West (Calgary)', optIn: true },
  'eu-central-1': { name: 'Europe (Frankfurt)', optIn: false },
  'eu-central-2': { name: 'Europe (Zurich)', optIn: true },
  'eu-north-1': { name: 'Europe (Stockholm)', optIn: false },
  'eu-south-1': { name: 'Europe (Milan)', optIn: true },
  'eu-south-2': { name: 'Europe (Spain)', optIn: true },
  'eu-west-1': { name: 'Europe (Ireland)', optIn: false },
  'eu-west-2': { name: 'Europe (London)', optIn: false },
  'eu-west-3': { name: 'Europe (Paris)', optIn: false },
  'il-central-1': { name: 'Israel (Tel Aviv)', optIn: true },
  'me-central-1': { name: 'Middle East (UAE)', optIn: true },
  'me-south-1': { name: 'Middle East (Bahrain)', optIn: true },
  'mx-central-1': { name: 'Mexico (Central)', optIn: true },
  'sa-east-1': { name: 'South America (São Paulo)', optIn: false },
  'us-east-1': { name: 'US East (N. Virginia)', optIn: false },
  'us-east-2': { name: 'US East (Ohio)', optIn: false },
  'us-west-1': { name: 'US West (N. California)', optIn: false },
  'us-west-2': { name: 'US West (Oregon)', optIn: false },
});

/**
 * AWS GovCloud (US) and China: separate partitions (`aws-us-gov`, `aws-cn`) that need their own accounts. Kept apart
 * so the list says which is which; the constructs build ARNs for either partition (`partitionOf`).
 */
export const AWS_GOVCLOUD_REGIONS: Readonly<Record<string, AwsRegion>> = Object.freeze({
  'us-gov-east-1': { name: 'AWS GovCloud (US-East)', optIn: false },
  'us-gov-west-1': { name: 'AWS GovCloud (US-West)', optIn: false },
});

export const AWS_CHINA_REGIONS: Readonly<Record<string, AwsRegion>> = Object.freeze({
  'cn-north-1': { name: 'China (Beijing)', optIn: false },
  'cn-northwest-1': { name: 'China (Ningxia)', optIn: false },
});

/** Every region the checks accept, built once. */
export const AWS_REGION_CODES: ReadonlySet<string> = new Set([
  ...Object.keys(AWS_COMMERCIAL_REGIONS),
  ...Object.keys(AWS_GOVCLOUD_REGIONS),
  ...Object.keys(AWS_CHINA_REGIONS),
]);
