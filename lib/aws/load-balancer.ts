import { Construct } from 'constructs';
import { AppProfile, readinessPath } from '../app/profile';
import { Lb, LbListener, LbListenerRule, LbTargetGroup, SecurityGroup, VpcSecurityGroupIngressRule } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { PREFIX_LIST_ID, fitName } from './common';
import { suppressGuardrails } from '../guardrails/suppress';

/** Ports of the load balancer that only CloudFront may reach (`AppLoadBalancerProps.cloudFrontOnly`). */
export interface CloudFrontOnlyOptions {
  /** Names of the profile's ports served only through CloudFront (`web`). */
  readonly portNames: readonly string[];
  /**
   * Id of the managed prefix list `com.amazonaws.global.cloudfront.origin-facing` in the load balancer's region
   * (`CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST_IDS`).
   */
  readonly prefixListId: string;
  /**
   * Port of the CloudFront-only HTTPS listener, the distribution's origin port: 1024 to 65535 (80 and 443 are
   * the public listeners; CloudFront connects to no other port below 1024).
   * @default 8443
   */
  readonly listenerPort?: number;
}
import { literalStrings } from '../terraform-strings';

/** Props of `AppLoadBalancer`. */
export interface AppLoadBalancerProps {
  /** Load balancer name; AWS allows 32 characters, longer names are shortened with a hash. */
  readonly name: string;
  /** Prefix of the target group names (`serverpod-production` gives `serverpod-production-api`). */
  readonly targetGroupPrefix: string;
  /** The VPC's id. */
  readonly vpcId: string;
  /** Public subnets, in at least two zones. */
  readonly subnetIds: readonly string[];
  /** ARN of the certificate for the HTTPS listener (from `DnsValidatedCertificate.certificateArn`). */
  readonly certificateArn: string;
  /** The server: one target group per port, health-checked the profile's way. */
  readonly profile: AppProfile;
  /** Host names routed to each port, by port name (`environmentHosts(...).byPort`); ports without hosts get no rule. */
  readonly hostsByPort: Readonly<Record<string, readonly string[]>>;
  /**
   * Seconds a connection may sit idle. WebSocket connections (Serverpod streaming) stay open as long as
   * traffic flows within this window. AWS allows 1 to 4000.
   * @default 3600
   */
  readonly idleTimeoutSec?: number;
  /**
   * TLS policy of the HTTPS listener.
   * @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' - TLS 1.2 and 1.3 only
   */
  readonly sslPolicy?: string;
  /**
   * Seconds a deregistering instance keeps serving open requests during a rolling deploy.
   * @default 60
   */
  readonly deregistrationDelaySec?: number;
  /**
   * Refuse deletion through the API (a `terraform destroy` then fails until it is turned off).
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Serve these ports' hosts only to CloudFront: no rule for them on the public 443 listener (a direct request
   * gets its 404), but one on a second HTTPS listener (same certificate and TLS policy) whose own security group
   * admits only CloudFront's origin-facing servers. The distribution forwards the viewer's Host header, which
   * the certificate and the host rule match.
   * @default - none: every host is served on 443
   */
  readonly cloudFrontOnly?: CloudFrontOnlyOptions;
}

/**
 * An internet-facing Application Load Balancer: HTTPS on 443 with a TLS 1.2+ policy routing each host to its
 * port's target group (unknown hosts get 404), port 80 redirecting to HTTPS, invalid header fields dropped,
 * and a target group per port whose readiness check is that port's health-check path (HTTP 200). Its security group admits
 * 80 and 443 from anywhere; `ServerGroup` opens the instances' ports to this group only. With `cloudFrontOnly`,
 * those ports' hosts are routed only on a second HTTPS listener that a second security group opens to
 * CloudFront's origin-facing prefix list alone.
 */
export class AppLoadBalancer extends Construct {
  /** The load balancer's security group (80 and 443 from anywhere). */
  public readonly securityGroup: SecurityGroup;
  /** The Application Load Balancer. */
  public readonly loadBalancer: Lb;
  /** The HTTPS listener (443), with the host rules. */
  public readonly httpsListener: LbListener;
  /** The HTTP listener (80), redirecting to HTTPS. */
  public readonly httpListener: LbListener;
  /** Target groups by port name. */
  public readonly targetGroups: Readonly<Record<string, LbTargetGroup>>;
  /** Listener rules by port name (ports with hosts), on `httpsListener` or, for CloudFront-only ports, `cloudFrontListener`. */
  public readonly rules: Readonly<Record<string, LbListenerRule>>;
  /** The HTTPS listener only CloudFront reaches, with `cloudFrontOnly`. */
  public readonly cloudFrontListener?: LbListener;
  /** The security group admitting CloudFront's origin-facing servers to `cloudFrontListener`, with `cloudFrontOnly`. */
  public readonly cloudFrontSecurityGroup?: SecurityGroup;
  /** The rule admitting CloudFront's origin-facing prefix list, with `cloudFrontOnly`. */
  public readonly cloudFrontIngress?: VpcSecurityGroupIngressRule;
  /** Port of `cloudFrontListener` (the distribution's origin port), with `cloudFrontOnly`. */
  public readonly cloudFrontListenerPort?: number;

  constructor(scope: Construct, id: string, props: AppLoadBalancerProps) {
    super(scope, id);
    literalStrings(this);
    const idleTimeout = props.idleTimeoutSec ?? 3600;
    const deregistrationDelay = props.deregistrationDelaySec ?? 60;
    const hc = props.profile.healthCheck;
    const problems = new ProblemCollector('props.');
    problems.check(Number.isInteger(idleTimeout) && idleTimeout >= 1 && idleTimeout <= 4000, 'idleTimeoutSec', idleTimeout, 'a whole number from 1 to 4000');
    problems.check(Number.isInteger(deregistrationDelay) && deregistrationDelay >= 0 && deregistrationDelay <= 3600, 'deregistrationDelaySec', deregistrationDelay, 'a whole number from 0 to 3600');
    problems.check(props.subnetIds.length >= 2, 'subnetIds', props.subnetIds, 'subnets in at least 2 zones');
    problems.check(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/.test(props.name) && !props.name.startsWith('internal-'), 'name', props.name, 'letters, digits and hyphens, not starting with a hyphen or "internal-"');
    problems.check(hc.intervalSec >= 5 && hc.intervalSec <= 300, 'profile.healthCheck.intervalSec', hc.intervalSec, 'from 5 to 300 (an ALB limit)');
    problems.check(hc.timeoutSec >= 2 && hc.timeoutSec <= 120 && hc.timeoutSec < hc.intervalSec, 'profile.healthCheck.timeoutSec', hc.timeoutSec, 'from 2 to 120 and below intervalSec (an ALB limit)');
    problems.check(hc.healthyThreshold >= 2 && hc.healthyThreshold <= 10, 'profile.healthCheck.healthyThreshold', hc.healthyThreshold, 'from 2 to 10 (an ALB limit)');
    problems.check(hc.unhealthyThreshold >= 2 && hc.unhealthyThreshold <= 10, 'profile.healthCheck.unhealthyThreshold', hc.unhealthyThreshold, 'from 2 to 10 (an ALB limit)');
    for (const name of Object.keys(props.hostsByPort)) {
      problems.check(props.profile.ports.some((p) => p.name === name), `hostsByPort.${name}`, name, `a port of the profile (${props.profile.ports.map((p) => p.name).join(', ')})`);
    }
    const cf = props.cloudFrontOnly;
    const cfPort = cf?.listenerPort ?? 8443;
    if (cf) {
      problems.check(cf.portNames.length >= 1, 'cloudFrontOnly.portNames', cf.portNames, 'at least one port name');
      cf.portNames.forEach((name, i) => {
        problems.check(props.profile.ports.some((p) => p.name === name), `cloudFrontOnly.portNames[${i}]`, name, `a port of the profile (${props.profile.ports.map((p) => p.name).join(', ')})`);
      });
      problems.check(PREFIX_LIST_ID.test(cf.prefixListId), 'cloudFrontOnly.prefixListId', cf.prefixListId, 'a managed prefix list id such as pl-82a045eb');
      problems.check(Number.isInteger(cfPort) && cfPort >= 1024 && cfPort <= 65535, 'cloudFrontOnly.listenerPort', cfPort, 'a whole number from 1024 to 65535 (a port CloudFront connects to, other than the public 80 and 443)');
    }
    problems.throwIfAny(`AppLoadBalancer "${this.node.path}"`);

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-alb`,
      description: 'Load balancer: HTTP and HTTPS from the internet',
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-alb` },
    });
    for (const port of [80, 443]) {
      new VpcSecurityGroupIngressRule(this, `Ingress${port}`, {
        securityGroupId: this.securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: '0.0.0.0/0',
        description: port === 443 ? 'HTTPS from anywhere' : 'HTTP from anywhere (redirected to HTTPS)',
      });
    }

    if (cf) {
      // A group of its own: the prefix list weighs 55 rules against the 60 a group may have by default.
      this.cloudFrontSecurityGroup = new SecurityGroup(this, 'CloudFrontSecurityGroup', {
        name: `${props.name}-alb-cloudfront`,
        description: `Load balancer: HTTPS on ${cfPort} from CloudFront only`,
        vpcId: props.vpcId,
        tags: { Name: `${props.name}-alb-cloudfront` },
      });
      this.cloudFrontIngress = new VpcSecurityGroupIngressRule(this, 'IngressCloudFront', {
        securityGroupId: this.cloudFrontSecurityGroup.id,
        ipProtocol: 'tcp',
        fromPort: cfPort,
        toPort: cfPort,
        prefixListId: cf.prefixListId,
        description: "HTTPS from CloudFront's origin-facing servers",
      });
      this.cloudFrontListenerPort = cfPort;
    }

    this.loadBalancer = new Lb(this, 'Resource', {
      name: fitName(props.name, 32),
      internal: false,
      loadBalancerType: 'application',
      securityGroups: [this.securityGroup.id, ...(this.cloudFrontSecurityGroup ? [this.cloudFrontSecurityGroup.id] : [])],
      subnets: [...props.subnetIds],
      dropInvalidHeaderFields: true,
      idleTimeout,
      enableDeletionProtection: props.deletionProtection ?? false,
      enableHttp2: true,
    });
    suppressGuardrails(this.loadBalancer, [
      {
        rule: 'AWS-ALB-ACCESS-LOGS',
        reason:
          "access logs need an S3 log bucket whose policy admits the region's Elastic Load Balancing log delivery, and its storage; the load balancer's CloudWatch metrics count requests, response codes and latency instead",
        attributes: ['access_logs'],
      },
    ]);

    const targetGroups: Record<string, LbTargetGroup> = {};
    for (const port of props.profile.ports) {
      targetGroups[port.name] = new LbTargetGroup(this, `target-${port.name}`, {
        name: fitName(`${props.targetGroupPrefix}-${port.name}`, 32),
        port: port.port,
        protocol: 'HTTP',
        targetType: 'instance',
        vpcId: props.vpcId,
        deregistrationDelay: String(deregistrationDelay),
        // Readiness, per port: traffic for a port goes to instances whose server on that port answers its
        // readiness path with 200 (the rule on both clouds: Google's checks accept only 200).
        healthCheck: {
          enabled: true,
          protocol: 'HTTP',
          port: 'traffic-port',
          path: readinessPath(props.profile, port),
          interval: hc.intervalSec,
          timeout: hc.timeoutSec,
          healthyThreshold: hc.healthyThreshold,
          unhealthyThreshold: hc.unhealthyThreshold,
          matcher: '200',
        },
      });
    }
    this.targetGroups = targetGroups;

    this.httpsListener = new LbListener(this, 'Https', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: props.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificateArn: props.certificateArn,
      defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Unknown host' } }],
    });
    this.httpListener = new LbListener(this, 'Http', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });

    if (cf) {
      this.cloudFrontListener = new LbListener(this, 'CloudFrontHttps', {
        loadBalancerArn: this.loadBalancer.arn,
        port: cfPort,
        protocol: 'HTTPS',
        sslPolicy: props.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificateArn: props.certificateArn,
        defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Unknown host' } }],
      });
    }

    const rules: Record<string, LbListenerRule> = {};
    props.profile.ports.forEach((port, i) => {
      const hosts = props.hostsByPort[port.name];
      if (!hosts || hosts.length === 0) return;
      // A CloudFront-only port has no rule on 443, so a request that bypasses CloudFront gets the 404.
      const viaCloudFront = this.cloudFrontListener !== undefined && cf!.portNames.includes(port.name);
      rules[port.name] = new LbListenerRule(this, viaCloudFront ? `cloudfront-rule-${port.name}` : `rule-${port.name}`, {
        listenerArn: viaCloudFront ? this.cloudFrontListener!.arn : this.httpsListener.arn,
        priority: 100 + 10 * i,
        condition: [{ hostHeader: { values: [...hosts] } }],
        action: [{ type: 'forward', targetGroupArn: targetGroups[port.name].arn }],
      });
    });
    this.rules = rules;
  }

  /** The load balancer's DNS name, for alias records and CloudFront. */
  get dnsName(): string {
    return this.loadBalancer.dnsName;
  }

  /** The load balancer's hosted zone id, for alias records. */
  get zoneId(): string {
    return this.loadBalancer.zoneId;
  }
}
