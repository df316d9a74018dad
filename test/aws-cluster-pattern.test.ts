import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { AwsProvider, aws, configWarnings, gcp, parseConfig, perseusProfile, serverpodProfile } from '../lib';
import { ContainerRegistry } from '../lib/gcp/registry';
import { awsTestStack, configProblems, gcpTestStack, validationErrorOf } from './helpers/assert';
import { StackJson, resourcesOfType, synthBundled, synthJson } from './helpers/synth';

const profile = serverpodProfile({ name: 'shop' });

function cluster(props: Partial<aws.AwsServerClusterProps> = {}, stack: TerraformStack = awsTestStack()) {
  const usEast1 = new AwsProvider(stack, `us-east-1-${stack.node.children.length}`, { alias: `us_east_1_${stack.node.children.length}`, region: 'us-east-1' });
  const pattern = new aws.AwsServerCluster(stack, props.outputs ? `cluster-${props.outputs.prefix}` : 'cluster', {
    region: 'us-west-2',
    namePrefix: 'shop',
    domain: 'shop.example.com',
    profile,
    network: props.existingVpc ? undefined : { availabilityZones: ['us-west-2a', 'us-west-2b'] },
    environments: { production: {}, staging: { maxInstances: 1 } },
    cdnProvider: usEast1,
    ...props,
  });
  return { stack, pattern };
}

const types = (json: StackJson) => new Set(Object.keys(json.resource ?? {}));

describe('AwsServerCluster: every environment in one pattern', () => {
  it('shares one VPC, zone, regional and CloudFront certificate and repository between the environments', () => {
    const { stack, pattern } = cluster();
    const json = synthJson(stack);
    expect(Object.keys(pattern.environments)).toEqual(['production', 'staging']);
    for (const type of ['aws_vpc', 'aws_route53_zone', 'aws_ecr_repository']) expect(resourcesOfType(json, type)).toHaveLength(1);
    expect(resourcesOfType(json, 'aws_acm_certificate')).toHaveLength(2);
    expect(resourcesOfType(json, 'aws_autoscaling_group').map((g) => g.name).sort()).toEqual(['shop-production-server', 'shop-staging-server']);
  });

  it('has the GCP pattern defaults: a database and storage on, Redis off', () => {
    const json = synthJson(cluster().stack);
    expect(resourcesOfType(json, 'aws_db_instance')).toHaveLength(2);
    // Public and private bucket per environment.
    expect(resourcesOfType(json, 'aws_s3_bucket')).toHaveLength(4);
    expect(types(json).has('aws_elasticache_replication_group')).toBe(false);
    const withoutStorage = synthJson(cluster({ storage: false, database: false, redis: {} }).stack);
    expect(types(withoutStorage).has('aws_s3_bucket')).toBe(false);
    expect(types(withoutStorage).has('aws_db_instance')).toBe(false);
    expect(resourcesOfType(withoutStorage, 'aws_elasticache_replication_group')).toHaveLength(2);
  });

  it('passes each environment its sizes and database settings', () => {
    const json = synthJson(
      cluster({
        environments: {
          production: { instanceType: 't3.small', minInstances: 2, maxInstances: 6, databaseInstanceClass: 'db.t4g.small', databaseVersion: '17', databaseStorageGb: 50, deletionProtection: false, acknowledgeDataLoss: 'a load-test copy, rebuilt each week' },
          staging: {},
        },
      }).stack,
    );
    const production = resourcesOfType(json, 'aws_db_instance').find((d) => String(d.identifier).includes('production'))!;
    expect(production).toMatchObject({ instance_class: 'db.t4g.small', engine_version: '17', allocated_storage: 50, deletion_protection: false });
    const staging = resourcesOfType(json, 'aws_db_instance').find((d) => String(d.identifier).includes('staging'))!;
    expect(staging.deletion_protection).toBe(false);
    const group = resourcesOfType(json, 'aws_autoscaling_group').find((g) => g.name === 'shop-production-server')!;
    expect(group).toMatchObject({ min_size: 2, max_size: 6 });
  });

  it('outputs what comes next, under flat names a prefix can keep apart', () => {
    const stack = awsTestStack();
    cluster({ outputs: { prefix: 'blue_' } }, stack);
    cluster({ outputs: { prefix: 'green_' }, namePrefix: 'shop2', domain: 'green.example.com' }, stack);
    const outputs = Object.keys(synthJson(stack).output);
    for (const prefix of ['blue_', 'green_']) {
      for (const name of ['ecr_repository_url', 'name_servers', 'production_api_url', 'production_load_balancer_dns_name', 'production_database_secret_arn', 'production_serverpod_config', 'staging_api_url']) {
        expect(outputs).toContain(`${prefix}${name}`);
      }
    }
    const none = synthJson(cluster({ outputs: false }).stack);
    expect(none.output).toBeUndefined();
  });

  it('writes the Serverpod config of each run mode, with the database and its pool', () => {
    const json = synthJson(cluster().stack);
    const config = json.output.production_serverpod_config.value as string;
    expect(config).toContain('publicHost: api.shop.example.com');
    expect(config).toMatch(/host: \$\{aws_db_instance\.[^}]+\.address\}/);
    expect(config).toMatch(/maxConnectionCount: \d+/);
    expect(json.output.staging_serverpod_config.value).toContain('publicHost: api-staging.shop.example.com');
  });

  it('runs in an existing VPC: no VPC of its own, its subnets for the load balancer and the servers', () => {
    const existingVpc = { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-00000000000000001', 'subnet-00000000000000002'], privateSubnetIds: ['subnet-0000000a', 'subnet-0000000b'] };
    const json = synthJson(cluster({ existingVpc }).stack);
    // Flow logs too: the VPC is the user's, and so are its flow logs.
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_nat_gateway', 'aws_internet_gateway', 'aws_flow_log']) expect(types(json).has(type)).toBe(false);
    for (const lb of resourcesOfType(json, 'aws_lb')) expect(lb.subnets).toEqual(existingVpc.publicSubnetIds);
    for (const group of resourcesOfType(json, 'aws_autoscaling_group')) expect(group.vpc_zone_identifier).toEqual(existingVpc.privateSubnetIds);
    for (const sg of resourcesOfType(json, 'aws_security_group')) expect(sg.vpc_id).toBe(existingVpc.vpcId);
  });

  it('records the VPC\'s flow logs by default, and none with network.flowLogs false', () => {
    const flowLogs = (network?: Partial<aws.AwsNetworkOptions>) => {
      const json = synthJson(cluster({ network: { availabilityZones: ['us-west-2a', 'us-west-2b'], ...network } }).stack);
      return { logs: resourcesOfType(json, 'aws_flow_log'), groups: resourcesOfType(json, 'aws_cloudwatch_log_group').map((g) => g.name) };
    };
    const on = flowLogs();
    expect(on.logs).toEqual([expect.objectContaining({ traffic_type: 'ALL', vpc_id: expect.stringMatching(/^\$\{aws_vpc\.cluster_network_Vpc_/) })]);
    expect(on.groups).toContain('/shop-shared-network/flow-logs');
    const off = flowLogs({ flowLogs: false });
    expect(off.logs).toEqual([]);
    expect(off.groups).not.toContain('/shop-shared-network/flow-logs');
  });

  it('runs an image from elsewhere without logging in to ECR', () => {
    const { pattern } = cluster({ image: 'ghcr.io/my-org/server:1.2' });
    const production = pattern.environments.production!;
    expect(production.imageUri).toBe('ghcr.io/my-org/server:1.2');
    expect(production.bootScript).toContain('ghcr.io/my-org/server:1.2');
    expect(production.bootScript).not.toContain('ecr get-login-password');
    const own = cluster().pattern.environments.production!;
    expect(own.bootScript).toContain('ecr get-login-password');
  });

  it('names every bad prop by the name written, before anything is created', () => {
    const message = validationErrorOf(() =>
      cluster({
        namePrefix: 'Shop Co',
        domain: 'https://shop.dev',
        image: '${file("/etc/passwd")}',
        environments: { staging: { minInstances: 3 } },
        network: { availabilityZones: ['us-west-2a', 'us-west-2b'] },
        existingVpc: { vpcId: 'vpc-1', publicSubnetIds: ['subnet-0000000a'], privateSubnetIds: ['subnet-0000000a', 'subnet-0000000a'] },
        outputs: { prefix: '${x}' },
        githubRefs: ['main'],
      }),
    );
    for (const fragment of [
      'props.namePrefix: got "Shop Co"',
      'props.domain: got "https://shop.dev"',
      'props.image: got "${file(\\"/etc/passwd\\")}"',
      'props.environments: got ["staging"]',
      'props.environments.staging.minInstances: got 3; expected at most maxInstances (2, the default)',
      'props.network',
      'props.existingVpc.vpcId: got "vpc-1"',
      'props.existingVpc.publicSubnetIds',
      'props.existingVpc.privateSubnetIds[1]',
      'props.outputs.prefix: got "${x}"',
      'props.githubRefs[0]: got "main"',
    ]) {
      expect(message).toContain(fragment);
    }
  });

  it('asks for a us-east-1 provider when CloudFront is used from another region', () => {
    const stack = awsTestStack();
    const props = { region: 'us-west-2', namePrefix: 'shop', domain: 'shop.example.com', profile, network: { availabilityZones: ['us-west-2a', 'us-west-2b'] }, environments: { production: {} } };
    expect(validationErrorOf(() => new aws.AwsServerCluster(stack, 'a', props))).toContain('props.cdnProvider: missing; expected a provider for us-east-1, as storage uses CloudFront');
    expect(() => new aws.AwsServerCluster(stack, 'b', { ...props, namePrefix: 'shop2', storage: false, outputs: { prefix: 'b_' } })).not.toThrow();
  });

  it('has the same shape as GcpServerCluster for redis, storage, the DNS zone and secrets', () => {
    // Type-level: the same object literals fit both patterns' props.
    const shared = { redis: {}, storage: {}, dnsZone: 'existing-zone', secrets: { stripeApiKey: 'empty' as const } };
    const awsProps: Pick<aws.AwsServerClusterProps, 'redis' | 'storage' | 'dnsZone' | 'secrets'> = shared;
    const gcpProps: Pick<gcp.GcpServerClusterProps, 'redis' | 'storage' | 'dnsZone' | 'secrets'> = shared;
    expect(awsProps).toEqual(gcpProps);
    // And at run time: storage off is `false` on both, on by default on both.
    const stack = gcpTestStack();
    const registry = new ContainerRegistry(stack, 'registry', { project: 'p-123456', location: 'us-central1', repositoryId: 'shop' });
    new gcp.GcpServerCluster(stack, 'gcp', { project: 'p-123456', region: 'us-central1', namePrefix: 'shop', domain: 'shop.example.com', profile, registry, environments: { production: {} } });
    expect(resourcesOfType(synthJson(stack), 'google_storage_bucket').length).toBeGreaterThan(0);
    expect(resourcesOfType(synthJson(cluster().stack), 'aws_s3_bucket').length).toBeGreaterThan(0);
  });
});

describe('GCP patterns write their own outputs', () => {
  it('GcpServerCluster: flat names whatever its id, none with outputs: false', () => {
    const stack = gcpTestStack();
    const registry = new ContainerRegistry(stack, 'registry', { project: 'p-123456', location: 'us-central1', repositoryId: 'shop' });
    new gcp.GcpServerCluster(stack, 'deeply-named', { project: 'p-123456', region: 'us-central1', namePrefix: 'shop', domain: 'shop.example.com', profile, registry, environments: { production: {} } });
    const outputs = Object.keys(synthJson(stack).output);
    expect(outputs).toEqual(expect.arrayContaining(['load_balancer_ip', 'production_api_url', 'production_database_connection_name', 'production_serverpod_config']));
    const quiet = gcpTestStack();
    const registry2 = new ContainerRegistry(quiet, 'registry', { project: 'p-123456', location: 'us-central1', repositoryId: 'shop' });
    new gcp.GcpServerCluster(quiet, 'c', { project: 'p-123456', region: 'us-central1', namePrefix: 'shop', domain: 'shop.example.com', profile, registry: registry2, environments: { production: {} }, outputs: false });
    expect(synthJson(quiet).output).toBeUndefined();
  });

  it('GcpServerlessApp: URLs, services, jobs and the Serverpod config', () => {
    const stack = gcpTestStack();
    const registry = new ContainerRegistry(stack, 'registry', { project: 'p-123456', location: 'us-central1', repositoryId: 'shop' });
    new gcp.GcpServerlessApp(stack, 'app', { project: 'p-123456', region: 'us-central1', namePrefix: 'shop', domain: 'shop.example.com', profile, registry, environments: { production: {} }, outputs: { prefix: 'run_' } });
    const outputs = Object.keys(synthJson(stack).output);
    expect(outputs).toEqual(expect.arrayContaining(['run_production_api_url', 'run_production_api_service', 'run_production_maintenance_job', 'run_production_serverpod_config']));
    expect(outputs.every((o) => o.startsWith('run_'))).toBe(true);
  });
});

describe('cluster-aws keeps its addresses', () => {
  const addresses = (json: StackJson) => Object.entries(json.resource).flatMap(([type, byName]) => Object.keys(byName as object).map((name) => `${type}.${name}`)).sort();

  it('the pattern under the hidden id Default gives the addresses of the constructs wired by hand', () => {
    // The way cluster-aws was built before the pattern existed, with the same ids.
    const byHand = awsTestStack();
    const repository = new aws.ContainerRepository(byHand, 'registry', { name: 'shop' });
    const network = new aws.Network(byHand, 'network', { name: 'shop-shared-network', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'] });
    const zone = new aws.DnsZone(byHand, 'zone', { domain: 'shop.example.com' });
    const certificate = new aws.DnsValidatedCertificate(byHand, 'certificate', { zone });
    for (const environment of ['production', 'staging'] as const) {
      new aws.ServerCluster(byHand, environment, {
        profile,
        project: 'shop',
        environment,
        domain: 'shop.example.com',
        region: 'us-west-2',
        network,
        zone,
        certificateArn: certificate.certificateArn,
        repository,
        database: { deletionProtection: environment === 'production' },
      });
    }
    const pattern = awsTestStack();
    new aws.AwsServerCluster(pattern, 'Default', {
      region: 'us-west-2',
      namePrefix: 'shop',
      domain: 'shop.example.com',
      profile,
      network: { availabilityZones: ['us-west-2a', 'us-west-2b'] },
      environments: { production: {}, staging: {} },
      storage: false,
    });
    expect(addresses(synthJson(pattern))).toEqual(addresses(synthJson(byHand)));
  });
});

describe('deploy.yaml: stacks.cluster-aws.existingVpc', () => {
  const config = (vpc: string, extra = '') => `
domain: example.com
stacks:
  cluster-aws:
    existingVpc: ${vpc}
${extra}`;

  it('runs cluster-aws in the VPC it names', () => {
    const { stacks } = synthBundled(config('{ vpcId: vpc-0123456789abcdef0, publicSubnetIds: [subnet-0000000a, subnet-0000000b], privateSubnetIds: [subnet-0000000c, subnet-0000000d] }'));
    const json = stacks['cluster-aws'];
    expect(types(json).has('aws_vpc')).toBe(false);
    for (const group of resourcesOfType(json, 'aws_autoscaling_group')) expect(group.vpc_zone_identifier).toEqual(['subnet-0000000c', 'subnet-0000000d']);
  });

  it.each([
    ['{ vpcId: "vpc-${x}", publicSubnetIds: [subnet-0000000a, subnet-0000000b], privateSubnetIds: [subnet-0000000c, subnet-0000000d] }', 'stacks.cluster-aws.existingVpc.vpcId: got "vpc-${x}"'],
    ['{ vpcId: vpc-0123456789abcdef0, publicSubnetIds: [subnet-0000000a], privateSubnetIds: [subnet-0000000c, subnet-0000000d] }', 'stacks.cluster-aws.existingVpc.publicSubnetIds: got ["subnet-0000000a"]; expected two or more public subnet ids'],
    ['{ vpcId: vpc-0123456789abcdef0, publicSubnetIds: [subnet-0000000a, subnet-0000000b], privateSubnetIds: [subnet-0000000c, subnet-0000000c] }', 'stacks.cluster-aws.existingVpc.privateSubnetIds: got ["subnet-0000000c","subnet-0000000c"]; expected each subnet once'],
    ['{ vpcId: vpc-0123456789abcdef0, publicSubnetIds: [subnet-0000000a, subnet-0000000b], privateSubnetIds: ["subnet-0000000c; reboot", subnet-0000000d] }', 'stacks.cluster-aws.existingVpc.privateSubnetIds.0: got "subnet-0000000c; reboot"'],
  ])('refuses %s', (vpc, fragment) => {
    expect(configProblems(config(vpc))).toContain(fragment);
  });

  it('refuses availability zones beside an existing VPC', () => {
    const message = configProblems(config('{ vpcId: vpc-0123456789abcdef0, publicSubnetIds: [subnet-0000000a, subnet-0000000b], privateSubnetIds: [subnet-0000000c, subnet-0000000d] }', '    availabilityZones: [us-west-2a, us-west-2b]'));
    expect(message).toContain("stacks.cluster-aws.availabilityZones: got [\"us-west-2a\",\"us-west-2b\"]; expected none with existingVpc (its subnets' zones are used)");
  });
});

describe("production's deletion protection is an acknowledged opt-out", () => {
  const withDatabase = (stack: string, database: string) => `
domain: example.com
stacks:
  ${stack}:
${stack === 'cluster-aws' ? '' : '    project: shop-prod\n'}    database: { production: ${database} }
`;

  it.each(['cluster-aws', 'cluster-gcp', 'serverless-gcp'])('%s: false without a reason is refused; with one it is kept', (stack) => {
    expect(configProblems(withDatabase(stack, '{ deletionProtection: false }'))).toContain(
      `stacks.${stack}.database.production.deletionProtection: got false; expected true in production, or false with acknowledgeDataLoss beside it saying why`,
    );
    expect(() => synthBundled(withDatabase(stack, '{ deletionProtection: false, acknowledgeDataLoss: "demo project, restored from nightly dumps" }'))).not.toThrow();
  });

  it.each([
    ['{ acknowledgeDataLoss: "demo project, restored from dumps" }', 'acknowledgeDataLoss: got "demo project, restored from dumps"; expected none unless deletionProtection is false'],
    ['{ deletionProtection: false, acknowledgeDataLoss: "ok" }', 'acknowledgeDataLoss: got "ok"; expected a reason of three or more words'],
    ['{ deletionProtection: false, acknowledgeDataLoss: "fine by me\\n${file(\\"/etc/passwd\\")}" }', 'expected a reason of three or more words (10 to 300 letters'],
  ])('refuses %s', (database, fragment) => {
    expect(configProblems(withDatabase('cluster-aws', database))).toContain(fragment);
  });

  it('the patterns refuse it under the prop written', () => {
    expect(validationErrorOf(() => cluster({ environments: { production: { deletionProtection: false } } }))).toContain(
      'props.environments.production.deletionProtection: got false; expected true in production, or false with acknowledgeDataLoss',
    );
    const stack = gcpTestStack();
    const registry = new ContainerRegistry(stack, 'registry', { project: 'p-123456', location: 'us-central1', repositoryId: 'shop' });
    expect(
      validationErrorOf(() => new gcp.GcpServerCluster(stack, 'c', { project: 'p-123456', region: 'us-central1', namePrefix: 'shop', domain: 'shop.example.com', profile, registry, environments: { production: { deletionProtection: false } } })),
    ).toContain('props.environments.production.deletionProtection: got false');
  });
});

describe('cluster-aws with app.image', () => {
  const config = (egress: string) => `
domain: example.com
app: { image: "ghcr.io/shop/server:1.2" }
stacks:
  cluster-aws: { egress: ${egress} }
`;

  it('runs the image on every environment, without an ECR login', () => {
    const { stacks } = synthBundled(config('nat-gateway'));
    const json = stacks['cluster-aws'];
    expect(json.output.image_production.value).toBe('ghcr.io/shop/server:1.2');
  });

  it('refuses it with vpc-endpoints egress, which reaches no public registry', () => {
    expect(configProblems(config('vpc-endpoints'))).toContain('egress');
  });
});

describe('the Serverpod config output', () => {
  it('is written for a Serverpod profile only', () => {
    const stack = awsTestStack();
    const usEast1 = new AwsProvider(stack, 'us-east-1', { alias: 'us_east_1', region: 'us-east-1' });
    new aws.AwsServerCluster(stack, 'site', {
      region: 'us-west-2',
      namePrefix: 'site',
      domain: 'site.example.com',
      profile: perseusProfile({ name: 'site' }),
      network: { availabilityZones: ['us-west-2a', 'us-west-2b'] },
      environments: { production: {} },
      cdnProvider: usEast1,
    });
    const outputs = Object.keys(synthJson(stack).output);
    expect(outputs).toContain('production_web_url');
    expect(outputs.some((o) => o.endsWith('serverpod_config'))).toBe(false);
  });
});

describe('SERVERPOD_DEPLOY_DOMAIN and the stacks\' own domains', () => {
  it('moves a stack domain under the file\'s domain, and leaves one elsewhere', () => {
    const text = `
domain: examplepod.com
stacks:
  cluster-aws: { domain: aws.examplepod.com }
  serverless-gcp: { project: shop-prod, domain: run.other.org }
`;
    const config = parseConfig(text, { source: 'x', env: { SERVERPOD_DEPLOY_DOMAIN: 'mycompany.com' } });
    expect(config.domain).toBe('mycompany.com');
    expect(config.stacks['cluster-aws']!.domain).toBe('aws.mycompany.com');
    expect(config.stacks['serverless-gcp']!.domain).toBe('run.other.org');
    // A bad override is named by the variable, at the stack's field too.
    expect(validationErrorOf(() => parseConfig(text, { source: 'x', env: { SERVERPOD_DEPLOY_DOMAIN: 'https://x.com' } }))).toContain('stacks.cluster-aws.domain (from SERVERPOD_DEPLOY_DOMAIN)');
  });
});

describe('output names are never shared silently', () => {
  it('refuses a second pattern writing the same names, naming outputs.prefix', () => {
    const stack = awsTestStack();
    const { pattern } = cluster({}, stack);
    expect(pattern.node.path).toBe('test/cluster');
    const again = () => new aws.AwsServerCluster(stack, 'second', { region: 'us-west-2', namePrefix: 'shop2', domain: 'two.example.com', profile, network: { availabilityZones: ['us-west-2a', 'us-west-2b'] }, environments: { production: {} }, storage: false });
    expect(validationErrorOf(again)).toContain(
      'props.outputs.prefix: got ""; expected a prefix that keeps the output ecr_repository_url apart from the one "test/cluster" already writes',
    );
  });

  it('refuses a name the stack already outputs, and fails the synth for one added later', () => {
    const before = awsTestStack();
    new TerraformOutput(before, 'name_servers', { value: 'mine' });
    expect(validationErrorOf(() => cluster({}, before))).toContain('the output name_servers apart from the one "test/name_servers"');
    const after = awsTestStack();
    cluster({}, after);
    new TerraformOutput(after, 'production_api_url', { value: 'mine' });
    expect(() => Testing.synth(after, true)).toThrow(/are both named production_api_url/);
  });
});

describe('review fixes', () => {
  it('aws.ServerCluster holds production to the acknowledged opt-out too', () => {
    const stack = awsTestStack();
    const network = new aws.Network(stack, 'network', { name: 'p-shared-network', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'] });
    const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com', hostedZoneId: 'Z0123456789ABC' });
    const certificate = new aws.DnsValidatedCertificate(stack, 'certificate', { zone });
    const repository = new aws.ContainerRepository(stack, 'registry', { name: 'pod' });
    const common = { profile, project: 'pod', domain: 'example.com', region: 'us-west-2', network, zone, certificateArn: certificate.certificateArn, repository };
    expect(validationErrorOf(() => new aws.ServerCluster(stack, 'production', { ...common, environment: 'production', database: { deletionProtection: false } }))).toContain(
      'props.database.deletionProtection: got false; expected true in production, or false with acknowledgeDataLoss',
    );
    new aws.ServerCluster(stack, 'production2', { ...common, project: 'pod2', environment: 'production', database: { deletionProtection: false, acknowledgeDataLoss: 'load test copy, rebuilt weekly' } });
    const databases = resourcesOfType(synthJson(stack), 'aws_db_instance');
    expect(databases).toHaveLength(1);
    expect(databases[0].deletion_protection).toBe(false);
    expect(JSON.stringify(databases[0])).not.toContain('acknowledge');
  });

  it('refuses a port named storage, whose host, records and outputs the buckets use', () => {
    const text = `
domain: example.com
app: { preset: custom, image: "ghcr.io/shop/server:1.2", ports: [{ name: web, port: 3000 }, { name: storage, port: 3001, host: files }] }
stacks:
  cluster-aws: {}
`;
    expect(configProblems(text)).toContain('app.ports.1.name: got "storage"');
  });
});

describe('review fixes, config', () => {
  it('warns that vpcCidr and egress do nothing beside existingVpc, and lets app.image through there', () => {
    const text = `
domain: example.com
app: { image: "ghcr.io/shop/server:1.2" }
stacks:
  cluster-aws:
    vpcCidr: 10.20.0.0/16
    egress: vpc-endpoints
    existingVpc: { vpcId: vpc-0123456789abcdef0, publicSubnetIds: [subnet-0000000a, subnet-0000000b], privateSubnetIds: [subnet-0000000c, subnet-0000000d] }
`;
    const config = parseConfig(text, { source: 'x', env: {} });
    const warnings = configWarnings(config).map((w) => `${w.field} ${w.message}`);
    expect(warnings).toEqual(expect.arrayContaining([
      'stacks.cluster-aws.vpcCidr has no effect, as existingVpc is set (the stack creates no VPC)',
      'stacks.cluster-aws.egress has no effect, as existingVpc is set (the stack creates no VPC)',
    ]));
  });

  it('refuses both GCP stacks creating the private services access of one network', () => {
    const text = `
domain: example.com
stacks:
  cluster-gcp: { project: shop-prod, existingNetwork: { network: projects/host-proj/global/networks/shared, subnet: apps, privateServicesAccess: create } }
  serverless-gcp: { project: shop-prod, domain: run.example.com, existingNetwork: { network: shared, subnet: run, privateServicesAccess: create } }
`;
    expect(configProblems(text)).toContain('stacks.serverless-gcp.existingNetwork.privateServicesAccess: got "create"; expected existing, as stacks.cluster-gcp creates the private services access of the same network');
  });
});

it('refuses port 22 for a custom port (the hosts run sshd there)', () => {
  const text = `
domain: example.com
app: { preset: custom, image: "ghcr.io/shop/server:1.2", ports: [{ name: web, port: 22 }] }
stacks:
  cluster-aws: {}
`;
  expect(configProblems(text)).toContain("app.ports.0.port: got 22; expected a port other than 22 (the hosts' sshd holds it)");
});

describe('AwsServerCluster redis.engineVersion', () => {
  it('refuses Redis before 6, whose default user cannot log in by name (the servers use it: no AUTH token)', () => {
    const message = validationErrorOf(() => cluster({ redis: { engineVersion: '5.0.6' } }));
    expect(message).toContain('props.redis.engineVersion: got "5.0.6"; expected a Redis OSS version of 6.0 or later: 6.x or major.minor, such as 7.1 or 6.2');
    expect(() => cluster({ redis: { engineVersion: '6.2' } })).not.toThrow();
    // The AWS provider's form: 6.x, or major.minor from 7 (7.x and 10.1 fail only at plan).
    for (const bad of ['7.x', '10.1', '7']) expect(validationErrorOf(() => cluster({ redis: { engineVersion: bad } }))).toContain(`props.redis.engineVersion: got "${bad}"`);
    expect(() => cluster({ redis: { engineVersion: '6.x' } })).not.toThrow();
  });
});
