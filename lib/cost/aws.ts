import { block, blocks } from '../guardrails/rule';
import { ModelResource, StackModel } from '../model/stack-model';
import { ComponentSpec, Pricer, CostRange, countOf, fixed, flagOf, num, UnknownValue } from './engine';
import { fmt } from './gcp';
import { HOURS_PER_MONTH } from './prices';

// How each AWS resource type the stacks create is priced, from its synthesized arguments and the resources it
// refers to; the price table gives the prices.

const H = HOURS_PER_MONTH;
const times = (r: CostRange, k: number): CostRange => ({ min: r.min * k, max: r.max * k });
const rangeText = (r: CostRange) => (r.min === r.max ? fmt(r.min) : `${fmt(r.min)}–${fmt(r.max)}`);
const perUsage = (key: string, divisor = 1) => ({ keys: [key], quantity: (get: (key: string) => number | undefined) => (get(key) === undefined ? undefined : get(key)! / divisor) });
const BURSTABLE = /^t(3|3a|4g)\./;

/** The instance type, volumes and public address of a launch template or instance, as components for `count` instances. */
function ec2Components(instanceType: unknown, volumes: readonly { size: unknown; type: unknown; assumed?: string }[], publicIp: boolean, credits: unknown, count: CostRange): ComponentSpec[] {
  const out: ComponentSpec[] = [];
  const type = typeof instanceType === 'string' && !instanceType.includes('${') ? instanceType : undefined;
  const hours = times(count, H);
  out.push({
    name: `instance hours (${type ?? 'type known at apply'})`,
    unit: 'hour',
    skus: [`aws/ec2/${type}`],
    quantity: hours,
    ...(type ? {} : { unknownPrice: 'the instance type is only known at apply' }),
  });
  for (const volume of volumes) {
    const kind = String(volume.type ?? 'gp3');
    const size = countOf(volume.size, 'the volume size', undefined);
    const name = `EBS volume (${kind}, ${size === undefined ? 'size known at apply' : `${fmt(size)} GB`})`;
    if (size === undefined) out.push({ name, unit: 'GB-month', skus: [`aws/ebs/${kind}`], unknownQuantity: 'the volume size is only known at apply' });
    else if (kind !== 'gp3' && kind !== 'gp2') out.push({ name, unit: 'GB-month', skus: [], quantity: times(count, size), unknownPrice: `no price for ${kind} volumes (the table has gp3 and gp2)` });
    else out.push({ name, unit: 'GB-month', skus: [`aws/ebs/${kind}`], quantity: times(count, size), ...(volume.assumed ? { note: volume.assumed } : {}) });
  }
  if (publicIp) out.push({ name: 'public IPv4 address', unit: 'hour', skus: ['aws/ipv4/public'], quantity: hours, region: 'global' });
  if (type && BURSTABLE.test(type) && block(credits)?.cpu_credits !== 'standard') {
    out.push({ name: 'surplus CPU credits (unlimited mode)', unit: 'vCPU-hour', skus: ['aws/ec2/cpu-credits'], usage: { ...perUsage('cpu_credit_vcpu_hours'), hint: 'only while the average CPU stays above the baseline' } });
  }
  return out;
}

function launchTemplateVolumes(template: ModelResource): { size: unknown; type: unknown; assumed?: string }[] {
  const mappings = blocks(template.config.block_device_mappings);
  if (mappings.length === 0) return [{ size: 8, type: 'gp3', assumed: "no block_device_mappings: the image's root volume, taken as 8 GB gp3 (Amazon Linux 2023)" }];
  return mappings.filter((m) => block(m.ebs)).map((m) => ({ size: block(m.ebs)!.volume_size, type: block(m.ebs)!.volume_type ?? 'gp2' }));
}

function launchTemplatePublicIp(template: ModelResource): boolean {
  return blocks(template.config.network_interfaces).some((n) => n.associate_public_ip_address === true || n.associate_public_ip_address === 'true');
}

/** How many instances an Auto Scaling group runs: minimum to maximum with scaling policies, else its desired capacity. */
export function asgSize(stack: StackModel, group: ModelResource): { count: CostRange; note: string } {
  const min = countOf(group.config.min_size, 'min_size', 0);
  const max = countOf(group.config.max_size, 'max_size', min);
  const desired = countOf(group.config.desired_capacity, 'desired_capacity', undefined);
  const scaled = stack.referrers(group, 'aws_autoscaling_policy').length > 0 || stack.referrers(group, 'aws_autoscaling_schedule').length > 0;
  if (!scaled && desired !== undefined) return { count: fixed(desired), note: `${fmt(desired)} instance${desired === 1 ? '' : 's'} (no scaling policy; max_size ${fmt(max)} leaves room for replacements)` };
  return { count: { min, max }, note: `${rangeText({ min, max })} instances (Auto Scaling)` };
}

function groupTemplate(stack: StackModel, group: ModelResource): ModelResource | undefined {
  const direct = block(group.config.launch_template);
  const mixed = block(block(block(group.config.mixed_instances_policy)?.launch_template)?.launch_template_specification);
  for (const spec of [direct, mixed]) {
    if (!spec) continue;
    const found = stack.referenced(spec.id) ?? stack.referenced(spec.name);
    if (found) return found;
  }
  return stack.referenced(group.config.launch_configuration);
}

const autoscalingGroup: Pricer = ({ stack, resource }) => {
  const template = groupTemplate(stack, resource);
  if (!template) return { kind: 'unknown', note: 'its launch template is not a resource of the stack' };
  const { count, note } = asgSize(stack, resource);
  const { config } = template;
  const overrides = blocks(block(resource.config.mixed_instances_policy)?.override);
  const instanceType = overrides.length > 0 ? overrides[0].instance_type : config.instance_type;
  const volumes = template.type === 'aws_launch_configuration' ? [{ size: block(config.root_block_device)?.volume_size ?? 8, type: block(config.root_block_device)?.volume_type ?? 'gp3' }] : launchTemplateVolumes(template);
  const publicIp = template.type === 'aws_launch_configuration' ? config.associate_public_ip_address === true : launchTemplatePublicIp(template);
  return { kind: 'components', components: ec2Components(instanceType, volumes, publicIp, config.credit_specification, count), note };
};

const ec2Instance: Pricer = ({ resource }) => {
  const { config } = resource;
  const root = block(config.root_block_device);
  return {
    kind: 'components',
    components: ec2Components(config.instance_type, [{ size: root?.volume_size ?? 8, type: root?.volume_type ?? 'gp3', ...(root?.volume_size === undefined ? { assumed: "the image's root volume, taken as 8 GB" } : {}) }], config.associate_public_ip_address === true, config.credit_specification, fixed(1)),
  };
};

const ebsVolume: Pricer = ({ resource }) => ({ kind: 'components', components: ec2Components('-', [{ size: resource.config.size, type: resource.config.type ?? 'gp3' }], false, undefined, fixed(1)).slice(1) });

const launchTemplateUser = (stack: StackModel, template: ModelResource) =>
  stack.referrers(template, 'aws_autoscaling_group')[0] ?? stack.ofType('aws_autoscaling_group').find((g) => groupTemplate(stack, g)?.address === template.address);

const launchTemplate: Pricer = ({ stack, resource }) => {
  const group = launchTemplateUser(stack, resource);
  return group ? { kind: 'included', note: `priced with ${group.address}` } : { kind: 'free', note: 'a launch template costs nothing by itself' };
};

const dbInstance: Pricer = ({ resource }) => {
  const { config } = resource;
  const engine = String(config.engine ?? '');
  const cls = String(config.instance_class ?? '');
  if (engine !== 'postgres') return { kind: 'unknown', note: `no price for engine ${engine || '(not set)'} (the table has RDS for PostgreSQL)` };
  const multiAz = flagOf(config.multi_az, 'multi_az', false);
  const components: ComponentSpec[] = [{ name: `instance (${cls}, ${multiAz ? 'Multi-AZ' : 'single-AZ'})`, unit: 'hour', skus: [`aws/rds/postgres/${cls}${multiAz ? '-multi-az' : ''}`], quantity: fixed(H) }];
  const storageType = String(config.storage_type ?? (config.iops !== undefined ? 'io1' : 'gp2'));
  const size = countOf(config.allocated_storage, 'allocated_storage', undefined);
  const storageSku = `aws/rds/storage-gp${multiAz ? '-multi-az' : ''}`;
  if (size === undefined) components.push({ name: `storage (${storageType})`, unit: 'GB-month', skus: [storageSku], unknownQuantity: 'allocated_storage is only known at apply' });
  else if (storageType !== 'gp2' && storageType !== 'gp3') components.push({ name: `storage (${storageType}, ${fmt(size)} GB)`, unit: 'GB-month', skus: [], quantity: fixed(size), unknownPrice: `no price for ${storageType} storage (the table has gp2 and gp3)` });
  else components.push({ name: `storage (${storageType}, ${fmt(size)} GB${multiAz ? ', Multi-AZ' : ''})`, unit: 'GB-month', skus: [storageSku], quantity: fixed(size) });
  const maxStorage = countOf(config.max_allocated_storage, 'max_allocated_storage', undefined);
  if (size !== undefined && maxStorage !== undefined && maxStorage > size) {
    components.push({ name: `storage growth (autoscaling, up to ${fmt(maxStorage)} GB)`, unit: 'GB-month', skus: [storageSku], usage: { ...perUsage('additional_storage_gb'), hint: `at most ${fmt(maxStorage - size)} GB more` } });
  }
  if (countOf(config.backup_retention_period, 'backup_retention_period', 1) > 0) components.push({ name: 'backup storage beyond the database size', unit: 'GB-month', skus: ['aws/rds/backup'], usage: perUsage('backup_storage_gb') });
  if (config.manage_master_user_password === true) components.push({ name: 'master password secret (Secrets Manager, managed by RDS)', unit: 'secret-month', skus: ['aws/secretsmanager/secret'], quantity: fixed(1), region: 'global' });
  if (config.publicly_accessible === true) components.push({ name: 'public IPv4 address', unit: 'hour', skus: ['aws/ipv4/public'], quantity: fixed(H), region: 'global' });
  return { kind: 'components', components };
};

const cacheNodes = (engine: string, nodeType: unknown, nodes: number | undefined): ComponentSpec[] => {
  const kind = engine === 'valkey' ? 'valkey' : 'redis';
  const type = String(nodeType ?? '');
  if (engine !== 'redis' && engine !== 'valkey') return [{ name: `${engine} nodes`, unit: 'node-hour', skus: [], quantity: fixed(H), unknownPrice: `no price for engine ${engine} (the table has Redis OSS and Valkey)` }];
  if (nodes === undefined) return [{ name: `${type} nodes (${kind === 'valkey' ? 'Valkey' : 'Redis OSS'})`, unit: 'node-hour', skus: [`aws/elasticache/${kind}/${type}`], unknownQuantity: 'the number of nodes is only known at apply' }];
  return [{ name: `${type} nodes (${fmt(nodes)}, ${kind === 'valkey' ? 'Valkey' : 'Redis OSS'})`, unit: 'node-hour', skus: [`aws/elasticache/${kind}/${type}`], quantity: fixed(nodes * H) }];
};

const replicationGroup: Pricer = ({ resource }) => {
  const { config } = resource;
  const groups = countOf(config.num_node_groups, 'num_node_groups', 1);
  const replicas = countOf(config.replicas_per_node_group, 'replicas_per_node_group', 0);
  const nodes = countOf(config.num_cache_clusters, 'num_cache_clusters', groups * (replicas + 1));
  return { kind: 'components', components: cacheNodes(String(config.engine ?? 'redis'), config.node_type, nodes) };
};

const cacheCluster: Pricer = ({ stack, resource }) => {
  const { config } = resource;
  const group = stack.referenced(config.replication_group_id);
  if (group) return { kind: 'included', note: `a node of ${group.address}, priced there` };
  return { kind: 'components', components: cacheNodes(String(config.engine ?? 'redis'), config.node_type, countOf(config.num_cache_nodes, 'num_cache_nodes', 1)) };
};

const loadBalancer: Pricer = ({ resource }) => {
  const { config } = resource;
  const kind = String(config.load_balancer_type ?? 'application');
  if (kind !== 'application') return { kind: 'unknown', note: `no price for ${kind} load balancers (the table has Application Load Balancers)` };
  const components: ComponentSpec[] = [{ name: 'Application Load Balancer hours', unit: 'hour', skus: ['aws/alb/hour'], quantity: fixed(H) }];
  const internal = flagOf(config.internal, 'internal', false);
  if (!internal) {
    if (config.subnets !== undefined && !Array.isArray(config.subnets)) throw new UnknownValue('its subnets are only known at apply');
    if (config.subnet_mapping !== undefined && !Array.isArray(config.subnet_mapping) && block(config.subnet_mapping) === undefined) throw new UnknownValue('its subnet_mapping is only known at apply');
    const zones = Array.isArray(config.subnets) ? config.subnets.length : blocks(config.subnet_mapping).length;
    components.push({ name: `public IPv4 addresses (one per zone: ${zones})`, unit: 'hour', skus: ['aws/ipv4/public'], quantity: fixed(zones * H), region: 'global' });
  }
  components.push({ name: 'load balancer capacity units', unit: 'LCU-hour', skus: ['aws/alb/lcu'], usage: { keys: ['lcus'], quantity: (get) => (get('lcus') === undefined ? undefined : get('lcus')! * H), hint: 'lcus is the average an hour' } });
  if (!internal) components.push({ name: 'data transfer out to the internet', unit: 'GB', skus: ['aws/data-transfer/internet-out'], allowance: 'aws/free/internet-out', usage: perUsage('egress_gb') });
  return { kind: 'components', components };
};

const natGateway: Pricer = ({ stack, resource }) => {
  const eip = stack.referenced(resource.config.allocation_id);
  return {
    kind: 'components',
    components: [
      { name: 'NAT gateway hours', unit: 'hour', skus: ['aws/nat/hour'], quantity: fixed(H), ...(eip ? { note: `its public IPv4 is priced on ${eip.address}` } : {}) },
      { name: 'data processed', unit: 'GB', skus: ['aws/nat/data'], usage: perUsage('data_processed_gb') },
    ],
  };
};

const eip: Pricer = () => ({ kind: 'components', components: [{ name: 'public IPv4 address (Elastic IP)', unit: 'hour', skus: ['aws/ipv4/public'], quantity: fixed(H), region: 'global' }] });

const cloudfront: Pricer = () => ({
  kind: 'components',
  components: [
    { name: 'data transfer out to viewers', unit: 'GB', skus: ['aws/cloudfront/egress'], region: 'global', allowance: 'aws/free/cloudfront-egress', usage: perUsage('egress_gb') },
    { name: 'HTTPS requests', unit: '10k requests', skus: ['aws/cloudfront/https-requests'], region: 'global', allowance: 'aws/free/cloudfront-requests', usage: perUsage('requests', 10000) },
  ],
});

const route53Zone: Pricer = (ctx) => {
  const n = ctx.count(`route53-zones:${ctx.project}`);
  return {
    kind: 'components',
    components: [
      { name: `hosted zone (zone ${n} of the account)`, unit: 'zone-month', skus: [n <= 25 ? 'aws/route53/zone-first-25' : 'aws/route53/zone-over-25'], quantity: fixed(1), region: 'global' },
      { name: 'queries', unit: '1M queries', skus: ['aws/route53/queries'], region: 'global', usage: perUsage('queries', 1e6) },
    ],
  };
};

const secret: Pricer = ({ resource }) => {
  const copies = 1 + blocks(resource.config.replica).length;
  return {
    kind: 'components',
    components: [
      { name: copies === 1 ? 'secret' : `secret and ${copies - 1} replica${copies === 2 ? '' : 's'}`, unit: 'secret-month', skus: ['aws/secretsmanager/secret'], quantity: fixed(copies), region: 'global' },
      { name: 'API calls', unit: '10k calls', skus: ['aws/secretsmanager/api'], region: 'global', usage: perUsage('api_calls', 10000) },
    ],
  };
};

const ecr: Pricer = () => ({ kind: 'components', components: [{ name: 'image storage', unit: 'GB-month', skus: ['aws/ecr/storage'], region: 'global', usage: perUsage('storage_gb') }] });

const logGroup: Pricer = ({ resource }) => {
  const retention = num(resource.config.retention_in_days);
  return {
    kind: 'components',
    components: [
      { name: 'logs ingested', unit: 'GB', skus: ['aws/logs/ingestion'], allowance: 'aws/free/logs', usage: perUsage('ingested_gb') },
      { name: `logs stored (${retention ? `kept ${retention} days` : 'kept forever'})`, unit: 'GB-month', skus: ['aws/logs/storage'], usage: perUsage('stored_gb') },
    ],
  };
};

const flowLog: Pricer = ({ stack, resource }) => {
  const kind = String(resource.config.log_destination_type ?? 'cloud-watch-logs');
  if (kind !== 'cloud-watch-logs') return { kind: 'unknown', note: `no price for flow logs delivered to ${kind} (the table has delivery to CloudWatch Logs)` };
  const group = stack.referenced(resource.config.log_destination) ?? stack.referenced(resource.config.log_group_name);
  return { kind: 'included', note: group ? `its logs are charged as ingestion and storage of ${group.address} (ingested_gb, stored_gb)` : 'its logs are charged on the CloudWatch log group they go to' };
};

const vpcEndpoint: Pricer = ({ resource }) => {
  const { config } = resource;
  const kind = String(config.vpc_endpoint_type ?? 'Gateway');
  if (kind === 'Gateway') return { kind: 'free', note: 'gateway endpoints (S3, DynamoDB) have no charge' };
  if (kind !== 'Interface') return { kind: 'unknown', note: `no price for ${kind} endpoints (the table has interface endpoints)` };
  const zones = Array.isArray(config.subnet_ids) ? config.subnet_ids.length : undefined;
  const service = String(config.service_name ?? '').split('.').slice(3).join('.') || 'endpoint';
  return {
    kind: 'components',
    components: [
      { name: `interface endpoint ${service} (${zones === undefined ? 'zones known at apply' : `${zones} zone${zones === 1 ? '' : 's'}`})`, unit: 'AZ-hour', skus: ['aws/vpce/interface-az-hour'], ...(zones === undefined ? { unknownQuantity: 'its subnets are only known at apply' } : { quantity: fixed(zones * H) }) },
      { name: 'data processed', unit: 'GB', skus: ['aws/vpce/data'], usage: perUsage('data_processed_gb') },
    ],
  };
};

const kmsKey: Pricer = () => ({
  kind: 'components',
  components: [
    { name: 'customer managed key', unit: 'key-month', skus: ['aws/kms/key'], quantity: fixed(1), region: 'global' },
    { name: 'requests', unit: '10k requests', skus: ['aws/kms/requests'], region: 'global', usage: perUsage('requests', 10000) },
  ],
});

const s3Bucket: Pricer = () => ({ kind: 'components', components: [{ name: 'S3 Standard storage', unit: 'GB-month', skus: ['aws/s3/standard'], usage: perUsage('storage_gb'), note: 'requests and retrieval not included' }] });

/** The pricing code of the AWS resource types. */
export const AWS_PRICERS: Readonly<Record<string, Pricer>> = {
  aws_autoscaling_group: autoscalingGroup,
  aws_instance: ec2Instance,
  aws_ebs_volume: ebsVolume,
  aws_launch_template: launchTemplate,
  aws_launch_configuration: launchTemplate,
  aws_db_instance: dbInstance,
  aws_elasticache_replication_group: replicationGroup,
  aws_elasticache_cluster: cacheCluster,
  aws_lb: loadBalancer,
  aws_alb: loadBalancer,
  aws_nat_gateway: natGateway,
  aws_eip: eip,
  aws_cloudfront_distribution: cloudfront,
  aws_route53_zone: route53Zone,
  aws_secretsmanager_secret: secret,
  aws_ecr_repository: ecr,
  aws_cloudwatch_log_group: logGroup,
  aws_vpc_endpoint: vpcEndpoint,
  aws_flow_log: flowLog,
  aws_kms_key: kmsKey,
  aws_s3_bucket: s3Bucket,
};

/** AWS resource types priced as global. */
export const AWS_GLOBAL_TYPES: readonly string[] = ['aws_cloudfront_distribution', 'aws_route53_zone'];
