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
import { RULES, Rule, checkRules, ruleProblem } from '../rules';

/** Google's load balancer and health-check source ranges. */
export const GOOGLE_HEALTH_CHECK_RANGES = ['35.191.0.0/16', '130.211.0.0/22'];
/** Identity-Aware Proxy's TCP forwarding range (SSH without public IPs). */
export const IAP_TCP_RANGE = '35.235.240.0/20';
/** The range reserved for private service access (Cloud SQL, Memorystore) unless another is given. */
export const DEFAULT_PRIVATE_SERVICES_RANGE = '10.100.0.0/16';

/** An IPv4 CIDR block's first and last address as numbers, or undefined when it is not one (or has host bits set). */
export function cidrBounds(cidr: string):
  | {
      /** The first address, as a number. */
      readonly first: number;
      /** The last address, as a number. */
      readonly last: number;
    }
  | undefined {
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

/**
 * The private services range to reserve: `pinned` (a CIDR block) or Google's pick of `prefixLength` bits, with the
 * problems of the two props recorded under their names. Only a prefix length given: Google picks, as before ranges
 * were pinned.
 */
function privateServicesRangeOf(
  problems: ProblemCollector,
  range: string | undefined,
  prefixLengthGiven: number | undefined,
): {
  /** The pinned range, or undefined for Google's pick. */
  readonly pinned?: string;
  readonly prefixLength: number;
} {
  const resolved = range ?? (prefixLengthGiven !== undefined ? 'auto' : DEFAULT_PRIVATE_SERVICES_RANGE);
  const pinned = resolved === 'auto' ? undefined : resolved;
  const prefixLength = pinned ? Number(pinned.split('/')[1]) : prefixLengthGiven ?? 16;
  if (pinned) {
    problems.check(cidrBounds(pinned) !== undefined && prefixLength >= 8 && prefixLength <= 24, 'privateServicesRange', pinned, 'auto, or an IPv4 CIDR block from /8 to /24 starting at its first address, such as 10.100.0.0/16');
    problems.check(prefixLengthGiven === undefined || prefixLengthGiven === prefixLength, 'privateServicesPrefixLength', prefixLengthGiven, `nothing, or ${prefixLength} (the prefix of privateServicesRange)`);
  } else {
    problems.check(Number.isInteger(prefixLength) && prefixLength >= 8 && prefixLength <= 24, 'privateServicesPrefixLength', prefixLength, 'a prefix length from 8 to 24');
  }
  return { pinned, prefixLength };
}

/**
 * The servers' firewall rules, created in `scope` as `AllowLoadBalancer` and `AllowIapSsh`: Google's load balancers
 * and health checks to `serverPorts`, and with `iapSsh` Identity-Aware Proxy to SSH, both only to instances with
 * `serverTag`. None without ports.
 */
function serverFirewalls(
  scope: Construct,
  props: {
    /** The project the network is in. */
    readonly project: string;
    /** The network's name. */
    readonly network: string;
    readonly namePrefix: string;
    readonly serverPorts: readonly number[];
    readonly serverTag?: string;
    readonly iapSsh: boolean;
    /** @default - none */
    readonly dependsOn?: ITerraformDependable[];
  },
): ComputeFirewall[] {
  if (props.serverPorts.length === 0 || !props.serverTag) return [];
  const rules = [
    new ComputeFirewall(scope, 'AllowLoadBalancer', {
      project: props.project,
      name: `${props.namePrefix}-allow-load-balancer`,
      network: props.network,
      direction: 'INGRESS',
      sourceRanges: GOOGLE_HEALTH_CHECK_RANGES,
      allow: [{ protocol: 'tcp', ports: props.serverPorts.map(String) }],
      targetTags: [props.serverTag],
      dependsOn: props.dependsOn,
    }),
  ];
  if (props.iapSsh) {
    rules.push(
      new ComputeFirewall(scope, 'AllowIapSsh', {
        project: props.project,
        name: `${props.namePrefix}-allow-iap-ssh`,
        network: props.network,
        direction: 'INGRESS',
        sourceRanges: [IAP_TCP_RANGE],
        allow: [{ protocol: 'tcp', ports: ['22'] }],
        targetTags: [props.serverTag],
        dependsOn: props.dependsOn,
      }),
    );
  }
  return rules;
}

/**
 * The VPC network a GCP pattern runs in: a `Network` it creates, or an `ExistingNetwork` it joins. Cloud SQL and
 * Memorystore take their private IPs from the network's private services access.
 */
export interface NetworkRef {
  /** The network as `projects/<project>/global/networks/<name>` (or a reference to it). */
  readonly networkId: string;
  /** The network's name (firewall rules, a Serverless VPC Access connector in the same project). */
  readonly networkName: string;
  /**
   * The subnet servers and Direct VPC egress take addresses from, as `projects/<project>/regions/<region>/subnetworks/<name>`.
   * @default - none: an existing network reached only through a Serverless VPC Access connector
   */
  readonly subnetId?: string;
  /** What a private IP (Cloud SQL, Memorystore) must wait for: the private services connection where this stack creates it, else nothing. */
  readonly privateServicesReady: readonly ITerraformDependable[];
}

/** Props of `Network`. */
export interface NetworkProps {
  /** The GCP project id. */
  readonly project: string;
  /** The region it is created in. */
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
export class Network extends Construct implements NetworkRef {
  /** The VPC. */
  public readonly network: ComputeNetwork;
  /** Its one regional subnet. */
  public readonly subnet: ComputeSubnetwork;
  /** The range reserved for private service access. */
  public readonly privateServicesRange: ComputeGlobalAddress;
  /** Cloud SQL and Memorystore private IPs need this first: depend on it. */
  public readonly privateServicesConnection: ServiceNetworkingConnection;
  /** The Cloud Router the NAT runs on, with `nat`. */
  public readonly router?: ComputeRouter;
  /** The Cloud NAT, with `nat`. */
  public readonly nat?: ComputeRouterNat;
  /** The firewall rules. */
  public readonly firewalls: ComputeFirewall[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    literalStrings(this);
    const subnetCidr = props.subnetCidr ?? '10.10.0.0/20';
    const problems = new ProblemCollector('props.');
    problems.check(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-9])$/.test(subnetCidr), 'subnetCidr', subnetCidr, 'an IPv4 CIDR block from /16 to /29 such as 10.10.0.0/20');
    const { pinned, prefixLength } = privateServicesRangeOf(problems, props.privateServicesRange, props.privateServicesPrefixLength);
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
    this.firewalls.push(...serverFirewalls(this, { project: props.project, network: this.network.name, namePrefix: p, serverPorts: ports, serverTag: props.serverTag, iapSsh: props.iapSsh ?? true }));
  }

  /** The VPC's id. */
  get networkId(): string {
    return this.network.id;
  }

  /** The VPC's name. */
  get networkName(): string {
    return this.network.name;
  }

  /** The subnet's id. */
  get subnetId(): string {
    return this.subnet.id;
  }

  /** The private services connection. */
  get privateServicesReady(): readonly ITerraformDependable[] {
    return [this.privateServicesConnection];
  }
}

/**
 * A VPC network someone else owns, for a pattern to run in instead of one it creates
 * (`GcpServerClusterProps.existingNetwork`, `GcpServerlessAppProps.existingNetwork`).
 */
export interface ExistingNetworkOptions {
  /**
   * The network: its name (in the pattern's project), or `projects/<project>/global/networks/<name>` or its self link
   * (`https://www.googleapis.com/compute/v1/projects/...`) for a network of another project, a Shared VPC's host.
   */
  readonly network: string;
  /**
   * The subnet the servers, or Cloud Run's Direct VPC egress, take addresses from: its name (in the network's project
   * and the pattern's region), or `projects/<project>/regions/<region>/subnetworks/<name>` or its self link, in the
   * pattern's region.
   * @default - none; `GcpServerCluster` requires one, and so does `GcpServerlessApp` with `vpcEgress: 'direct'`
   */
  readonly subnet?: string;
  /**
   * `existing`: the network has private services access already (a reserved range connected to
   * servicenetworking.googleapis.com), which Cloud SQL and Memorystore take their private IPs from; nothing of it is
   * created or changed. `create`: it has none, and this stack reserves `privateServicesRange` and creates the
   * connection. A network has one connection per service, and another user's would lose its ranges if it were
   * replaced: creating one where one exists fails the apply instead.
   * @default 'existing'
   */
  readonly privateServicesAccess?: 'existing' | 'create';
}

/** An existing network's references, resolved against the pattern's project and region. */
export interface ExistingNetworkIds {
  /** The project the network belongs to: the pattern's for a name, else the one its path names. */
  readonly networkProject: string;
  /** The network's name. */
  readonly networkName: string;
  /** `projects/<project>/global/networks/<name>`. */
  readonly networkId: string;
  /** `projects/<project>/regions/<region>/subnetworks/<name>`. @default - none without a subnet */
  readonly subnetId?: string;
  /** The subnet's project: the network's for a name, else the one its path names. @default - none without a subnet */
  readonly subnetProject?: string;
  /** The subnet's region: the pattern's for a name, else the one its path names. @default - none without a subnet */
  readonly subnetRegion?: string;
}

const COMPUTE_SELF_LINK = '(?:https://www\\.googleapis\\.com/compute/(?:v1|beta)/)?';
const NETWORK_PATH = new RegExp(`^${COMPUTE_SELF_LINK}projects/([^/]+)/global/networks/([^/]+)$`);
const SUBNET_PATH = new RegExp(`^${COMPUTE_SELF_LINK}projects/([^/]+)/regions/([^/]+)/subnetworks/([^/]+)$`);

/** The ids of an existing network and subnet (see `ExistingNetworkOptions`), for values that keep `RULES.gcpNetwork` and `RULES.gcpSubnetwork`. */
export function existingNetworkIds(options: ExistingNetworkOptions, project: string, region: string): ExistingNetworkIds {
  const network = NETWORK_PATH.exec(options.network);
  const networkProject = network ? network[1] : project;
  const networkName = network ? network[2] : options.network;
  const ids = { networkProject, networkName, networkId: `projects/${networkProject}/global/networks/${networkName}` };
  if (options.subnet === undefined) return ids;
  const subnet = SUBNET_PATH.exec(options.subnet);
  const [subnetProject, subnetRegion, subnetName] = subnet ? subnet.slice(1, 4) : [networkProject, region, options.subnet];
  return { ...ids, subnetProject, subnetRegion, subnetId: `projects/${subnetProject}/regions/${subnetRegion}/subnetworks/${subnetName}` };
}

/**
 * Problems of an existing network's references, under `at.field` (`existingNetwork.`): their form, and the subnet's
 * region and project against the pattern's region and the network's project. What they hold is known only at apply.
 */
export function existingNetworkProblems(
  problems: ProblemCollector,
  options: ExistingNetworkOptions,
  at: {
    /** The pattern's project, where a network given by name is. */
    readonly project: string;
    /** The pattern's region, where the subnet must be. */
    readonly region: string;
    /** Prefix of the field names (`existingNetwork.`). */
    readonly field: string;
  },
): void {
  const field = (name: string) => `${at.field}${name}`;
  checkRules(problems, { [field('network')]: [options.network, RULES.gcpNetwork], [field('subnet')]: [options.subnet, RULES.gcpSubnetwork] });
  problems.check(options.network !== undefined, field('network'), options.network, RULES.gcpNetwork.expected);
  const access = options.privateServicesAccess ?? 'existing';
  problems.check(access === 'existing' || access === 'create', field('privateServicesAccess'), access, 'existing (the network has private services access already) or create (this stack reserves a range and connects it)');
  const wellFormed = (value: unknown, rule: Rule) => typeof value === 'string' && ruleProblem(rule, value) === undefined;
  if (options.subnet === undefined || !wellFormed(options.network, RULES.gcpNetwork) || !wellFormed(options.subnet, RULES.gcpSubnetwork)) return;
  const ids = existingNetworkIds(options, at.project, at.region);
  problems.check(ids.subnetRegion === at.region, field('subnet'), options.subnet, `a subnet in the region ${at.region}, where the servers or services run (its name alone means that region)`);
  problems.check(ids.subnetProject === ids.networkProject, field('subnet'), options.subnet, `a subnet of the network's project ${ids.networkProject} (a subnet belongs to its network's project)`);
}

/** Props of `ExistingNetwork`. */
export interface ExistingNetworkProps extends ExistingNetworkOptions, Pick<NetworkProps, 'otherRanges' | 'iapSsh' | 'serverPorts' | 'serverTag' | 'dependsOn'> {
  /** The pattern's GCP project: a network given by name is in it. */
  readonly project: string;
  /** The region the servers or services run in; the subnet must be in it. */
  readonly region: string;
  /** Prefix of the names of what is created (`<prefix>-allow-load-balancer`, ...): unique in the network's project. */
  readonly namePrefix: string;
  /**
   * The range to reserve with `privateServicesAccess: 'create'` (`NetworkProps.privateServicesRange`): free in the
   * network. Nothing without `create`.
   * @default DEFAULT_PRIVATE_SERVICES_RANGE ('10.100.0.0/16') with `create`
   */
  readonly privateServicesRange?: string;
  /**
   * A Cloud Router and Cloud NAT in `region` for `subnet` only, for servers that reach the internet. Off by default:
   * the network may have its own, and a subnet can be served by one NAT per region (an apply creating a second fails).
   * @default false
   */
  readonly nat?: boolean;
}

/**
 * A VPC network someone else owns, joined instead of created: it creates only what the app itself needs in it, each
 * named `<namePrefix>-…` in the network's project (a Shared VPC's host project for a network of another project):
 * the servers' firewall rules (Google's load balancers and health checks to the server ports, IAP to SSH, by the
 * servers' tag), and on request a Cloud NAT for the subnet and the private services access connection. The VPC, its
 * subnets, routes and any other rule stay as they are.
 */
export class ExistingNetwork extends Construct implements NetworkRef {
  /** `projects/<project>/global/networks/<name>`. */
  public readonly networkId: string;
  /** The network's name. */
  public readonly networkName: string;
  /** The project the network belongs to. */
  public readonly networkProject: string;
  /** The subnet's id, with `subnet`. */
  public readonly subnetId?: string;
  /** The range reserved for private services access, with `privateServicesAccess: 'create'`. */
  public readonly privateServicesRange?: ComputeGlobalAddress;
  /** The private services connection, with `privateServicesAccess: 'create'`. */
  public readonly privateServicesConnection?: ServiceNetworkingConnection;
  /** The Cloud Router the NAT runs on, with `nat`. */
  public readonly router?: ComputeRouter;
  /** The Cloud NAT, with `nat`. */
  public readonly nat?: ComputeRouterNat;
  /** The firewall rules. */
  public readonly firewalls: ComputeFirewall[] = [];

  constructor(scope: Construct, id: string, props: ExistingNetworkProps) {
    super(scope, id);
    literalStrings(this);
    const create = props.privateServicesAccess === 'create';
    const ports = props.serverPorts ?? [];
    const problems = new ProblemCollector('props.');
    existingNetworkProblems(problems, props, { project: props.project, region: props.region, field: '' });
    problems.check(props.privateServicesRange === undefined || create, 'privateServicesRange', props.privateServicesRange, "none unless privateServicesAccess is create (the network's own private services access is used)");
    const range = create ? privateServicesRangeOf(problems, props.privateServicesRange, undefined) : undefined;
    overlappingRangeProblems(problems, { privateServicesRange: range?.pinned, ...props.otherRanges });
    problems.check(!props.nat || props.subnet !== undefined, 'nat', props.nat, 'false without a subnet (the NAT serves that subnet only)');
    problems.check(ports.length === 0 || props.serverTag !== undefined, 'serverTag', props.serverTag, 'a network tag when serverPorts are given');
    problems.throwIfAny(`ExistingNetwork "${this.node.path}"`);

    const ids = existingNetworkIds(props, props.project, props.region);
    this.networkId = ids.networkId;
    this.networkName = ids.networkName;
    this.networkProject = ids.networkProject;
    this.subnetId = ids.subnetId;
    const project = ids.networkProject;
    const p = props.namePrefix;
    if (range) {
      this.privateServicesRange = new ComputeGlobalAddress(this, 'PrivateServicesRange', {
        project,
        name: `${p}-private-services`,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        address: range.pinned?.split('/')[0],
        prefixLength: range.prefixLength,
        network: this.networkId,
        // As on a new network: a new address would replace the range and the peering every private instance uses.
        lifecycle: range.pinned ? { ignoreChanges: ['address', 'prefix_length'] } : undefined,
        dependsOn: props.dependsOn,
      });
      this.privateServicesConnection = new ServiceNetworkingConnection(this, 'PrivateServicesConnection', {
        network: this.networkId,
        service: 'servicenetworking.googleapis.com',
        reservedPeeringRanges: [this.privateServicesRange.name],
        // No update_on_creation_fail: where the network has a connection, the apply fails rather than replacing its
        // ranges. Ranges others add later are theirs, never reverted; destroy leaves the peering, which Cloud SQL keeps
        // using for days.
        deletionPolicy: 'ABANDON',
        lifecycle: { ignoreChanges: ['reserved_peering_ranges'] },
      });
    }
    if (props.nat) {
      this.router = new ComputeRouter(this, 'Router', { project, name: `${p}-router`, region: props.region, network: this.networkId, dependsOn: props.dependsOn });
      this.nat = new ComputeRouterNat(this, 'Nat', {
        project,
        name: `${p}-nat`,
        region: props.region,
        router: this.router.name,
        natIpAllocateOption: 'AUTO_ONLY',
        // The app's subnet only: the network's other subnets may have a NAT of their own.
        sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
        subnetwork: [{ name: this.subnetId!, sourceIpRangesToNat: ['ALL_IP_RANGES'] }],
        logConfig: { enable: true, filter: 'ERRORS_ONLY' },
      });
    }
    this.firewalls.push(...serverFirewalls(this, { project, network: this.networkName, namePrefix: p, serverPorts: ports, serverTag: props.serverTag, iapSsh: props.iapSsh ?? true, dependsOn: props.dependsOn }));
  }

  /** The private services connection with `privateServicesAccess: 'create'`; nothing otherwise (it exists). */
  get privateServicesReady(): readonly ITerraformDependable[] {
    return this.privateServicesConnection ? [this.privateServicesConnection] : [];
  }
}
