import 'cdktf/lib/testing/adapters/jest';
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { TerraformStack } from 'cdktf';
import { AwsProvider, ValidationError, aws, parseConfig, serverpodProfile } from '../lib';
import {
  AcmCertificate,
  AutoscalingGroup,
  AutoscalingPolicy,
  CloudfrontDistribution,
  CloudfrontOriginAccessControl,
  DbInstance,
  DbParameterGroup,
  ElasticacheReplicationGroup,
  IamOpenidConnectProvider,
  LaunchTemplate,
  Lb,
  LbListener,
  NatGateway,
  Route53Zone,
  S3BucketOwnershipControls,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  VpcEndpoint,
} from '../lib/providers/aws';
import { FULL_AWS_CONFIG as FULL, MINIMAL_AWS_CONFIG as MINIMAL, PERSEUS_AWS_CONFIG as PERSEUS } from './fixtures';
import { awsTestStack, validationErrorOf } from './helpers/assert';
import { renderTemplate } from './helpers/boot';
import { danglingReferences } from './helpers/references';
import { StackJson, bootVariables, forSnapshot, resourcesOfType, synthBundled, synthJson } from './helpers/synth';



const only = (json: StackJson, type: string) => {
  const all = resourcesOfType(json, type);
  expect(all).toHaveLength(1);
  return all[0];
};

/** The servers' instance role policy (the network's flow logs have a role policy too). */
const serverPolicy = (json: StackJson): string => {
  const all = resourcesOfType(json, 'aws_iam_role_policy').filter((p) => p.name === 'server');
  expect(all).toHaveLength(1);
  return all[0].policy;
};

/** A network, zone, certificates and repository to hang clusters on. */
function base(stack: TerraformStack, egress: aws.EgressMode = 'nat-gateway') {
  const network = new aws.Network(stack, 'network', { name: 'p-shared-network', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'], egress });
  const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const certificate = new aws.DnsValidatedCertificate(stack, 'certificate', { zone });
  const repository = new aws.ContainerRepository(stack, 'registry', { name: 'pod' });
  return { network, zone, certificate, repository };
}

describe('helpers', () => {
  it.each([
    ['t3.micro', 'x86_64'],
    ['m7i-flex.large', 'x86_64'],
    ['g4dn.xlarge', 'x86_64'],
    ['g5g.xlarge', 'arm64'],
    ['t4g.small', 'arm64'],
    ['c7gn.large', 'arm64'],
    ['r8gd.large', 'arm64'],
    ['im4gn.large', 'arm64'],
    ['a1.medium', 'arm64'],
  ])('%s is %s', (type, arch) => {
    expect(aws.instanceArchitecture(type)).toBe(arch);
  });

  it('fits names into AWS limits with a stable hash', () => {
    expect(aws.fitName('serverpod-production-lb', 32)).toBe('serverpod-production-lb');
    const long = aws.fitName('averyveryverylongproj-production-insights', 32);
    expect(long).toHaveLength(32);
    expect(long).toMatch(/^averyveryverylongproj-pro-[0-9a-f]{6}$/);
    expect(aws.fitName('averyveryverylongproj-production-insights', 32)).toBe(long);
  });

  it('numbers subnets inside the VPC range', () => {
    expect(aws.subnetCidr('10.0.0.0/16', 4, 0)).toBe('10.0.0.0/20');
    expect(aws.subnetCidr('10.0.0.0/16', 4, 9)).toBe('10.0.144.0/20');
    expect(aws.subnetCidr('172.20.0.0/18', 4, 8)).toBe('172.20.32.0/22');
  });

  it('escapes Terraform template sequences in literal values', () => {
    expect(aws.escapeTemplate('a${b}%{c}')).toBe('a$${b}%%{c}');
  });
});

describe('aws.ContainerRepository', () => {
  const lifecycle = (props: Partial<aws.ContainerRepositoryProps> = {}) => {
    const stack = awsTestStack();
    new aws.ContainerRepository(stack, 'images', { name: 'shop', ...props });
    return JSON.parse(resourcesOfType(synthJson(stack), 'aws_ecr_lifecycle_policy')[0].policy).rules;
  };

  it('never expires the image an environment\'s tag points at, however many newer images are pushed', () => {
    const rules = lifecycle();
    // ECR: an image a higher-priority rule selects is never expired by a lower one; keeping 1 per exact tag keeps it.
    expect(rules.slice(0, 2)).toEqual(
      ['production', 'staging'].map((tag, i) => expect.objectContaining({ rulePriority: i + 1, selection: { tagStatus: 'tagged', tagPatternList: [tag], countType: 'imageCountMoreThan', countNumber: 1 } })),
    );
    expect(rules.map((r: any) => r.selection.tagStatus)).toEqual(['tagged', 'tagged', 'untagged', 'any']);
    expect(rules[3]).toMatchObject({ rulePriority: 4, selection: { countType: 'imageCountMoreThan', countNumber: 30 } });
    expect(lifecycle({ keepTags: ['live'] })[0].selection.tagPatternList).toEqual(['live']);
    expect(validationErrorOf(() => lifecycle({ keepTags: ['live', 'live', 'no spaces'] }))).toContain('props.keepTags[1]: got "live"');
  });
});

describe('aws.Network', () => {
  it('with a NAT gateway: public and private subnets per zone, one NAT, no public addresses', () => {
    const stack = awsTestStack();
    const network = new aws.Network(stack, 'net', { name: 'n', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'] });
    const json = synthJson(stack);
    expect(network.publicSubnets).toHaveLength(3);
    expect(network.privateSubnets).toHaveLength(3);
    expect(resourcesOfType(json, 'aws_subnet').map((s) => s.cidr_block).sort()).toEqual(['10.0.0.0/20', '10.0.128.0/20', '10.0.144.0/20', '10.0.16.0/20', '10.0.160.0/20', '10.0.32.0/20']);
    expect(resourcesOfType(json, 'aws_subnet').every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    expect(JSON.stringify(json)).toHaveResourceWithProperties(NatGateway, { subnet_id: expect.stringContaining('public-us-west-2a') });
    expect(resourcesOfType(json, 'aws_vpc_endpoint')).toHaveLength(0);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('with VPC endpoints: ECR, Secrets Manager, Logs, SSM, Auto Scaling interfaces and an S3 gateway, no NAT', () => {
    const stack = awsTestStack();
    new aws.Network(stack, 'net', { name: 'n', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'], egress: 'vpc-endpoints' });
    const json = synthJson(stack);
    const services = resourcesOfType(json, 'aws_vpc_endpoint').map((e) => e.service_name).sort();
    // autoscaling: the liveness watch marks an instance unhealthy, the rotation watch refreshes the group.
    expect(services).toEqual(
      ['autoscaling', 'ec2messages', 'ecr.api', 'ecr.dkr', 'logs', 's3', 'secretsmanager', 'ssm', 'ssmmessages'].map((s) => `com.amazonaws.us-west-2.${s}`),
    );
    expect(JSON.stringify(json)).toHaveResourceWithProperties(VpcEndpoint, { vpc_endpoint_type: 'Interface', private_dns_enabled: true, service_name: 'com.amazonaws.us-west-2.ecr.dkr' });
    expect(JSON.stringify(json)).toHaveResourceWithProperties(VpcEndpoint, { vpc_endpoint_type: 'Gateway', service_name: 'com.amazonaws.us-west-2.s3' });
    expect(resourcesOfType(json, 'aws_nat_gateway')).toHaveLength(0);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('records flow logs of all its traffic in a log group kept 30 days, through a role that may write only there', () => {
    const stack = awsTestStack();
    const network = new aws.Network(stack, 'net', { name: 'p-shared-network', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'] });
    const json = synthJson(stack);
    const vpc = `aws_vpc.${Object.keys(json.resource.aws_vpc)[0]}`;
    const group = `aws_cloudwatch_log_group.${Object.keys(json.resource.aws_cloudwatch_log_group)[0]}`;
    const role = `aws_iam_role.${Object.keys(json.resource.aws_iam_role)[0]}`;
    expect(only(json, 'aws_cloudwatch_log_group')).toEqual({ name: '/p-shared-network/flow-logs', retention_in_days: 30 });
    expect(only(json, 'aws_flow_log')).toMatchObject({
      vpc_id: `\${${vpc}.id}`,
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: `\${${group}.arn}`,
      iam_role_arn: `\${${role}.arn}`,
      depends_on: [expect.stringMatching(/^aws_iam_role_policy\.net_FlowLogPolicy_/)],
    });
    const trust = JSON.parse(only(json, 'aws_iam_role').assume_role_policy);
    expect(only(json, 'aws_iam_role').name).toBe('p-shared-network-flow-logs');
    // Only flow logs of the VPC's own account and region may use the role.
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': `\${${vpc}.owner_id}` },
          ArnLike: { 'aws:SourceArn': `arn:aws:ec2:us-west-2:\${${vpc}.owner_id}:vpc-flow-log/*` },
        },
      },
    ]);
    const policy = only(json, 'aws_iam_role_policy');
    expect(policy.role).toBe(`\${${role}.id}`);
    expect(JSON.parse(policy.policy).Statement).toEqual([
      { Sid: 'WriteFlowLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [`\${${group}.arn}`, `\${${group}.arn}:*`] },
    ]);
    expect(network.flowLog).toBeDefined();
    expect(danglingReferences(json)).toEqual([]);
  });

  it('records no flow logs with flowLogs false, and then takes any name for its tags', () => {
    const stack = awsTestStack();
    const network = new aws.Network(stack, 'net', { name: 'my network', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'], flowLogs: false });
    const json = synthJson(stack);
    for (const type of ['aws_flow_log', 'aws_cloudwatch_log_group', 'aws_iam_role', 'aws_iam_role_policy']) expect(json.resource[type]).toBeUndefined();
    expect(network.flowLog).toBeUndefined();
  });

  it.each<[string, Partial<aws.NetworkProps>, string]>([
    ['a name that cannot name the flow logs', { name: 'my network' }, 'props.name: got "my network"; expected letters, digits, dots, hyphens and underscores'],
    ['one zone', { availabilityZones: ['us-west-2a'] }, 'props.availabilityZones: got ["us-west-2a"]; expected at least 2 availability zones'],
    ['a zone of another region', { availabilityZones: ['us-west-2a', 'eu-west-1b'] }, 'props.availabilityZones[1]: got "eu-west-1b"; expected a zone of the region us-west-2'],
    ['a repeated zone', { availabilityZones: ['us-west-2a', 'us-west-2a'] }, 'expected each zone once'],
    ['a /8 range', { cidrBlock: '10.0.0.0/8' }, 'props.cidrBlock: got "10.0.0.0/8"; expected an IPv4 network such as 10.0.0.0/16, with a prefix from /16 to /20'],
    ['an unaligned range', { cidrBlock: '10.0.1.0/16' }, 'props.cidrBlock: got "10.0.1.0/16"'],
    ['an unknown egress', { egress: 'internet' as aws.EgressMode }, 'props.egress: got "internet"; expected one of nat-gateway, vpc-endpoints'],
  ])('rejects %s', (_, props, message) => {
    expect(validationErrorOf(() => new aws.Network(awsTestStack(), 'net', { name: 'n', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'], ...props }))).toContain(message);
  });
});

describe('aws.DnsZone and aws.DnsValidatedCertificate', () => {
  it('creates a zone when none is given, and a wildcard certificate validated in it', () => {
    const stack = awsTestStack();
    const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com' });
    const cert = new aws.DnsValidatedCertificate(stack, 'cert', { zone });
    const json = synthJson(stack);
    expect(JSON.stringify(json)).toHaveResourceWithProperties(Route53Zone, { name: 'example.com' });
    expect(JSON.stringify(json)).toHaveResourceWithProperties(AcmCertificate, { domain_name: 'example.com', subject_alternative_names: ['*.example.com'], validation_method: 'DNS' });
    const record = only(json, 'aws_route53_record');
    expect(record).toMatchObject({ allow_overwrite: true, ttl: 300, zone_id: expect.stringContaining('aws_route53_zone.zone') });
    expect(record.name).toContain('tolist(aws_acm_certificate.cert');
    expect(only(json, 'aws_acm_certificate_validation').validation_record_fqdns).toEqual([expect.stringContaining('aws_route53_record.cert_ValidationRecord')]);
    expect(cert.certificateArn).toMatch(/TOKEN/);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('uses an existing zone by id and creates none', () => {
    const stack = awsTestStack();
    const usEast1 = new AwsProvider(stack, 'east', { region: 'us-east-1', alias: 'us_east_1' });
    const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com', hostedZoneId: 'Z0123456789ABC' });
    new aws.DnsValidatedCertificate(stack, 'cdn', { zone, provider: usEast1 });
    const json = synthJson(stack);
    expect(resourcesOfType(json, 'aws_route53_zone')).toHaveLength(0);
    expect(only(json, 'aws_route53_record').zone_id).toBe('Z0123456789ABC');
    expect(only(json, 'aws_acm_certificate').provider).toBe('aws.us_east_1');
    expect(only(json, 'aws_acm_certificate_validation').provider).toBe('aws.us_east_1');
    expect(danglingReferences(json)).toEqual([]);
  });

  it('rejects a bad zone id and domain', () => {
    const message = validationErrorOf(() => new aws.DnsZone(awsTestStack(), 'zone', { domain: 'Example.com', hostedZoneId: 'z123' }));
    expect(message).toContain('has 2 problems');
    expect(message).toContain('props.hostedZoneId: got "z123"; expected a Route 53 hosted zone id');
  });
});

describe('aws.AppLoadBalancer', () => {
  const profile = serverpodProfile();
  const build = (extra: Partial<aws.AppLoadBalancerProps> = {}) => {
    const stack = awsTestStack();
    const lb = new aws.AppLoadBalancer(stack, 'lb', {
      name: 'p-production-lb',
      targetGroupPrefix: 'p-production',
      vpcId: 'vpc-1',
      subnetIds: ['subnet-a', 'subnet-b'],
      certificateArn: 'arn:aws:acm:us-west-2:123456789012:certificate/abc',
      profile,
      hostsByPort: { api: ['api.example.com'], insights: ['insights.example.com'], web: ['app.example.com', 'example.com'] },
      ...extra,
    });
    return { lb, json: synthJson(stack) };
  };

  it('drops invalid headers, keeps WebSockets open an hour, serves HTTPS with TLS 1.2+ and redirects HTTP', () => {
    const { json } = build();
    const text = JSON.stringify(json);
    expect(text).toHaveResourceWithProperties(Lb, { name: 'p-production-lb', internal: false, load_balancer_type: 'application', drop_invalid_header_fields: true, idle_timeout: 3600 });
    expect(text).toHaveResourceWithProperties(LbListener, { port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificate_arn: 'arn:aws:acm:us-west-2:123456789012:certificate/abc' });
    expect(text).toHaveResourceWithProperties(LbListener, {
      port: 80,
      protocol: 'HTTP',
      default_action: [expect.objectContaining({ type: 'redirect', redirect: expect.objectContaining({ protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' }) })],
    });
  });

  it('checks each target group\'s readiness on its own port and path (HTTP 200 only), and routes each host to its port', () => {
    const { json } = build();
    const groups = resourcesOfType(json, 'aws_lb_target_group');
    expect(groups.map((g) => [g.name, g.port]).sort()).toEqual([['p-production-api', 8080], ['p-production-insights', 8081], ['p-production-web', 8082]]);
    const checks = Object.fromEntries(groups.map((g) => [g.name, g.health_check]));
    const timings = { enabled: true, protocol: 'HTTP', port: 'traffic-port', interval: 10, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 3, matcher: '200' };
    // Serverpod 3.3+: /readyz on api and Insights (database and Redis); the web server's own root page.
    expect(checks).toEqual({
      'p-production-api': { ...timings, path: '/readyz' },
      'p-production-insights': { ...timings, path: '/readyz' },
      'p-production-web': { ...timings, path: '/' },
    });
    const rules = resourcesOfType(json, 'aws_lb_listener_rule');
    expect(rules.map((r) => r.condition[0].host_header.values)).toEqual(expect.arrayContaining([['app.example.com', 'example.com'], ['api.example.com']]));
    expect(new Set(rules.map((r) => r.priority)).size).toBe(3);
    const ingress = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule').map((r) => [r.from_port, r.cidr_ipv4]);
    expect(ingress.sort()).toEqual([[443, '0.0.0.0/0'], [80, '0.0.0.0/0']]);
  });

  it('by default routes every host on the public 443 listener and has no CloudFront-only listener', () => {
    const { lb, json } = build();
    expect(resourcesOfType(json, 'aws_lb_listener').map((l) => l.port).sort()).toEqual([443, 80]);
    expect(resourcesOfType(json, 'aws_lb_listener_rule').every((r) => /aws_lb_listener\.lb_Https_/.test(r.listener_arn))).toBe(true);
    expect(Object.keys(json.resource.aws_lb_listener_rule).every((name) => name.startsWith('lb_rule-'))).toBe(true);
    expect(resourcesOfType(json, 'aws_security_group')).toHaveLength(1);
    expect(only(json, 'aws_lb').security_groups).toHaveLength(1);
    expect([lb.cloudFrontListener, lb.cloudFrontSecurityGroup, lb.cloudFrontListenerPort]).toEqual([undefined, undefined, undefined]);
  });

  it('routes CloudFront-only hosts on a second HTTPS listener that only the CloudFront prefix list reaches, and not on 443', () => {
    const { lb, json } = build({ cloudFrontOnly: { portNames: ['web'], prefixListId: 'pl-82a045eb' } });
    expect(lb.cloudFrontListenerPort).toBe(8443);
    const text = JSON.stringify(json);
    // The same certificate and TLS policy as 443: CloudFront sends the viewer's host, which the certificate covers.
    expect(text).toHaveResourceWithProperties(LbListener, {
      port: 8443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: 'arn:aws:acm:us-west-2:123456789012:certificate/abc',
      default_action: [expect.objectContaining({ type: 'fixed-response', fixed_response: expect.objectContaining({ status_code: '404' }) })],
    });
    const rules = json.resource.aws_lb_listener_rule as Record<string, any>;
    const onListener = (listener: string) =>
      Object.values(rules)
        .filter((r) => new RegExp(`aws_lb_listener\\.lb_${listener}_`).test(r.listener_arn))
        .map((r) => r.condition[0].host_header.values);
    expect(onListener('Https').sort()).toEqual([['api.example.com'], ['insights.example.com']]);
    expect(onListener('CloudFrontHttps')).toEqual([['app.example.com', 'example.com']]);
    expect(Object.keys(rules).filter((name) => name.startsWith('lb_cloudfront-rule-web_'))).toHaveLength(1);
    // The public group is unchanged; a group of its own admits only the prefix list, only on 8443.
    const groups = Object.entries<Record<string, any>>(json.resource.aws_security_group);
    expect(groups.map(([, g]) => g.name).sort()).toEqual(['p-production-lb-alb', 'p-production-lb-alb-cloudfront']);
    const cloudFrontGroup = groups.find(([, g]) => g.name === 'p-production-lb-alb-cloudfront')![0];
    const ingress = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule');
    expect(ingress.filter((r) => r.security_group_id.includes(cloudFrontGroup)).map((r) => [r.from_port, r.to_port, r.prefix_list_id, r.cidr_ipv4])).toEqual([[8443, 8443, 'pl-82a045eb', undefined]]);
    expect(ingress.filter((r) => !r.security_group_id.includes(cloudFrontGroup)).map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([[443, '0.0.0.0/0'], [80, '0.0.0.0/0']]);
    expect(only(json, 'aws_lb').security_groups).toEqual([expect.stringContaining('lb_SecurityGroup_'), expect.stringContaining(cloudFrontGroup)]);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('rejects a bad CloudFront-only port name, prefix list and listener port at once', () => {
    const message = validationErrorOf(() => build({ cloudFrontOnly: { portNames: ['admin'], prefixListId: 'com.amazonaws.global.cloudfront.origin-facing', listenerPort: 443 } }));
    expect(message).toContain('has 3 problems');
    expect(message).toContain('props.cloudFrontOnly.portNames[0]: got "admin"; expected a port of the profile');
    expect(message).toContain('props.cloudFrontOnly.prefixListId: got "com.amazonaws.global.cloudfront.origin-facing"; expected a managed prefix list id');
    expect(message).toContain('props.cloudFrontOnly.listenerPort: got 443; expected a whole number from 1024 to 65535');
  });

  it.each<[string, Partial<aws.AppLoadBalancerProps>, string]>([
    ['an idle timeout over 4000 s', { idleTimeoutSec: 5000 }, 'props.idleTimeoutSec: got 5000; expected a whole number from 1 to 4000'],
    ['one subnet', { subnetIds: ['subnet-a'] }, 'props.subnetIds: got ["subnet-a"]; expected subnets in at least 2 zones'],
    ['a host for an unknown port', { hostsByPort: { admin: ['admin.example.com'] } }, 'props.hostsByPort.admin: got "admin"; expected a port of the profile'],
    ['an internal- name', { name: 'internal-x' }, 'props.name: got "internal-x"'],
  ])('rejects %s', (_, props, message) => {
    expect(validationErrorOf(() => build(props))).toContain(message);
  });
});

describe('aws.ServerGroup', () => {
  const build = (extra: Partial<aws.ServerGroupProps> = {}) => {
    const stack = awsTestStack();
    const profile = serverpodProfile();
    const lb = new aws.AppLoadBalancer(stack, 'lb', { name: 'p-lb', targetGroupPrefix: 'p', vpcId: 'vpc-1', subnetIds: ['a', 'b'], certificateArn: 'arn', profile, hostsByPort: {} });
    const group = new aws.ServerGroup(stack, 'servers', {
      name: 'p-production-server',
      vpcId: 'vpc-1',
      subnetIds: ['subnet-private-a', 'subnet-private-b'],
      instanceType: 't3.small',
      instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/p',
      userData: '#!/bin/bash\necho hi\n',
      loadBalancer: lb,
      ports: [8080, 8081, 8082],
      ...extra,
    });
    return { group, json: synthJson(stack) };
  };

  it('uses a launch template with IMDSv2, an encrypted volume and AL2023 resolved at launch', () => {
    const { json } = build();
    expect(JSON.stringify(json)).toHaveResourceWithProperties(LaunchTemplate, {
      name: 'p-production-server',
      image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      instance_type: 't3.small',
      // Hop limit 1: the role stays on the host; a container on Docker's bridge is a hop further.
      metadata_options: expect.objectContaining({ http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 }),
      block_device_mappings: [expect.objectContaining({ ebs: expect.objectContaining({ encrypted: 'true', volume_type: 'gp3', volume_size: 20 }) })],
      iam_instance_profile: { arn: 'arn:aws:iam::123456789012:instance-profile/p' },
    });
    const template = only(json, 'aws_launch_template');
    expect(template.key_name).toBeUndefined();
    expect(template.user_data).toMatch(/^\$\{base64gzip\(local\.servers_UserData_[0-9A-F]+\)\}$/);
    expect(Object.values(json.locals)).toEqual(['#!/bin/bash\necho hi\n']);
    expect(resourcesOfType(json, 'aws_launch_configuration')).toHaveLength(0);
  });

  it('runs an ASG in the private subnets with ELB health checks, rolling refresh, launch-before-terminate, CPU tracking and no desired capacity', () => {
    const { json } = build({ minInstances: 2, maxInstances: 5, cpuTargetPercent: 45, healthCheckGracePeriodSec: 240 });
    expect(JSON.stringify(json)).toHaveResourceWithProperties(AutoscalingGroup, {
      min_size: 2,
      max_size: 5,
      vpc_zone_identifier: ['subnet-private-a', 'subnet-private-b'],
      health_check_type: 'ELB',
      health_check_grace_period: 240,
      default_instance_warmup: 240,
      instance_refresh: { strategy: 'Rolling', preferences: expect.objectContaining({ min_healthy_percentage: 100, max_healthy_percentage: 200, instance_warmup: '240' }) },
      instance_maintenance_policy: { min_healthy_percentage: 100, max_healthy_percentage: 200 },
    });
    const asg = only(json, 'aws_autoscaling_group');
    expect(asg.desired_capacity).toBeUndefined();
    expect(asg.target_group_arns).toHaveLength(3);
    expect(asg.launch_template.version).toMatch(/latest_version/);
    expect(JSON.stringify(json)).toHaveResourceWithProperties(AutoscalingPolicy, {
      policy_type: 'TargetTrackingScaling',
      target_tracking_configuration: expect.objectContaining({ target_value: 45, predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' } }),
    });
  });

  it('leaves replacement to EC2 checks and the instances themselves on request, with a warm-up past the grace period', () => {
    const asg = only(build({ healthCheckType: 'EC2', healthCheckGracePeriodSec: 300, instanceWarmupSec: 320 }).json, 'aws_autoscaling_group');
    expect([asg.health_check_type, asg.health_check_grace_period, asg.default_instance_warmup, asg.instance_refresh.preferences.instance_warmup]).toEqual(['EC2', 300, 320, '320']);
  });

  it('admits the app ports only from the load balancer, and no SSH', () => {
    const { json } = build();
    const ingress = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.referenced_security_group_id);
    expect(ingress.map((r) => r.from_port).sort()).toEqual([8080, 8081, 8082]);
    expect(ingress.every((r) => /aws_security_group\.lb_SecurityGroup/.test(r.referenced_security_group_id))).toBe(true);
    const all = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule');
    expect(all.some((r) => r.from_port === 22)).toBe(false);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('lets the container reach the instance metadata service on request', () => {
    expect(only(build({ metadataHopLimit: 2 }).json, 'aws_launch_template').metadata_options.http_put_response_hop_limit).toBe(2);
  });

  it('runs Graviton with the arm64 image, or a pinned AMI', () => {
    expect(only(build({ architecture: 'arm64', instanceType: 't4g.small' }).json, 'aws_launch_template').image_id).toBe(
      'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    );
    expect(only(build({ amiId: 'ami-0123456789abcdef0' }).json, 'aws_launch_template').image_id).toBe('ami-0123456789abcdef0');
  });

  it.each<[string, Partial<aws.ServerGroupProps>, string]>([
    ['an x86 type on arm64', { architecture: 'arm64', instanceType: 't3.small' }, 'props.instanceType: got "t3.small"; expected a Graviton (arm64) type'],
    ['a Graviton type on x86_64', { instanceType: 'm7g.large' }, 'props.instanceType: got "m7g.large"; expected an x86_64 type'],
    ['min above max', { minInstances: 3, maxInstances: 2 }, 'props.minInstances: got 3; expected at most maxInstances (2)'],
    ['a bad AMI id', { amiId: 'ami-XYZ' }, 'props.amiId: got "ami-XYZ"'],
    ['a CPU target of 95', { cpuTargetPercent: 95 }, 'props.cpuTargetPercent: got 95; expected a whole number from 10 to 90'],
    ['a hop limit of 0', { metadataHopLimit: 0 }, 'props.metadataHopLimit: got 0'],
  ])('rejects %s', (_, props, message) => {
    expect(validationErrorOf(() => build(props))).toContain(message);
  });
});

describe('aws.PostgresDatabase', () => {
  const build = (extra: Partial<aws.PostgresDatabaseProps> = {}) => {
    const stack = awsTestStack();
    new aws.PostgresDatabase(stack, 'db', { identifier: 'p-production-database', vpcId: 'vpc-1', subnetIds: ['a', 'b'], clientSecurityGroupIds: ['sg-servers'], ...extra });
    return synthJson(stack);
  };

  it('is private, encrypted, backed up, protected, TLS-only, and keeps its password out of state', () => {
    const json = build();
    expect(JSON.stringify(json)).toHaveResourceWithProperties(DbInstance, {
      identifier: 'p-production-database',
      engine: 'postgres',
      engine_version: '16',
      db_name: 'serverpod',
      username: 'postgres',
      manage_master_user_password: true,
      publicly_accessible: false,
      storage_encrypted: true,
      backup_retention_period: 7,
      deletion_protection: true,
      skip_final_snapshot: false,
      multi_az: false,
    });
    const db = only(json, 'aws_db_instance');
    expect(db.final_snapshot_identifier).toMatch(/^p-production-database-final-\$\{aws_security_group\.db_SecurityGroup_[0-9A-F]+\.id\}$/);
    expect(db.password).toBeUndefined();
    expect(JSON.stringify(json)).toHaveResourceWithProperties(DbParameterGroup, { family: 'postgres16', parameter: [expect.objectContaining({ name: 'rds.force_ssl', value: '1' })] });
    const ingress = only(json, 'aws_vpc_security_group_ingress_rule');
    expect(ingress).toMatchObject({ from_port: 5432, to_port: 5432, referenced_security_group_id: 'sg-servers' });
    expect(ingress.cidr_ipv4).toBeUndefined();
  });

  it('drops protection and the final snapshot on request, and turns on multi-AZ', () => {
    const db = only(build({ deletionProtection: false, finalSnapshot: false, multiAz: true }), 'aws_db_instance');
    expect(db).toMatchObject({ deletion_protection: false, skip_final_snapshot: true, multi_az: true });
    expect(db.final_snapshot_identifier).toBeUndefined();
  });

  it.each<[string, Partial<aws.PostgresDatabaseProps>, string]>([
    ['an uppercase identifier', { identifier: 'Prod_DB' }, 'props.identifier: got "Prod_DB"'],
    ['no backups', { backupRetentionDays: 0 }, 'props.backupRetentionDays: got 0; expected a whole number from 1 to 35 (backups cannot be turned off)'],
    ['Postgres 12', { engineVersion: '12' }, 'props.engineVersion: got "12"'],
    ['max storage below storage', { allocatedStorageGb: 100, maxAllocatedStorageGb: 50 }, 'props.maxAllocatedStorageGb: got 50'],
    ['the admin user', { username: 'admin' }, 'props.username: got "admin"'],
  ])('rejects %s', (_, props, message) => {
    expect(validationErrorOf(() => build(props))).toContain(message);
  });
});

describe('aws.RedisCache', () => {
  it('encrypts at rest and in transit, and admits only the servers', () => {
    const stack = awsTestStack();
    new aws.RedisCache(stack, 'redis', { replicationGroupId: 'p-production-redis', vpcId: 'vpc-1', subnetIds: ['a', 'b'], clientSecurityGroupIds: ['sg-servers'], nodes: 2 });
    const json = synthJson(stack);
    expect(JSON.stringify(json)).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      replication_group_id: 'p-production-redis',
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      port: 6379,
    });
    expect(only(json, 'aws_elasticache_replication_group').auth_token).toBeUndefined();
    expect(only(json, 'aws_vpc_security_group_ingress_rule')).toMatchObject({ from_port: 6379, referenced_security_group_id: 'sg-servers' });
  });

  it('rejects an id over 40 characters and 7 nodes', () => {
    const message = validationErrorOf(() => new aws.RedisCache(awsTestStack(), 'r', { replicationGroupId: 'x'.repeat(41), vpcId: 'v', subnetIds: ['a'], clientSecurityGroupIds: [], nodes: 7 }));
    expect(message).toContain('props.replicationGroupId');
    expect(message).toContain('props.nodes: got 7; expected a whole number from 1 to 6');
  });
});

describe('aws.PrivateBucket and aws.BucketDistribution', () => {
  it('blocks public access, enforces bucket ownership, encrypts, and serves through CloudFront with OAC', () => {
    const stack = awsTestStack();
    const bucket = new aws.PrivateBucket(stack, 'public', { namePrefix: 'p-production-public-' });
    new aws.BucketDistribution(stack, 'cdn', { bucket, name: 'p-production-storage', aliases: ['storage.example.com'], certificateArn: 'arn:cert' });
    const json = synthJson(stack);
    const text = JSON.stringify(json);
    expect(only(json, 'aws_s3_bucket')).toMatchObject({ bucket_prefix: 'p-production-public-', force_destroy: false });
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(text).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
    expect(text).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, { rule: [expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } })] });
    expect(text).toHaveResourceWithProperties(CloudfrontOriginAccessControl, { origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' });
    expect(text).toHaveResourceWithProperties(CloudfrontDistribution, {
      aliases: ['storage.example.com'],
      viewer_certificate: expect.objectContaining({ acm_certificate_arn: 'arn:cert', ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' }),
      default_cache_behavior: expect.objectContaining({ viewer_protocol_policy: 'redirect-to-https' }),
    });
    const distribution = only(json, 'aws_cloudfront_distribution');
    expect(distribution.origin[0].origin_access_control_id).toMatch(/aws_cloudfront_origin_access_control/);
    expect(distribution.origin[0].s3_origin_config).toBeUndefined();
    const policy = JSON.parse(only(json, 'aws_s3_bucket_policy').policy);
    expect(policy.Statement[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Condition: { StringEquals: { 'AWS:SourceArn': expect.stringMatching(/aws_cloudfront_distribution\.cdn.*\.arn/) } } });
    expect(danglingReferences(json)).toEqual([]);
  });
});

describe('aws.GitHubDeployRole', () => {
  const props: aws.GitHubDeployRoleProps = { name: 'p-shared-github-deploy', repository: 'owner/app', repositoryArn: 'arn:ecr', autoScalingGroupArns: ['arn:asg'] };

  it('trusts one repository through the GitHub OIDC provider and may push and refresh only', () => {
    const stack = awsTestStack();
    new aws.GitHubDeployRole(stack, 'deploy', props);
    const json = synthJson(stack);
    expect(JSON.stringify(json)).toHaveResourceWithProperties(IamOpenidConnectProvider, { url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
    const trust = JSON.parse(only(json, 'aws_iam_role').assume_role_policy);
    expect(trust.Statement[0]).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:owner/app:ref:refs/heads/main', 'repo:owner/app:ref:refs/heads/deployment-*'] } },
    });
    const policy = JSON.parse(only(json, 'aws_iam_role_policy').policy);
    expect(policy.Statement.find((s: any) => s.Sid === 'Refresh')).toMatchObject({ Action: ['autoscaling:StartInstanceRefresh', 'autoscaling:CancelInstanceRefresh'], Resource: ['arn:asg'] });
    expect(policy.Statement.find((s: any) => s.Sid === 'EcrPush').Resource).toBe('arn:ecr');
  });

  it('reuses an existing OIDC provider', () => {
    const stack = awsTestStack();
    new aws.GitHubDeployRole(stack, 'deploy', { ...props, oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' });
    expect(resourcesOfType(synthJson(stack), 'aws_iam_openid_connect_provider')).toHaveLength(0);
  });

  it('rejects a subject of another repository and a bad repository', () => {
    const message = validationErrorOf(() => new aws.GitHubDeployRole(awsTestStack(), 'd', { ...props, repository: 'no-slash', subjects: ['repo:other/x:*'] }));
    expect(message).toContain('props.repository: got "no-slash"; expected a GitHub repository as owner/name');
    expect(message).toContain('props.subjects[0]: got "repo:other/x:*"');
  });
});

describe('aws.ServerCluster', () => {
  const build = (extra: Partial<aws.ServerClusterProps> = {}) => {
    const stack = awsTestStack();
    const b = base(stack);
    const cluster = new aws.ServerCluster(stack, 'production', {
      profile: serverpodProfile({ name: 'p' }),
      project: 'p',
      environment: 'production',
      domain: 'example.com',
      region: 'us-west-2',
      network: b.network,
      zone: b.zone,
      certificateArn: b.certificate.certificateArn,
      cdnCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/cdn',
      repository: b.repository,
      ...extra,
    });
    return { cluster, json: synthJson(stack) };
  };

  it('boots the container with run mode, the instance id, role=monolith, migrations, a sized pool and secrets read at boot', () => {
    const { cluster, json } = build({ secrets: ['serviceSecret'], redis: true });
    const script = Object.values<string>(json.locals)[0];
    const { plain, secrets } = bootVariables(script);
    expect(plain).toMatchObject({
      runmode: 'production',
      role: 'monolith',
      serverid: '$SERVER_ID',
      SERVERPOD_REDIS_REQUIRE_SSL: 'true',
      SERVERPOD_APPLY_MIGRATIONS: 'true',
      // db.t4g.micro: about 78 connections, 3 for superusers; up to 4 servers during a refresh (2 × maxInstances 2).
      SERVERPOD_DATABASE_MAX_CONNECTION_COUNT: '10',
    });
    expect(plain.SERVERPOD_DATABASE_HOST).toMatch(/^\$\{aws_db_instance\.production_Database_[0-9A-F]+\.address\}$/);
    expect(script).toContain('http://169.254.169.254/latest/api/token');
    expect(secrets.SERVERPOD_PASSWORD_database).toMatch(/^sm_key '\$\{aws_db_instance\.production_Database_[0-9A-F]+\.master_user_secret\[0\]\.secret_arn\}' 'password'$/);
    // The user lists serviceSecret: read, never generated; the template's other passwords are generated.
    for (const key of ['jwtHmacSha512PrivateKey', 'jwtRefreshTokenHashPepper', 'emailSecretHashPepper']) expect(secrets[`SERVERPOD_PASSWORD_${key}`]).toMatch(/^sm_first /);
    expect(secrets.SERVERPOD_SERVICE_SECRET).toMatch(/^sm_value /);
    expect(script).toContain('--restart=always');
    expect(script).toContain(':production');
    expect(script).not.toMatch(/password=/i);
    expect(cluster.hosts.primary).toEqual({ api: 'api.example.com', insights: 'insights.example.com', web: 'app.example.com' });
    const policy = JSON.parse(serverPolicy(json));
    expect(policy.Statement.find((s: any) => s.Sid === 'Secrets').Resource).toEqual([
      expect.stringMatching(/aws_secretsmanager_secret\.production_secret-serviceSecret/),
      ...['jwtHmacSha512PrivateKey', 'jwtRefreshTokenHashPepper', 'emailSecretHashPepper'].map((key) => expect.stringMatching(new RegExp(`aws_secretsmanager_secret\\.production_secret-${key}_`))),
      expect.stringMatching(/master_user_secret\[0\]\.secret_arn/),
    ]);
    // Liveness: the instances may mark themselves unhealthy in their own group, and the group trusts EC2 checks and them.
    expect(policy.Statement.find((s: any) => s.Sid === 'MarkHealthInOwnGroup')).toEqual({
      Sid: 'MarkHealthInOwnGroup',
      Effect: 'Allow',
      Action: 'autoscaling:SetInstanceHealth',
      Resource: 'arn:aws:autoscaling:us-west-2:*:autoScalingGroup:*:autoScalingGroupName/p-production-server',
    });
    expect(only(json, 'aws_autoscaling_group')).toMatchObject({
      health_check_type: 'EC2',
      health_check_grace_period: 300,
      default_instance_warmup: 320,
      // In service only once ready: the boot script completes the hook; a server never ready is abandoned.
      initial_lifecycle_hook: [{ name: 'p-production-server-ready', lifecycle_transition: 'autoscaling:EC2_INSTANCE_LAUNCHING', default_result: 'ABANDON', heartbeat_timeout: 380 }],
      wait_for_capacity_timeout: '0',
    });
    expect(policy.Statement.find((s: any) => s.Sid === 'CompleteOwnLaunch')).toMatchObject({ Action: 'autoscaling:CompleteLifecycleAction', Resource: expect.stringMatching(/autoScalingGroupName\/p-production-server$/) });
    expect(script.indexOf('systemctl enable --now p-liveness.service')).toBeLessThan(script.indexOf('dnf install -y docker'));
    expect(danglingReferences(json)).toEqual([]);
  });

  it('in staging: staging host names, unique ids, no deletion protection', () => {
    const stack = awsTestStack();
    const b = base(stack);
    const common = { profile: serverpodProfile({ name: 'p' }), project: 'p', domain: 'example.com', region: 'us-west-2', ...b, certificateArn: 'arn:c', redis: true };
    new aws.ServerCluster(stack, 'production', { ...common, environment: 'production' });
    const staging = new aws.ServerCluster(stack, 'staging', { ...common, environment: 'staging' });
    const json = synthJson(stack);
    expect(staging.hosts.primary.api).toBe('api-staging.example.com');
    expect(resourcesOfType(json, 'aws_elasticache_replication_group').map((r) => r.replication_group_id).sort()).toEqual(['p-production-redis', 'p-staging-redis']);
    expect(resourcesOfType(json, 'aws_db_instance').map((d) => [d.identifier, d.deletion_protection]).sort()).toEqual([['p-production-database', true], ['p-staging-database', false]]);
    expect(resourcesOfType(json, 'aws_lb').map((l) => l.name).sort()).toEqual(['p-production-lb', 'p-staging-lb']);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('serves the web port and the bare domain through CloudFront on request', () => {
    const { json } = build({ webVia: 'cloudfront', webOnTopDomain: true, storage: true });
    const distributions = resourcesOfType(json, 'aws_cloudfront_distribution');
    expect(distributions.map((d) => d.aliases).sort()).toEqual([['app.example.com', 'example.com'], ['storage.example.com']]);
    const records = resourcesOfType(json, 'aws_route53_record').filter((r) => r.alias);
    const byName = Object.fromEntries(records.filter((r) => r.type === 'A').map((r) => [r.name, r.alias.zone_id]));
    expect(byName).toEqual({
      'api.example.com': expect.stringContaining('aws_lb.'),
      'insights.example.com': expect.stringContaining('aws_lb.'),
      'app.example.com': 'Z2FDTNDATAQYW2',
      'example.com': 'Z2FDTNDATAQYW2',
      'storage.example.com': 'Z2FDTNDATAQYW2',
    });
  });

  it('with webVia cloudfront, admits the web hosts only from CloudFront: a listener on 8443 for its prefix list, nothing on 443', () => {
    const { cluster, json } = build({ webVia: 'cloudfront', webOnTopDomain: true });
    const web = only(json, 'aws_cloudfront_distribution');
    // HTTPS only, to the CloudFront-only port, forwarding the viewer's Host (AllViewer): the ALB's certificate
    // (*.example.com and example.com) and its host rule match what CloudFront sends.
    expect(web.origin[0]).toMatchObject({
      domain_name: expect.stringMatching(/^\$\{aws_lb\.production_LoadBalancer_[0-9A-F]+\.dns_name\}$/),
      custom_origin_config: { https_port: 8443, origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1.2'] },
    });
    expect(web.default_cache_behavior.origin_request_policy_id).toBe(aws.CLOUDFRONT_POLICIES.allViewer);
    const listeners = Object.entries<Record<string, any>>(json.resource.aws_lb_listener);
    const [cloudFrontListener, body] = listeners.find(([, l]) => l.port === 8443)!;
    expect(body.certificate_arn).toBe(listeners.find(([, l]) => l.port === 443)![1].certificate_arn);
    const rules = resourcesOfType(json, 'aws_lb_listener_rule');
    const webRule = rules.filter((r) => r.condition[0].host_header.values.includes('app.example.com'));
    expect(webRule).toHaveLength(1);
    expect(webRule[0].listener_arn).toContain(`aws_lb_listener.${cloudFrontListener}.arn`);
    expect(webRule[0].condition[0].host_header.values).toEqual(web.aliases);
    // The public listener keeps the API and Insights, so a direct request for app. gets its 404.
    expect(rules.filter((r) => r.listener_arn.includes('_LoadBalancer_Https_')).flatMap((r) => r.condition[0].host_header.values).sort()).toEqual(['api.example.com', 'insights.example.com']);
    const ingress = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.prefix_list_id);
    // us-west-2's com.amazonaws.global.cloudfront.origin-facing.
    expect(ingress.map((r) => [r.from_port, r.prefix_list_id, r.security_group_id])).toEqual([[8443, 'pl-82a045eb', `\${aws_security_group.${Object.keys(json.resource.aws_security_group).find((k) => k.includes('CloudFrontSecurityGroup'))}.id}`]]);
    // CloudFront is pointed at 8443 only once the listener, its rule and the ingress exist.
    const dependsOn: string[] = web.depends_on;
    expect(dependsOn).toEqual(expect.arrayContaining([`aws_lb_listener.${cloudFrontListener}`, expect.stringMatching(/^aws_vpc_security_group_ingress_rule\..*IngressCloudFront/), expect.stringMatching(/^aws_lb_listener_rule\..*cloudfront-rule-web/)]));
    expect(cluster.loadBalancer.cloudFrontListenerPort).toBe(8443);
    expect(json.data).toBeUndefined();
    expect(danglingReferences(json)).toEqual([]);
  });

  it('with webVia load-balancer, serves the web hosts on 443 as before, with no CloudFront path', () => {
    const { json } = build();
    expect(resourcesOfType(json, 'aws_cloudfront_distribution')).toHaveLength(0);
    expect(resourcesOfType(json, 'aws_lb_listener').map((l) => l.port).sort()).toEqual([443, 80]);
    const rules = resourcesOfType(json, 'aws_lb_listener_rule');
    expect(rules.every((r) => r.listener_arn.includes('_LoadBalancer_Https_'))).toBe(true);
    expect(rules.map((r) => r.condition[0].host_header.values)).toContainEqual(['app.example.com']);
    expect(resourcesOfType(json, 'aws_vpc_security_group_ingress_rule').some((r) => r.prefix_list_id)).toBe(false);
  });

  it('takes the CloudFront prefix list id where none is built in, and asks for it there', () => {
    const given = build({ webVia: 'cloudfront', region: 'ap-east-1', cloudFrontPrefixListId: 'pl-0123456789abcdef0' }).json;
    expect(resourcesOfType(given, 'aws_vpc_security_group_ingress_rule').filter((r) => r.prefix_list_id).map((r) => r.prefix_list_id)).toEqual(['pl-0123456789abcdef0']);
    const message = validationErrorOf(() => build({ webVia: 'cloudfront', region: 'ap-east-1', cdnCertificateArn: undefined }));
    // Both problems at once.
    expect(message).toContain('has 2 problems');
    expect(message).toContain('props.cloudFrontPrefixListId: missing; expected the id of com.amazonaws.global.cloudfront.origin-facing in ap-east-1');
    expect(message).toContain('props.cdnCertificateArn: missing');
    expect(validationErrorOf(() => build({ webVia: 'cloudfront', cloudFrontPrefixListId: 'pl-xyz' }))).toContain('props.cloudFrontPrefixListId: got "pl-xyz"; expected a managed prefix list id');
  });

  it('takes the prefix list id from deploy.yaml where none is built in, and names the field when it is missing', () => {
    const config = (extra: string) => `domain: example.com\nstorage: false\nstacks:\n  cluster-aws: { region: ap-east-1, availabilityZones: [ap-east-1a, ap-east-1b], webVia: cloudfront${extra} }\n`;
    expect(() => parseConfig(config(''))).toThrow('stacks.cluster-aws.webVia: got "cloudfront"; expected load-balancer in ap-east-1');
    expect(() => parseConfig(config(', cloudFrontPrefixListId: nope'))).toThrow('stacks.cluster-aws.cloudFrontPrefixListId: got "nope"; expected a managed prefix list id');
    const json = synthBundled(config(', cloudFrontPrefixListId: pl-0123456789abcdef0')).stacks['cluster-aws'];
    expect(resourcesOfType(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.prefix_list_id).map((r) => r.prefix_list_id)).toEqual(['pl-0123456789abcdef0']);
  });

  it('takes the zones a user names where zone names differ between accounts, and defaults to a and b elsewhere', () => {
    const zonesOf = (extra: string) => parseConfig(`domain: example.com\nstacks:\n  cluster-aws: { ${extra} }\n`).stacks['cluster-aws']!.availabilityZones;
    expect(zonesOf('region: ap-northeast-1, availabilityZones: [ap-northeast-1a, ap-northeast-1c]')).toEqual(['ap-northeast-1a', 'ap-northeast-1c']);
    expect(zonesOf('region: eu-west-1')).toEqual(['eu-west-1a', 'eu-west-1b']);
    expect(() => zonesOf('region: us-west-1')).toThrow('stacks.cluster-aws.availabilityZones: missing');
  });

  it('refuses a project AWS would refuse as a security-group or bucket name prefix', () => {
    for (const project of ['sg-shop', 'xn--shop', 'sthree-shop', 'amzn-s3-demo-shop']) {
      expect(validationErrorOf(() => build({ project }))).toContain(`props.project: got "${project}"; expected a name of 1 to 30 lowercase letters`);
    }
  });

  it('keeps the instance role off the container (hop limit 1), storage included: S3CloudStorage signs with its own key', () => {
    const { json } = build({ storage: true });
    expect(only(json, 'aws_launch_template').metadata_options.http_put_response_hop_limit).toBe(1);
    const policy = JSON.parse(serverPolicy(json));
    // The role has no bucket: the storage buckets are the access key's alone.
    expect(policy.Statement.filter((s: any) => JSON.stringify(s.Action).includes('s3:'))).toEqual([]);
    const keyPolicy = JSON.parse(only(json, 'aws_iam_user_policy').policy);
    expect(keyPolicy.Statement.find((s: any) => s.Sid === 'Buckets').Resource).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.production_PrivateBucket_[0-9A-F]+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_s3_bucket\.production_PublicBucket_[0-9A-F]+\.arn\}$/),
    ]);
  });

  it('versions both storage buckets, old versions expiring after 30 days; CloudFront reads only current versions of the public one', () => {
    const { cluster, json } = build({ storage: true });
    expect(cluster.privateBucket!.versioning).toBeDefined();
    expect(cluster.publicBucket!.versioning).toBeDefined();
    const versioned = resourcesOfType(json, 'aws_s3_bucket_versioning').map((v) => v.bucket);
    expect(versioned).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.production_PrivateBucket_/), expect.stringMatching(/^\$\{aws_s3_bucket\.production_PublicBucket_/)]);
    expect(resourcesOfType(json, 'aws_s3_bucket_lifecycle_configuration').map((l) => l.rule[0].noncurrent_version_expiration)).toEqual([[{ noncurrent_days: 30 }], [{ noncurrent_days: 30 }]]);
    // s3:GetObject without a version id reads the current version; an older one would need s3:GetObjectVersion.
    const cdnPolicies = resourcesOfType(json, 'aws_s3_bucket_policy').filter((p) => p.policy.includes('cloudfront.amazonaws.com'));
    expect(cdnPolicies).toHaveLength(1);
    const cdnPolicy = JSON.parse(cdnPolicies[0].policy);
    expect(cdnPolicy.Statement.filter((st: any) => st.Effect === 'Allow').map((st: any) => st.Action)).toEqual(['s3:GetObject']);
  });

  it('lets the container use the role (hop limit 2) only for a bucket mutable store, which it reads with the SDK\'s default credentials', () => {
    const hopLimit = (text: string) => only(synthBundled(text).stacks['cluster-aws'], 'aws_launch_template').metadata_options.http_put_response_hop_limit;
    expect(hopLimit(PERSEUS)).toBe(2);
    expect(hopLimit(PERSEUS.replace('mutableStore: bucket', 'mutableStore: postgres'))).toBe(1);
    expect(hopLimit(PERSEUS.replace('mutableStore: bucket', 'mutableStore: redis'))).toBe(1);
    expect(hopLimit(PERSEUS.replace('mutableStore: bucket', 'mutableStore: none'))).toBe(1);
  });

  it.each<[string, Partial<aws.ServerClusterProps>, string]>([
    ['CloudFront without a us-east-1 certificate', { storage: true, cdnCertificateArn: undefined }, 'props.cdnCertificateArn: missing; expected a us-east-1 certificate ARN'],
    ['a secret named database', { secrets: ['database'] }, 'props.secrets.database: got "database"; expected a key other than database'],
    ['a secret listed twice', { secrets: ['stripeKey', 'stripeKey'] }, 'props.secrets[1]: got "stripeKey"; expected a key given once'],
    ['a secret with the storage key names', { storage: true, secrets: { AWSSecretKey: 'empty' } }, 'props.secrets.AWSSecretKey: got "AWSSecretKey"; expected a key other than'],
    ['an odd log retention', { logRetentionDays: 10 }, "props.logRetentionDays: got 10; expected one of CloudWatch's retention periods"],
    ['an unknown webVia', { webVia: 'edge' as aws.WebVia }, 'props.webVia: got "edge"'],
  ])('rejects %s', (_, props, message) => {
    expect(validationErrorOf(() => build(props))).toContain(message);
  });
});

describe('config: stacks.cluster-aws', () => {
  const problemsOf = (stack: string, top = ''): string => {
    try {
      parseConfig(`domain: example.com\n${top}stacks:\n  cluster-aws: ${stack}\n`, { source: 'bad.yaml', env: {} });
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as Error).message;
    }
    throw new Error('expected the config to be rejected');
  };

  it('fills the new defaults', () => {
    const stack = parseConfig(MINIMAL, { env: {} }).stacks['cluster-aws']!;
    expect(stack).toMatchObject({ egress: 'nat-gateway', architecture: 'x86_64', webVia: 'load-balancer', idleTimeoutSec: 3600, vpcCidr: '10.0.0.0/16', secrets: [] });
    expect(stack.hostedZoneId).toBeUndefined();
    expect(stack.sizes.production).toMatchObject({ instanceType: 't3.micro', databaseStorageGb: 20, redisNodes: 1 });
  });

  it('picks a Graviton default type for arm64', () => {
    const stack = parseConfig('domain: example.com\nstacks:\n  cluster-aws: { architecture: arm64 }\n', { env: {} }).stacks['cluster-aws']!;
    expect(stack.sizes.staging.instanceType).toBe('t4g.micro');
  });

  it.each([
    ['a lowercase hosted zone id', '{ hostedZoneId: z123abc }', 'stacks.cluster-aws.hostedZoneId: got "z123abc"; expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'],
    ['an unknown egress', '{ egress: nat }', 'stacks.cluster-aws.egress: got "nat"'],
    ['an unknown architecture', '{ architecture: aarch64 }', 'stacks.cluster-aws.architecture: got "aarch64"'],
    ['an x86 type on arm64', '{ architecture: arm64, sizes: { production: { instanceType: t3.small } } }', 'stacks.cluster-aws.sizes.production.instanceType: got "t3.small"; expected a Graviton (arm64) instance type'],
    ['a Graviton type on x86_64', '{ sizes: { staging: { instanceType: c7g.large } } }', 'stacks.cluster-aws.sizes.staging.instanceType: got "c7g.large"; expected an x86_64 instance type'],
    ['a bad AMI id', '{ amiId: ami-12 }', 'stacks.cluster-aws.amiId: got "ami-12"; expected an AMI id such as ami-0123456789abcdef0'],
    ['an idle timeout over 4000', '{ idleTimeoutSec: 4001 }', 'stacks.cluster-aws.idleTimeoutSec: got 4001; expected at most 4000 (the load balancer limit)'],
    ['a public VPC range', '{ vpcCidr: 8.8.0.0/16 }', 'stacks.cluster-aws.vpcCidr: got "8.8.0.0/16"; expected a private IPv4 network'],
    ['an unknown webVia', '{ webVia: s3 }', 'stacks.cluster-aws.webVia: got "s3"'],
    ['cloudfront in a region with no built-in CloudFront prefix list id', '{ region: ap-east-1, webVia: cloudfront }', 'stacks.cluster-aws.webVia: got "cloudfront"; expected load-balancer in ap-east-1'],
    ['a secret with a dash', '{ secrets: [service-secret] }', 'stacks.cluster-aws.secrets.0: got "service-secret"'],
    ['a repeated secret', '{ secrets: [a, a] }', 'stacks.cluster-aws.secrets: got ["a","a"]; expected each secret once'],
    ['a bad OIDC provider ARN', '{ githubOidcProviderArn: arn:aws:iam::1:oidc-provider/x }', 'stacks.cluster-aws.githubOidcProviderArn'],
    ['a database under 20 GB', '{ sizes: { production: { databaseStorageGb: 10 } } }', 'stacks.cluster-aws.sizes.production.databaseStorageGb: got 10; expected at least 20'],
    ['7 Redis nodes', '{ sizes: { production: { redisNodes: 7 } } }', 'stacks.cluster-aws.sizes.production.redisNodes: got 7; expected at most 6'],
  ])('rejects %s', (_, stack, message) => {
    expect(problemsOf(stack)).toContain(message);
  });
});

describe('the cluster-aws stack', () => {
  const minimal = synthBundled(MINIMAL).stacks['cluster-aws'];
  const full = synthBundled(FULL).stacks['cluster-aws'];

  it.each([
    ['minimal', minimal],
    ['full-featured', full],
  ])('%s config: matches its snapshot and has no dangling references', (_, json) => {
    expect(danglingReferences(json)).toEqual([]);
    expect(forSnapshot(json)).toMatchSnapshot();
  });

  it('keeps the existing ids and outputs', () => {
    expect(Object.keys(minimal.resource.aws_ecr_repository)).toEqual([expect.stringMatching(/^registry_/)]);
    expect(Object.keys(minimal.output)).toEqual(expect.arrayContaining(['ecr_repository_url', 'image_production', 'production_api_url', 'production_database_endpoint', 'production_database_secret_arn', 'name_servers']));
    expect(minimal.output.production_api_url.value).toBe('https://api.example.com');
  });

  it('full: staging beside production, shared VPC and certificates, per-environment everything else', () => {
    expect(resourcesOfType(full, 'aws_vpc')).toHaveLength(1);
    expect(resourcesOfType(full, 'aws_acm_certificate')).toHaveLength(2);
    expect(resourcesOfType(full, 'aws_route53_zone')).toHaveLength(0);
    expect(resourcesOfType(full, 'aws_autoscaling_group').map((a) => a.name).sort()).toEqual(['podshop-production-server', 'podshop-staging-server']);
    expect(resourcesOfType(full, 'aws_elasticache_replication_group').map((r) => r.replication_group_id).sort()).toEqual(['podshop-production-redis', 'podshop-staging-redis']);
    expect(resourcesOfType(full, 'aws_s3_bucket').map((b) => b.bucket_prefix).sort()).toEqual([
      'podshop-production-private-',
      'podshop-production-public-',
      'podshop-staging-private-',
      'podshop-staging-public-',
    ]);
    expect(resourcesOfType(full, 'aws_nat_gateway')).toHaveLength(0);
    expect(resourcesOfType(full, 'aws_vpc_endpoint')).toHaveLength(9);
    expect(full.provider.aws.map((p: any) => p.alias ?? 'default')).toEqual(['default', 'us_east_1']);
    expect(Object.keys(full.output)).toEqual(
      expect.arrayContaining(['github_deploy_role_arn', 'staging_api_url', 'staging_redis_endpoint', 'staging_public_bucket', 'production_secret_serviceSecret_arn']),
    );
    expect(full.output.staging_api_url.value).toBe('https://api-staging.podshop.dev');
  });

  it('scopes each environment\'s storage key and instance role to that environment: staging reaches nothing of production', () => {
    const policies = [...Object.entries<Record<string, any>>(full.resource.aws_iam_user_policy), ...Object.entries<Record<string, any>>(full.resource.aws_iam_role_policy)];
    for (const environment of ['production', 'staging']) {
      const other = environment === 'production' ? 'staging' : 'production';
      const own = policies.filter(([name]) => name.startsWith(`${environment}_`));
      // The storage key's policy and the role's.
      expect(own.map(([name]) => name.replace(/_[0-9A-F]+$/, '')).sort()).toEqual([`${environment}_Role_Policy`, `${environment}_StorageAccessKey_Policy`]);
      for (const [, body] of own) {
        const text = body.policy as string;
        const references = [...text.matchAll(/\$\{([a-z0-9_]+)\.([^.}]+)/g)].map(([, type, name]) => `${type}.${name}`);
        expect(references.length).toBeGreaterThan(0);
        // Every reference is the environment's own resource, or the shared image repository.
        expect(references.filter((r) => !r.split('.')[1].startsWith(`${environment}_`) && r !== 'aws_ecr_repository.registry_EFEA226F')).toEqual([]);
        expect(text).not.toContain(`podshop-${other}-`);
        expect(text).not.toMatch(/"Resource":"arn:aws:s3:::\*"|"Resource":"arn:aws:secretsmanager:[^"]*\*"/);
      }
      const key = JSON.parse(own.find(([name]) => name.startsWith(`${environment}_StorageAccessKey_`))![1].policy);
      expect(key.Statement.flatMap((s: any) => s.Resource).every((r: string) => new RegExp(`^\\$\\{aws_s3_bucket\\.${environment}_(Private|Public)Bucket_`).test(r))).toBe(true);
    }
  });

  it('never puts a password in the synthesized JSON', () => {
    for (const json of [minimal, full]) {
      for (const db of resourcesOfType(json, 'aws_db_instance')) expect(db.password).toBeUndefined();
      expect(JSON.stringify(json)).not.toMatch(/"(password|auth_token)":/);
    }
  });

  it('uses no data sources, so plan needs no AWS call', () => {
    expect(minimal.data).toBeUndefined();
    expect(full.data).toBeUndefined();
  });
});

describe('generated secrets on AWS (the passwords of Serverpod\'s template)', () => {
  const json = synthBundled(MINIMAL).stacks['cluster-aws'];
  const userData = Object.entries<string>(json.locals ?? {}).find(([k]) => k.startsWith('production_Servers_UserData'))![1];
  const generatedKeys = ['serviceSecret', 'jwtHmacSha512PrivateKey', 'jwtRefreshTokenHashPepper', 'emailSecretHashPepper'];

  it('creates each secret empty and lets the servers give it its first value, and only that', () => {
    const secrets = resourcesOfType(json, 'aws_secretsmanager_secret').map((s) => s.name_prefix);
    expect(secrets).toEqual(expect.arrayContaining(generatedKeys.map((key) => `serverpod-production-secrets/${key}-`)));
    const policy = JSON.parse(serverPolicy(json).replace(/\$\{[^}]+\}/g, 'ARN'));
    const generate = policy.Statement.find((s: { Sid: string }) => s.Sid === 'GeneratedSecrets');
    expect(generate).toEqual({ Sid: 'GeneratedSecrets', Effect: 'Allow', Action: 'secretsmanager:PutSecretValue', Resource: generatedKeys.map(() => 'ARN') });
    const { secrets: commands } = bootVariables(userData);
    expect(commands.SERVERPOD_SERVICE_SECRET).toMatch(/ 'cdktf-serverpod-first-value-serviceSecret' 32$/);
    // The HS512 key is 64 characters (RFC 7518 wants 64 bytes), the others 32 as serverpod create makes them.
    expect(commands.SERVERPOD_PASSWORD_jwtHmacSha512PrivateKey).toMatch(/^sm_first .* 64$/);
    expect(commands.SERVERPOD_PASSWORD_jwtRefreshTokenHashPepper).toMatch(/^sm_first .* 32$/);
  });

  it('leaves a secret the user lists to the user', () => {
    const full = synthBundled(FULL).stacks['cluster-aws'];
    const data = Object.entries<string>(full.locals ?? {}).filter(([k]) => k.includes('UserData')).map(([, v]) => v);
    for (const script of data) {
      const { secrets } = bootVariables(script);
      expect(secrets.SERVERPOD_SERVICE_SECRET).toMatch(/^sm_value /);
      expect(secrets.SERVERPOD_PASSWORD_jwtRefreshTokenHashPepper).toMatch(/^sm_first /);
    }
  });

  it('writes once: the first server generates the value, a later or racing one reads it', () => {
    // The generate command, run for real against a stub `aws` that keeps the secret in a file and, like
    // Secrets Manager, refuses a second value under the same client request token.
    const command = bootVariables(userData).secrets.SERVERPOD_SERVICE_SECRET;
    expect(command).toMatch(/^sm_first '.*' 'cdktf-serverpod-first-value-serviceSecret' 32$/);
    // The script's own Secrets Manager functions, as it defines them before reading any secret.
    const lines = userData.split('\n');
    const start = lines.findIndex((l) => l.startsWith('sm_json() {'));
    const dir = mkdtempSync(join(tmpdir(), 'awsgen-'));
    // Each read notes the secret's version under /run/serverpod: moved into the temp dir.
    const functions = lines.slice(start, lines.indexOf('}', lines.indexOf('sm_first() {')) + 1).join('\n').split('/run/serverpod/').join(`${dir}/`);
    writeFileSync(
      join(dir, 'aws'),
      [
        '#!/bin/sh',
        `store=${dir}/value`,
        `failfile=${dir}/fail`,
        'case "$2" in',
        // --output json: the SecretString and VersionId as a JSON list (the values are letters and digits).
        '  get-secret-value) [ -f "$failfile" ] && { echo "ThrottlingException" >&2; exit 254; }; [ -f "$store" ] && printf \'["%s", "v1"]\\n\' "$(cat "$store")" && exit 0; echo "ResourceNotFoundException" >&2; exit 254 ;;',
        '  put-secret-value) [ -f "$store" ] && exit 254; for a in "$@"; do [ "$prev" = "--secret-string" ] && printf "%s" "$a" > "$store"; prev="$a"; done; exit 0 ;;',
        'esac',
      ].join('\n'),
      { mode: 0o755 },
    );
    const run = () => execFileSync('bash', ['-c', `set -euo pipefail\n${functions}\n{ ${command.replace(/\$\{[^}]*\}/g, 'arn')}; }`], { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}` } });
    // Any other error (throttling here) stops the boot and writes nothing.
    writeFileSync(join(dir, 'fail'), '');
    expect(() => run()).toThrow();
    expect(() => readFileSync(join(dir, 'value'))).toThrow();
    rmSync(join(dir, 'fail'));
    const first = run();
    expect(first).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(run()).toBe(first);
  });
});

describe('entering service on AWS', () => {
  const json = synthBundled(MINIMAL).stacks['cluster-aws'];
  const userData = Object.entries<string>(json.locals ?? {}).find(([k]) => k.startsWith('production_Servers_UserData'))![1];
  const lines = userData.split('\n');
  const start = lines.findIndex((l) => l.startsWith('# In service only once ready'));
  // As Terraform renders it: `%%{http_code}` becomes curl's `%{http_code}`.
  const loop = renderTemplate(lines.slice(start, lines.indexOf('done', start) + 1).join('\n'));

  function run(ready: boolean, uptime: number) {
    // The loop as the boot script writes it, with curl (the readiness checks, printing the status) and aws stubbed
    // and the uptime set.
    const dir = mkdtempSync(join(tmpdir(), 'ready-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'curl'), `#!/bin/sh\ncase "$*" in *169.254.169.254*token*) echo tok ;; *169.254.169.254*) echo i-123 ;; *) echo "$*" >> ${dir}/probes; printf ${ready ? '200' : '503'} ;; esac\n`, { mode: 0o755 });
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\necho "$@" >> ${dir}/aws.log\n`, { mode: 0o755 });
    // Time passes only by sleeping: each sleep moves the uptime on.
    writeFileSync(join(bin, 'sleep'), `#!/bin/sh\necho $(( $(cut -d. -f1 ${dir}/uptime) + $1 )).0 > ${dir}/uptime\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'uptime'), `${uptime}.42 0.0\n`);
    execFileSync('bash', ['-c', `set -euo pipefail\n${loop.replace(/\/proc\/uptime/g, `${dir}/uptime`)}`], { env: { PATH: `${bin}:${process.env.PATH}` } });
    const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
    return { probes: read('probes'), aws: read('aws.log') };
  }

  it('checks every port\'s readiness, then completes the launch hook once', () => {
    const { probes, aws } = run(true, 60);
    expect(probes.trim().split('\n')).toEqual(['http://127.0.0.1:8080/readyz', 'http://127.0.0.1:8081/readyz', 'http://127.0.0.1:8082/'].map((url) => `-sS -o /dev/null -w %{http_code} -m 5 ${url}`));
    expect(aws).toBe('autoscaling complete-lifecycle-action --region us-west-2 --lifecycle-hook-name serverpod-production-server-ready --auto-scaling-group-name serverpod-production-server --instance-id i-123 --lifecycle-action-result CONTINUE\n');
  });

  it('gives up at the grace period when the server never gets ready, leaving the hook to abandon the instance', () => {
    const { probes, aws } = run(false, 250);
    // 250 s up, a probe every 10 s until 300: five tries, no completion.
    expect(probes.trim().split('\n').filter((l) => l.includes(':8080/'))).toHaveLength(5);
    expect(aws).toBe('');
  });
});

describe('the liveness watch on AWS', () => {
  const json = synthBundled(MINIMAL).stacks['cluster-aws'];
  const userData = Object.entries<string>(json.locals ?? {}).find(([k]) => k.startsWith('production_Servers_UserData'))![1];
  const lines = userData.split('\n');
  const start = lines.indexOf("cat > /usr/local/bin/serverpod-liveness <<'WATCH'") + 1;
  const watch = lines.slice(start, lines.indexOf('WATCH', start)).join('\n');

  /** Runs the watch for `ticks` probes; `alive(i)` says whether probe i answers. Returns the aws calls by probe. */
  function run(uptime: number, ticks: number, alive: (tick: number) => boolean): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'watch-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const answers = Array.from({ length: ticks }, (_, i) => (alive(i) ? '0' : '7')).join(' ');
    writeFileSync(join(dir, 'tick'), '0');
    // sleep: ends the watch after `ticks` probes, and moves the uptime on by the interval.
    writeFileSync(join(bin, 'sleep'), `#!/bin/sh\nt=$(cat ${dir}/tick); [ "$t" -ge ${ticks} ] && exit 1; echo $((t + 1)) > ${dir}/tick; echo $(( $(cut -d. -f1 ${dir}/uptime) + $1 )).0 > ${dir}/uptime\n`, { mode: 0o755 });
    writeFileSync(join(bin, 'curl'), `#!/bin/sh\ncase "$*" in *169.254.169.254*token*) echo tok ;; *169.254.169.254*) echo i-9 ;; *) set -- ${answers}; shift $(( $(cat ${dir}/tick) - 1 )); exit $1 ;; esac\n`, { mode: 0o755 });
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\necho "$(cat ${dir}/tick): $*" >> ${dir}/aws.log\n`, { mode: 0o755 });
    writeFileSync(join(bin, 'logger'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    writeFileSync(join(dir, 'uptime'), `${uptime}.0 0.0\n`);
    execFileSync('bash', ['-c', watch.replace(/\/proc\/uptime/g, `${dir}/uptime`)], { env: { PATH: `${bin}:${process.env.PATH}` } });
    return existsSync(join(dir, 'aws.log')) ? readFileSync(join(dir, 'aws.log'), 'utf8').trim().split('\n') : [];
  }
  const mark = 'autoscaling set-instance-health --region us-west-2 --instance-id i-9 --health-status Unhealthy --no-should-respect-grace-period';

  it('leaves a server that is still starting alone until the grace period ends, then has it replaced', () => {
    // Booted 200 s ago, never answers: probes at 210 … 290 s pass quietly, the one at 300 s marks it, and so on.
    const calls = run(200, 12, () => false);
    expect(calls[0]).toBe(`10: ${mark}`);
    expect(calls.length).toBe(3);
  });

  it('replaces a server that answered once only after six failed probes in a row, and never one that recovers', () => {
    expect(run(1000, 8, (i) => i === 0)).toEqual([`7: ${mark}`, `8: ${mark}`]);
    expect(run(1000, 12, (i) => i % 5 === 0)).toEqual([]);
  });
});

describe('database password rotation on AWS', () => {
  const json = synthBundled(MINIMAL).stacks['cluster-aws'];
  const userData = Object.entries<string>(json.locals ?? {}).find(([k]) => k.startsWith('production_Servers_UserData'))![1];

  it('installs a timer that refreshes the group once the RDS-managed password rotated', () => {
    expect(userData).toContain("'OnUnitActiveSec=10min'");
    expect(userData).toContain('systemctl enable --now serverpod-rotation-watch.timer');
    const policy = JSON.parse(serverPolicy(json).replace(/\$\{[^}]+\}/g, 'ARN'));
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === 'RefreshOwnGroup')).toEqual({
      Sid: 'RefreshOwnGroup',
      Effect: 'Allow',
      Action: 'autoscaling:StartInstanceRefresh',
      Resource: 'arn:aws:autoscaling:us-west-2:*:autoScalingGroup:*:autoScalingGroupName/serverpod-production-server',
    });
  });

  it('starts a refresh only when the version changed', () => {
    // The watch script as the boot script writes it, run against a stub aws that logs refresh requests.
    const lines = userData.split('\n');
    const start = lines.indexOf("cat > /usr/local/bin/serverpod-rotation-watch <<'WATCH'") + 1;
    const script = lines.slice(start, lines.indexOf('WATCH', start)).join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'rotation-'));
    writeFileSync(join(dir, 'aws'), `#!/bin/sh\ncase "$1" in secretsmanager) cat ${dir}/current ;; autoscaling) echo "$@" >> ${dir}/refreshes ;; esac\n`, { mode: 0o755 });
    const run = () => execFileSync('bash', ['-c', script.replace(/\$\{[^}]*\}/g, 'arn').replace('/var/lib/serverpod/watched-secret-version', `${dir}/booted`)], { env: { PATH: `${dir}:${process.env.PATH}` } });
    writeFileSync(join(dir, 'booted'), 'v1\n');
    writeFileSync(join(dir, 'current'), 'v1\n');
    run();
    expect(() => readFileSync(join(dir, 'refreshes'))).toThrow();
    writeFileSync(join(dir, 'current'), 'v2\n');
    run();
    expect(readFileSync(join(dir, 'refreshes'), 'utf8')).toContain('start-instance-refresh --region us-west-2 --auto-scaling-group-name serverpod-production-server');
  });
});

describe('certificate validation records', () => {
  it('writes the validation record once, and both certificates validate through it', () => {
    const json = synthBundled(MINIMAL).stacks['cluster-aws'];
    const records = Object.entries<Record<string, any>>(json.resource.aws_route53_record).filter(([name]) => name.includes('ValidationRecord'));
    expect(records).toHaveLength(1);
    const validations = resourcesOfType(json, 'aws_acm_certificate_validation');
    expect(validations).toHaveLength(2);
    for (const v of validations) expect(v.validation_record_fqdns).toEqual([`\${aws_route53_record.${records[0][0]}.fqdn}`]);
  });
});
