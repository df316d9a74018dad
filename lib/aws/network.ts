import { Construct } from 'constructs';
import {
  CloudwatchLogGroup,
  Eip,
  FlowLog,
  IamRole,
  IamRolePolicy,
  InternetGateway,
  NatGateway,
  Route,
  RouteTable,
  RouteTableAssociation,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
  VpcSecurityGroupIngressRule,
} from '../providers/aws';
import { ProblemCollector } from '../validation';
import { EGRESS_MODES, EgressMode, fitName, partitionOf, policyDocument } from './common';
import { literalStrings } from '../terraform-strings';

/**
 * Interface endpoints `vpc-endpoints` creates (service suffixes of `com.amazonaws.<region>.`): what the servers
 * call. The boot script and its watches (AWS CLI): secretsmanager, ecr.api (`aws ecr`), autoscaling (liveness,
 * launch hook, refresh after a password rotation), logs (failure reports). Docker: ecr.dkr (pull; layers from S3,
 * the gateway endpoint), logs (awslogs). The SSM agent: ssm, ssmmessages, ec2messages. The CLI and Docker take the
 * instance role's credentials from the metadata service: no sts. Nothing calls ec2.
 */
export const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'secretsmanager', 'logs', 'ssm', 'ssmmessages', 'ec2messages', 'autoscaling'] as const;

/**
 * The VPC a cluster runs in: what `Network` creates, or an existing VPC's ids (`AwsServerClusterProps.existingVpc`).
 * Private subnets hold the servers, database and Redis and must reach ECR, Secrets Manager, CloudWatch Logs and
 * Auto Scaling (a NAT gateway or VPC endpoints); public subnets hold the load balancer.
 */
export interface NetworkRef {
  /** The VPC's id (`vpc-…`). */
  readonly vpcId: string;
  /** Public subnets, in two or more zones, routed to an internet gateway. */
  readonly publicSubnetIds: readonly string[];
  /** Private subnets, in two or more zones, with outbound access to the AWS services above. */
  readonly privateSubnetIds: readonly string[];
}

/** Props of `Network`. */
export interface NetworkProps {
  /** Prefix of the `Name` tags (`serverpod-shared`), and of the flow logs' log group and role names. */
  readonly name: string;
  /** Region, for the endpoint service names. */
  readonly region: string;
  /**
   * Availability zones, at least two (the load balancer and a multi-AZ database need two). Given explicitly,
   * so plan needs no `aws_availability_zones` look-up. Subnets are numbered by position: reordering zones
   * replaces subnets.
   */
  readonly availabilityZones: readonly string[];
  /**
   * IPv4 range of the VPC, a /16 to /20. Each zone gets a public and a private subnet 4 bits smaller
   * (/20 subnets in a /16). Changing it replaces the VPC and everything in it.
   * @default '10.0.0.0/16'
   */
  readonly cidrBlock?: string;
  /**
   * How the private subnets reach out; see `EgressMode` for what each costs.
   * @default 'nat-gateway'
   */
  readonly egress?: EgressMode;
  /**
   * Record the VPC's flow logs (accepted and rejected traffic of every network interface) in a CloudWatch log group,
   * `/<name>/flow-logs`, kept 30 days (as the servers' logs), written by a role that may write only that group.
   * Costs CloudWatch Logs' ingestion (vended logs, $0.50/GB in us-east-1) and storage ($0.03/GB-month): little for
   * a quiet VPC, more the more connections the servers make.
   * @default true
   */
  readonly flowLogs?: boolean;
}

/** Days the flow logs of a `Network` are kept: as long as the servers' logs (`ServerClusterProps.logRetentionDays`). */
const FLOW_LOG_RETENTION_DAYS = 30;

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** `cidrsubnet(base, newBits, index)` for IPv4, computed here so the plan shows literal ranges. */
export function subnetCidr(base: string, newBits: number, index: number): string {
  const m = CIDR.exec(base);
  if (!m) throw new Error(`Not an IPv4 CIDR block: ${base}`);
  const prefix = Number(m[5]);
  const address = m.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix - newBits);
  const start = address - (address % 2 ** (32 - prefix)) + index * size;
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix + newBits}`;
}

function validCidr(value: string): boolean {
  const m = CIDR.exec(value);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix < 16 || prefix > 20) return false;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return address % 2 ** (32 - prefix) === 0;
}

/**
 * A VPC over two or more zones: a public subnet per zone (load balancer, NAT gateway) behind an internet
 * gateway, and a private subnet per zone (instances, database, Redis) that reaches out only through the
 * chosen egress. No instance gets a public address. Flow logs of all its traffic go to CloudWatch Logs unless
 * `flowLogs` is false.
 */
export class Network extends Construct implements NetworkRef {
  /** The VPC. */
  public readonly vpc: Vpc;
  /** Its internet gateway. */
  public readonly internetGateway: InternetGateway;
  /** One public subnet per zone. */
  public readonly publicSubnets: readonly Subnet[];
  /** One private subnet per zone. */
  public readonly privateSubnets: readonly Subnet[];
  /** The public subnets' route table (to the internet gateway). */
  public readonly publicRouteTable: RouteTable;
  /** The private subnets' route table (to the NAT gateway, or the S3 gateway endpoint only). */
  public readonly privateRouteTable: RouteTable;
  /** The NAT gateway, with `egress: 'nat-gateway'`. */
  public readonly natGateway?: NatGateway;
  /** Endpoints by service (`ecr.api`, ..., `s3`), with `egress: 'vpc-endpoints'`. */
  public readonly endpoints: Readonly<Record<string, VpcEndpoint>>;
  /** Security group of the interface endpoints (443 from the VPC), with `egress: 'vpc-endpoints'`. */
  public readonly endpointSecurityGroup?: SecurityGroup;
  /** How the private subnets reach AWS services and the internet. */
  public readonly egress: EgressMode;
  /** The VPC's range. */
  public readonly cidrBlock: string;
  /** The zones, one public and one private subnet each. */
  public readonly availabilityZones: readonly string[];
  /** The VPC's flow log (all traffic), with `flowLogs`. */
  public readonly flowLog?: FlowLog;
  /** The CloudWatch log group of the flow logs (`/<name>/flow-logs`), with `flowLogs`. */
  public readonly flowLogGroup?: CloudwatchLogGroup;
  /** The role the flow logs service writes to `flowLogGroup` with, with `flowLogs`. */
  public readonly flowLogRole?: IamRole;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    literalStrings(this);
    const cidr = props.cidrBlock ?? '10.0.0.0/16';
    const egress = props.egress ?? 'nat-gateway';
    const zones = props.availabilityZones;
    const problems = new ProblemCollector('props.');
    problems.check(zones.length >= 2, 'availabilityZones', zones, 'at least 2 availability zones');
    problems.check(zones.length <= 8, 'availabilityZones', zones, 'at most 8 availability zones');
    problems.check(new Set(zones).size === zones.length, 'availabilityZones', zones, 'each zone once');
    zones.forEach((zone, i) => problems.check(zone.startsWith(props.region), `availabilityZones[${i}]`, zone, `a zone of the region ${props.region}`));
    problems.check(validCidr(cidr), 'cidrBlock', cidr, 'an IPv4 network such as 10.0.0.0/16, with a prefix from /16 to /20');
    problems.check(EGRESS_MODES.includes(egress), 'egress', egress, `one of ${EGRESS_MODES.join(', ')}`);
    if (props.flowLogs ?? true) {
      problems.check(/^[A-Za-z0-9._-]+$/.test(props.name), 'name', props.name, "letters, digits, dots, hyphens and underscores (it names the flow logs' log group and role; or flowLogs: false)");
    }
    problems.throwIfAny(`Network "${this.node.path}"`);

    this.cidrBlock = cidr;
    this.egress = egress;
    this.availabilityZones = zones;
    this.vpc = new Vpc(this, 'Vpc', { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: props.name } });
    this.internetGateway = new InternetGateway(this, 'InternetGateway', { vpcId: this.vpc.id, tags: { Name: props.name } });
    if (props.flowLogs ?? true) {
      this.flowLogGroup = new CloudwatchLogGroup(this, 'FlowLogs', { name: `/${props.name}/flow-logs`, retentionInDays: FLOW_LOG_RETENTION_DAYS });
      // Only flow logs of this account and region may use the role (the confused-deputy conditions AWS documents);
      // the VPC's owner is the account, known without an AWS call at plan.
      const account = this.vpc.ownerId;
      this.flowLogRole = new IamRole(this, 'FlowLogRole', {
        name: fitName(`${props.name}-flow-logs`, 64),
        description: 'VPC flow logs: write to their own log group',
        assumeRolePolicy: policyDocument([
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'aws:SourceAccount': account },
              ArnLike: { 'aws:SourceArn': `arn:${partitionOf(props.region)}:ec2:${props.region}:${account}:vpc-flow-log/*` },
            },
          },
        ]),
      });
      const policy = new IamRolePolicy(this, 'FlowLogPolicy', {
        name: 'flow-logs',
        role: this.flowLogRole.id,
        policy: policyDocument([
          {
            Sid: 'WriteFlowLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [this.flowLogGroup.arn, `${this.flowLogGroup.arn}:*`],
          },
        ]),
      });
      this.flowLog = new FlowLog(this, 'FlowLog', {
        vpcId: this.vpc.id,
        trafficType: 'ALL',
        logDestinationType: 'cloud-watch-logs',
        logDestination: this.flowLogGroup.arn,
        iamRoleArn: this.flowLogRole.arn,
        tags: { Name: `${props.name}-flow-logs` },
        // The role may write once its policy exists.
        dependsOn: [policy],
      });
    }

    this.publicRouteTable = new RouteTable(this, 'PublicRoutes', { vpcId: this.vpc.id, tags: { Name: `${props.name}-public` } });
    new Route(this, 'PublicDefaultRoute', { routeTableId: this.publicRouteTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: this.internetGateway.id });
    this.privateRouteTable = new RouteTable(this, 'PrivateRoutes', { vpcId: this.vpc.id, tags: { Name: `${props.name}-private` } });

    this.publicSubnets = zones.map((zone, i) => {
      const subnet = new Subnet(this, `public-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: subnetCidr(cidr, 4, i),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${zone}` },
      });
      new RouteTableAssociation(this, `public-${zone}-routes`, { subnetId: subnet.id, routeTableId: this.publicRouteTable.id });
      return subnet;
    });
    this.privateSubnets = zones.map((zone, i) => {
      const subnet = new Subnet(this, `private-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock: subnetCidr(cidr, 4, 8 + i),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private-${zone}-routes`, { subnetId: subnet.id, routeTableId: this.privateRouteTable.id });
      return subnet;
    });

    const endpoints: Record<string, VpcEndpoint> = {};
    if (egress === 'nat-gateway') {
      const ip = new Eip(this, 'NatAddress', { domain: 'vpc', tags: { Name: `${props.name}-nat` }, dependsOn: [this.internetGateway] });
      this.natGateway = new NatGateway(this, 'NatGateway', { allocationId: ip.id, subnetId: this.publicSubnets[0].id, tags: { Name: `${props.name}-nat` } });
      new Route(this, 'PrivateDefaultRoute', { routeTableId: this.privateRouteTable.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: this.natGateway.id });
    } else {
      this.endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
        name: `${props.name}-endpoints`,
        description: 'Interface VPC endpoints: HTTPS from inside the VPC',
        vpcId: this.vpc.id,
        tags: { Name: `${props.name}-endpoints` },
      });
      new VpcSecurityGroupIngressRule(this, 'EndpointHttpsFromVpc', {
        securityGroupId: this.endpointSecurityGroup.id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
        description: 'HTTPS from the VPC',
      });
      for (const service of INTERFACE_ENDPOINT_SERVICES) {
        endpoints[service] = new VpcEndpoint(this, `endpoint-${service.replace('.', '-')}`, {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: this.privateSubnets.map((s) => s.id),
          securityGroupIds: [this.endpointSecurityGroup.id],
          tags: { Name: `${props.name}-${service}` },
        });
      }
      endpoints.s3 = new VpcEndpoint(this, 'endpoint-s3', {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.s3`,
        vpcEndpointType: 'Gateway',
        routeTableIds: [this.privateRouteTable.id],
        tags: { Name: `${props.name}-s3` },
      });
    }
    this.endpoints = endpoints;
  }

  /** The VPC's id. */
  get vpcId(): string {
    return this.vpc.id;
  }

  /** Ids of the public subnets, one per zone. */
  get publicSubnetIds(): string[] {
    return this.publicSubnets.map((s) => s.id);
  }

  /** Ids of the private subnets, one per zone. */
  get privateSubnetIds(): string[] {
    return this.privateSubnets.map((s) => s.id);
  }
}
