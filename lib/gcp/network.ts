import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import {
  ComputeFirewall,
  ComputeGlobalAddress,
  ComputeNetwork,
  ComputeRouter,
  ComputeRouterNat,
  ComputeSubnetwork,
  ServiceNetworkingConnection,
} from '../providers/google';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';

/** Google's load balancer and health-check source ranges. */
export const GOOGLE_HEALTH_CHECK_RANGES = ['35.191.0.0/16', '130.211.0.0/22'];
/** Identity-Aware Proxy's TCP forwarding range (SSH without public IPs). */
export const IAP_TCP_RANGE = '35.235.240.0/20';
/** The range reserved for private service access (Cloud SQL, Memorystore) unless another is given. */
export const DEFAULT_PRIVATE_SERVICES_RANGE = '10.100.0.0/16';

/** An IPv4 CIDR block's first and last address as numbers, or undefined when it is not one (or has host bits set). */
export function cidrBounds(cidr: string): { readonly first: number; readonly last: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const first = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (first % size !== 0) return undefined;
  return { first, last: first + size - 1 };
}

/**
 * Records a problem for each pair of ranges that overlap (field name → CIDR block; blocks that do not parse are
 * left to their own checks). Every range of a VPC must be apart: the subnet, the private services range that
 * Cloud SQL and Memorystore take addresses from, and a Serverless VPC Access connector's range.
 */
export function overlappingRangeProblems(problems: ProblemCollector, ranges: Readonly<Record<string, string | undefined>>): void {
  const known = Object.entries(ranges).flatMap(([field, cidr]) => {
    const bounds = cidr === undefined ? undefined : cidrBounds(cidr);
    return bounds ? [{ field, cidr: cidr!, ...bounds }] : [];
  });
  known.forEach((a, i) => {
    for (const b of known.slice(i + 1)) {
      problems.check(a.last < b.first || b.last < a.first, a.field, a.cidr, `a range that does not overlap ${b.field} (${b.cidr}): both are ranges of the same VPC`);
    }
  });
}

export interface NetworkProps {
  readonly project: string;
  readonly region: string;
  /** Prefix of the resource names (`<prefix>-network`, `<prefix>-subnet`, ...). */
  readonly namePrefix: string;
  /** @default '10.10.0.0/20' */
  readonly subnetCidr?: string;
  /**
   * The range reserved for private service access (Cloud SQL, Memorystore take their addresses from it), as a
   * CIDR block apart from the subnet and `otherRanges`; `auto` lets Google pick a free one of
   * `privateServicesPrefixLength`. Fixed when the range is created: a later change is ignored, because a new
   * range would replace the peering every private instance uses (a range Google picked before stays).
   * @default DEFAULT_PRIVATE_SERVICES_RANGE ('10.100.0.0/16'); `auto` when only privateServicesPrefixLength is given
   */
  readonly privateServicesRange?: string;
  /**
   * Size of an `auto` private services range, as a prefix length (a pinned range carries its own).
   * @default 16
   */
  readonly privateServicesPrefixLength?: number;
  /**
   * Further ranges of this VPC the private services range and the subnet must stay apart from, by the field that
   * sets them (a Serverless VPC Access connector's range, say).
   * @default {}
   */
  readonly otherRanges?: Readonly<Record<string, string>>;
  /**
   * A Cloud NAT so servers without public IPs can reach the internet (third-party APIs, email, push).
   * Google APIs and Artifact Registry are reached through Private Google Access either way. About $1/month
   * per VM plus $0.045/GB processed.
   * @default true
   */
  readonly nat?: boolean;
  /**
   * Allow SSH from Identity-Aware Proxy only (`gcloud compute ssh --tunnel-through-iap`), with OS Login
   * deciding who may log in. There is never SSH from the internet.
   * @default true
   */
  readonly iapSsh?: boolean;
  /**
   * Ports the load balancer and health checks reach on the servers. Without servers (Cloud Run reaching Redis
   * through the VPC), leave it out: no ingress rule is created.
   * @default - no servers, no ingress rules
   */
  readonly serverPorts?: readonly number[];
  /** Network tag on the servers that the firewall rules target. @default - no servers */
  readonly serverTag?: string;
  /** Resources that must exist first (project APIs). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The private network the servers, Cloud SQL and Memorystore share: a custom-mode VPC, one regional subnet
 * with Private Google Access, private service access for Cloud SQL and Memorystore, an optional Cloud NAT, and
 * firewall rules that admit only Google's load balancers (and IAP for SSH) to the servers.
 */
export class Network extends Construct {
  public readonly network: ComputeNetwork;
  public readonly subnet: ComputeSubnetwork;
  public readonly privateServicesRange: ComputeGlobalAddress;
  /** Cloud SQL and Memorystore private IPs need this first: depend on it. */
  public readonly privateServicesConnection: ServiceNetworkingConnection;
  public readonly router?: ComputeRouter;
  public readonly nat?: ComputeRouterNat;
  public readonly firewalls: ComputeFirewall[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    literalStrings(this);
    const subnetCidr = props.subnetCidr ?? '10.10.0.0/20';
    // Only a prefix length given: Google picks the range, as before ranges were pinned.
    const range = props.privateServicesRange ?? (props.privateServicesPrefixLength !== undefined ? 'auto' : DEFAULT_PRIVATE_SERVICES_RANGE);
    const pinned = range === 'auto' ? undefined : range;
    const prefixLength = pinned ? Number(pinned.split('/')[1]) : props.privateServicesPrefixLength ?? 16;
    const problems = new ProblemCollector('props.');
    problems.check(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-9])$/.test(subnetCidr), 'subnetCidr', subnetCidr, 'an IPv4 CIDR block from /16 to /29 such as 10.10.0.0/20');
    if (pinned) {
      problems.check(cidrBounds(pinned) !== undefined && prefixLength >= 8 && prefixLength <= 24, 'privateServicesRange', pinned, 'auto, or an IPv4 CIDR block from /8 to /24 starting at its first address, such as 10.100.0.0/16');
      problems.check(props.privateServicesPrefixLength === undefined || props.privateServicesPrefixLength === prefixLength, 'privateServicesPrefixLength', props.privateServicesPrefixLength, `nothing, or ${prefixLength} (the prefix of privateServicesRange)`);
    } else {
      problems.check(Number.isInteger(prefixLength) && prefixLength >= 8 && prefixLength <= 24, 'privateServicesPrefixLength', prefixLength, 'a prefix length from 8 to 24');
    }
    overlappingRangeProblems(problems, { privateServicesRange: pinned, subnetCidr, ...props.otherRanges });
    const ports = props.serverPorts ?? [];
    problems.check(ports.length === 0 || props.serverTag !== undefined, 'serverTag', props.serverTag, 'a network tag when serverPorts are given');
    problems.throwIfAny(`Network "${this.node.path}"`);

    const p = props.namePrefix;
    this.network = new ComputeNetwork(this, 'Resource', {
      project: props.project,
      name: `${p}-network`,
      autoCreateSubnetworks: false,
      dependsOn: props.dependsOn,
    });
    this.subnet = new ComputeSubnetwork(this, 'Subnet', {
      project: props.project,
      name: `${p}-subnet`,
      region: props.region,
      network: this.network.id,
      ipCidrRange: subnetCidr,
      privateIpGoogleAccess: true,
      logConfig: { aggregationInterval: 'INTERVAL_5_MIN', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
    });
    this.privateServicesRange = new ComputeGlobalAddress(this, 'PrivateServicesRange', {
      project: props.project,
      name: `${p}-private-services`,
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      address: pinned?.split('/')[0],
      prefixLength,
      network: this.network.id,
      // A new address or size replaces the range, and with it the peering Cloud SQL and Memorystore use: keep what
      // the range was created with (Google's pick, for ranges from before they were pinned).
      lifecycle: pinned ? { ignoreChanges: ['address', 'prefix_length'] } : undefined,
    });
    this.privateServicesConnection = new ServiceNetworkingConnection(this, 'PrivateServicesConnection', {
      network: this.network.id,
      service: 'servicenetworking.googleapis.com',
      reservedPeeringRanges: [this.privateServicesRange.name],
      // Deleting the peering fails for days after Cloud SQL is gone (the producer side still uses it), which would
      // stop `terraform destroy`; abandoning it is the provider's documented remedy.
      deletionPolicy: 'ABANDON',
    });
    if (props.nat ?? true) {
      this.router = new ComputeRouter(this, 'Router', { project: props.project, name: `${p}-router`, region: props.region, network: this.network.id });
      this.nat = new ComputeRouterNat(this, 'Nat', {
        project: props.project,
        name: `${p}-nat`,
        region: props.region,
        router: this.router.name,
        natIpAllocateOption: 'AUTO_ONLY',
        sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
        logConfig: { enable: true, filter: 'ERRORS_ONLY' },
      });
    }
    if (ports.length === 0 || !props.serverTag) return;
    this.firewalls.push(
      new ComputeFirewall(this, 'AllowLoadBalancer', {
        project: props.project,
        name: `${p}-allow-load-balancer`,
        network: this.network.name,
        direction: 'INGRESS',
        sourceRanges: GOOGLE_HEALTH_CHECK_RANGES,
        allow: [{ protocol: 'tcp', ports: ports.map(String) }],
        targetTags: [props.serverTag],
      }),
    );
    if (props.iapSsh ?? true) {
      this.firewalls.push(
        new ComputeFirewall(this, 'AllowIapSsh', {
          project: props.project,
          name: `${p}-allow-iap-ssh`,
          network: this.network.name,
          direction: 'INGRESS',
          sourceRanges: [IAP_TCP_RANGE],
          allow: [{ protocol: 'tcp', ports: ['22'] }],
          targetTags: [props.serverTag],
        }),
      );
    }
  }
}
