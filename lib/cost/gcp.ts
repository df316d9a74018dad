import { at, block, blocks } from '../guardrails/rule';
import { ModelResource, StackModel } from '../model/stack-model';
import { runsPerMonth } from './cron';
import { ComponentSpec, Pricer, PricingContext, CostRange, countOf, fixed, multiplierOf, num, resourceRegion, usdText } from './engine';
import { GCP_US_REGIONS, HOURS_PER_MONTH, SECONDS_PER_MONTH, findPrice } from './prices';

// How each Google Cloud resource type the stacks create is priced. Each function reads the resource's synthesized
// arguments (and the resources it refers to) and returns its cost components; the price table gives the prices.

const H = HOURS_PER_MONTH;
const times = (r: CostRange, k: number): CostRange => ({ min: r.min * k, max: r.max * k });
const plural = (n: number, word: string) => `${fmt(n)} ${word}${n === 1 ? '' : 's'}`;

/** A number for a component's name: `0.5`, `1,000`. */
export function fmt(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** `1`–`4`, or `1` when both ends are equal. */
function rangeText(r: CostRange): string {
  return r.min === r.max ? fmt(r.min) : `${fmt(r.min)}–${fmt(r.max)}`;
}

// --- Compute Engine ---------------------------------------------------------------------------------------------------

/** vCPUs and GB of memory of an E2 or N2 machine type; undefined for another family. */
export function machineShape(machineType: string): { family: 'e2' | 'n2'; vcpu: number; ram: number } | undefined {
  const type = machineType.split('/').pop()!;
  const shared: Record<string, [number, number]> = { 'e2-micro': [0.25, 1], 'e2-small': [0.5, 2], 'e2-medium': [1, 4] };
  if (shared[type]) return { family: 'e2', vcpu: shared[type][0], ram: shared[type][1] };
  const predefined = /^(e2|n2)-(standard|highmem|highcpu)-(\d+)$/.exec(type);
  if (predefined) {
    const vcpu = Number(predefined[3]);
    const perCpu = { standard: 4, highmem: 8, highcpu: 1 }[predefined[2] as 'standard' | 'highmem' | 'highcpu'];
    return { family: predefined[1] as 'e2' | 'n2', vcpu, ram: vcpu * perCpu };
  }
  const custom = /^(e2|n2)-custom-(\d+)-(\d+)$/.exec(type);
  if (custom) return { family: custom[1] as 'e2' | 'n2', vcpu: Number(custom[2]), ram: Number(custom[3]) / 1024 };
  return undefined;
}

interface VmDisk {
  readonly boot: boolean;
  readonly size: unknown;
  readonly type: unknown;
}

/** The components of `count` VMs of a machine type with disks and external addresses. */
function vmComponents(ctx: PricingContext, vm: { machineType: unknown; disks: readonly VmDisk[]; externalIps: number; count: CostRange; freeTier?: boolean }): ComponentSpec[] {
  const { machineType, disks, externalIps, count } = vm;
  const out: ComponentSpec[] = [];
  const hours = times(count, H);
  const type = typeof machineType === 'string' ? machineType.split('/').pop()! : undefined;
  const shape = type ? machineShape(type) : undefined;
  const usRegion = vm.freeTier !== false && ctx.region !== undefined && GCP_US_REGIONS.includes(ctx.region);
  const freeMicro = type === 'e2-micro' && usRegion;
  if (shape) {
    out.push({
      name: `instance hours (${type}: ${fmt(shape.vcpu)} vCPU, ${fmt(shape.ram)} GB)`,
      unit: 'hour',
      skus: [`gcp/compute/${shape.family}-vcpu`, `gcp/compute/${shape.family}-ram`],
      weights: [shape.vcpu, shape.ram],
      quantity: hours,
      ...(freeMicro ? { allowance: 'gcp/free/e2-micro-hours' } : {}),
    });
  } else {
    out.push({ name: `instance hours (${type ?? String(machineType)})`, unit: 'hour', skus: [], quantity: hours, unknownPrice: type ? `no price for machine type ${type} (the table has the E2 and N2 families)` : 'the machine type is only known at apply' });
  }
  for (const disk of disks) {
    const kind = String(disk.type ?? 'pd-standard');
    const given = countOf(disk.size, 'the disk size', undefined);
    const size = given ?? 10;
    const sizeNote = given === undefined ? 'size not set: the image size, taken as 10 GB' : undefined;
    const name = `${disk.boot ? 'boot disk' : 'disk'} (${kind}, ${fmt(size)} GB)`;
    if (!['pd-standard', 'pd-balanced', 'pd-ssd'].includes(kind)) {
      out.push({ name, unit: 'GB-month', skus: [], quantity: times(count, size), unknownPrice: `no price for disk type ${kind} (the table has pd-standard, pd-balanced, pd-ssd)` });
      continue;
    }
    const freeDisk = kind === 'pd-standard' && usRegion;
    out.push({ name, unit: 'GB-month', skus: [`gcp/disk/${kind}`], quantity: times(count, size), ...(freeDisk ? { allowance: 'gcp/free/pd-standard' } : {}), ...(sizeNote ? { note: sizeNote } : {}) });
  }
  if (externalIps > 0) out.push({ name: `external IPv4 address${externalIps > 1 ? 'es' : ''} (ephemeral, in use)`, unit: 'hour', skus: ['gcp/ip/vm-external'], quantity: times(count, H * externalIps), region: 'global' });
  return out;
}

/** External addresses of an instance's network interfaces that are not a reserved address priced on its own. */
function externalIpCount(stack: StackModel, networkInterfaces: unknown): number {
  let n = 0;
  // An access_config block, even an empty one (`access_config {}`), gives the VM an external address.
  for (const nic of blocks(networkInterfaces)) for (const config of blocks(nic.access_config)) if (!stack.referenced(config.nat_ip)) n++;
  return n;
}

/** The autoscalers of a group. */
function autoscalersOf(stack: StackModel, group: ModelResource): readonly ModelResource[] {
  return [...stack.referrers(group, 'google_compute_region_autoscaler'), ...stack.referrers(group, 'google_compute_autoscaler')];
}

/** How many instances a managed instance group runs: its autoscaler's minimum to maximum, or its target size. */
export function groupSize(stack: StackModel, group: ModelResource): { count: CostRange; note: string } {
  const scaler = autoscalersOf(stack, group)[0];
  if (scaler) {
    const policy = block(scaler.config.autoscaling_policy) ?? {};
    const min = countOf(policy.min_replicas, `${scaler.address} min_replicas`, 0);
    const max = countOf(policy.max_replicas, `${scaler.address} max_replicas`, min);
    return { count: { min, max }, note: `${rangeText({ min, max })} instances (autoscaler)` };
  }
  const size = countOf(group.config.target_size, 'target_size', 0);
  return { count: fixed(size), note: plural(size, 'instance') };
}

function templateOf(stack: StackModel, group: ModelResource): ModelResource | undefined {
  for (const version of blocks(group.config.version)) {
    const template = stack.referenced(version.instance_template);
    if (template) return template;
  }
  return stack.referenced(group.config.instance_template);
}

const instanceGroup: Pricer = (ctx) => {
  const { stack, resource } = ctx;
  const template = templateOf(stack, resource);
  const { count, note } = groupSize(stack, resource);
  if (!template) return { kind: 'unknown', note: 'its instance template is not a resource of the stack' };
  const { config } = template;
  return {
    kind: 'components',
    components: vmComponents(ctx, {
      machineType: config.machine_type,
      // The first disk is the boot disk unless one says otherwise.
      disks: blocks(config.disk).map((d, i) => ({ boot: d.boot === undefined ? i === 0 : d.boot === true || d.boot === 'true', size: d.disk_size_gb, type: d.disk_type })),
      externalIps: externalIpCount(stack, config.network_interface),
      count,
    }),
    note,
  };
};

const instance: Pricer = (ctx) => {
  const { config } = ctx.resource;
  const boot = block(config.boot_disk) ?? {};
  const params = block(boot.initialize_params) ?? {};
  const disks = boot.source ? [] : [{ boot: true, size: params.size, type: params.type }];
  const components = vmComponents(ctx, { machineType: config.machine_type, disks, externalIps: externalIpCount(ctx.stack, config.network_interface), count: fixed(1) });
  for (const scratch of blocks(config.scratch_disk)) components.push({ name: `local SSD (${String(scratch.interface ?? 'NVME')})`, unit: 'GB-month', skus: [], quantity: fixed(375), unknownPrice: 'no price for local SSD in the table' });
  return { kind: 'components', components };
};

const disk: Pricer = (ctx) => {
  const { config } = ctx.resource;
  const kind = String(config.type ?? 'pd-standard');
  const size = countOf(config.size, 'size', undefined);
  if (size === undefined) return { kind: 'components', components: [{ name: `disk (${kind})`, unit: 'GB-month', skus: [`gcp/disk/${kind}`], unknownQuantity: 'size not set (taken from its image or snapshot at apply)' }] };
  return { kind: 'components', components: vmComponents(ctx, { machineType: 'e2-micro', disks: [{ boot: false, size, type: kind }], externalIps: 0, count: fixed(1) }).slice(1) };
};

/** A template or autoscaler is priced with its group; on its own it costs nothing. */
const withGroup =
  (find: (stack: StackModel, resource: ModelResource) => ModelResource | undefined, alone: string): Pricer =>
  ({ stack, resource }) => {
    const group = find(stack, resource);
    return group ? { kind: 'included', note: `priced with ${group.address}` } : { kind: 'free', note: alone };
  };

const templateUser = (stack: StackModel, template: ModelResource) =>
  [...stack.referrers(template, 'google_compute_region_instance_group_manager'), ...stack.referrers(template, 'google_compute_instance_group_manager')][0];
const autoscalerTarget = (stack: StackModel, scaler: ModelResource) => stack.referenced(scaler.config.target);

// --- Load balancing and addresses -------------------------------------------------------------------------------------

const forwardingRule =
  (global: boolean): Pricer =>
  (ctx) => {
    const pool = `forwarding-rules:${ctx.project}${global ? ':global' : `:${ctx.region ?? '?'}`}`;
    const project = ctx.project.replace(/^gcp:/, '');
    // `count` / `for_each` make that many rules: each takes a place among the project's rules (the flat charge covers
    // the first five), rather than multiplying the flat charge.
    const rules = multiplierOf(ctx.resource);
    if (rules === undefined) return { kind: 'components', counted: true, components: [{ name: `forwarding rules of project ${project}`, unit: 'hour', skus: ['gcp/lb/forwarding-rules-first-5'], region: 'global', unknownQuantity: "the resource's count is only known at apply" }] };
    if (rules === 0) return { kind: 'components', counted: true, components: [] };
    const last = ctx.count(pool, rules);
    const start = last - rules + 1;
    const components: ComponentSpec[] = [];
    const span = (a: number, b: number) => (a === b ? `${a}` : `${a}–${b}`);
    if (start === 1) components.push({ name: `forwarding rules 1–5 of project ${project} (one flat charge)`, unit: 'hour', skus: ['gcp/lb/forwarding-rules-first-5'], quantity: fixed(H), region: 'global', ...(rules > 1 ? { note: `rules ${span(1, Math.min(5, last))} of the project` } : {}) });
    else if (start <= 5) components.push({ name: `forwarding rule${last > start && Math.min(5, last) > start ? 's' : ''} ${span(start, Math.min(5, last))} of project ${project} (in the flat charge)`, unit: 'hour', skus: ['gcp/lb/forwarding-rules-first-5'], quantity: fixed(0), region: 'global', note: `charged once, on ${ctx.first(pool)}` });
    const beyond = last - Math.max(5, start - 1);
    if (beyond > 0) components.push({ name: `forwarding rule${beyond > 1 ? 's' : ''} ${span(last - beyond + 1, last)} of project ${project} (beyond 5)`, unit: 'hour', skus: ['gcp/lb/forwarding-rule-additional'], quantity: fixed(beyond * H), region: 'global' });
    return { kind: 'components', counted: true, components };
  };

const address: Pricer = ({ stack, resource }) => {
  const { config } = resource;
  if ((config.address_type ?? 'EXTERNAL') !== 'EXTERNAL') return { kind: 'free', note: 'an internal address or range has no charge' };
  const users = stack.referencesTo(resource).map((r) => stack.resource(r.from)!);
  const rule = users.find((u) => u.type === 'google_compute_global_forwarding_rule' || u.type === 'google_compute_forwarding_rule');
  if (rule) return { kind: 'components', components: [{ name: 'static IPv4 address (used by a forwarding rule)', unit: 'hour', skus: ['gcp/ip/forwarding-rule'], quantity: fixed(H), region: 'global', note: `used by ${rule.address}` }] };
  if (users.some((u) => u.type === 'google_compute_router_nat')) return { kind: 'components', components: [{ name: 'static IPv4 address of a Cloud NAT gateway', unit: 'hour', skus: ['gcp/nat/ip'], quantity: fixed(H), region: 'global' }] };
  if (users.some((u) => u.type === 'google_compute_instance' || u.type.includes('instance_template'))) return { kind: 'components', components: [{ name: 'static IPv4 address in use on a VM', unit: 'hour', skus: ['gcp/ip/vm-external'], quantity: fixed(H), region: 'global' }] };
  return { kind: 'components', components: [{ name: 'static IPv4 address, reserved and not in use', unit: 'hour', skus: ['gcp/ip/static-unused'], quantity: fixed(H), region: 'global' }] };
};

const urlMap: Pricer = ({ resource }) => {
  const { config } = resource;
  if (config.default_url_redirect && !config.host_rule && !config.path_matcher) return { kind: 'free', note: 'a redirect-only URL map (HTTP to HTTPS): its traffic is negligible' };
  return {
    kind: 'components',
    components: [
      { name: 'data processed by the load balancer', unit: 'GiB', skus: ['gcp/lb/data-processed'], region: 'global', usage: { keys: ['data_processed_gb'], quantity: (get) => get('data_processed_gb') } },
      { name: 'internet egress through the load balancer (Premium Tier)', unit: 'GiB', skus: ['gcp/network/internet-egress'], region: 'global', allowance: 'gcp/free/egress', usage: { keys: ['egress_gb'], quantity: (get) => get('egress_gb') } },
    ],
  };
};

const cdnBackend: Pricer = ({ resource }) => {
  if (resource.config.enable_cdn !== true) return { kind: 'free', note: 'no charge without Cloud CDN (the load balancer is charged on its forwarding rules and URL map)' };
  return {
    kind: 'components',
    components: [
      { name: 'Cloud CDN cache egress', unit: 'GiB', skus: ['gcp/cdn/egress'], region: 'global', usage: { keys: ['cdn_egress_gb'], quantity: (get) => get('cdn_egress_gb') } },
      { name: 'Cloud CDN cache lookups', unit: '10k lookups', skus: ['gcp/cdn/lookups'], region: 'global', usage: { keys: ['cdn_lookups'], quantity: (get) => (get('cdn_lookups') === undefined ? undefined : get('cdn_lookups')! / 10000) } },
    ],
  };
};

// --- Cloud NAT ----------------------------------------------------------------------------------------------------------

/** The VMs of the stack in a region: every group's and instance's count there. */
function vmsIn(stack: StackModel, region: string | undefined): CostRange {
  let total: CostRange = fixed(0);
  const regionOf = (r: ModelResource) => resourceRegion(stack, r);
  for (const group of [...stack.ofType('google_compute_region_instance_group_manager'), ...stack.ofType('google_compute_instance_group_manager')]) {
    if (region !== undefined && regionOf(group) !== undefined && regionOf(group) !== region) continue;
    const { count } = groupSize(stack, group);
    total = { min: total.min + count.min, max: total.max + count.max };
  }
  for (const vm of stack.ofType('google_compute_instance')) {
    if (region !== undefined && regionOf(vm) !== undefined && regionOf(vm) !== region) continue;
    total = { min: total.min + 1, max: total.max + 1 };
  }
  return total;
}

const routerNat: Pricer = (ctx) => {
  const { config } = ctx.resource;
  const vms = vmsIn(ctx.stack, ctx.region);
  const components: ComponentSpec[] = [
    {
      name: `gateway, per VM using it (${rangeText(vms)} VMs of the stack in the region)`,
      unit: 'VM-hour',
      skus: ['gcp/nat/vm-hour'],
      quantity: times(vms, H),
      region: 'global',
      capUsd: (findPrice('gcp/nat/gateway-cap', 'global')?.usd ?? 0) * H,
      note: 'VMs only; Cloud Run instances using the NAT through Direct VPC egress are not counted',
    },
  ];
  if ((config.nat_ip_allocate_option ?? 'AUTO_ONLY') === 'AUTO_ONLY') {
    const ports = countOf(config.min_ports_per_vm, 'min_ports_per_vm', 64);
    const ips = (n: number) => Math.max(1, Math.ceil((n * ports) / 64512));
    components.push({ name: 'NAT IP addresses (allocated automatically)', unit: 'hour', skus: ['gcp/nat/ip'], quantity: { min: ips(vms.min) * H, max: ips(vms.max) * H }, region: 'global' });
  }
  components.push({ name: 'data processed', unit: 'GiB', skus: ['gcp/nat/data'], region: 'global', usage: { keys: ['data_processed_gb'], quantity: (get) => get('data_processed_gb') } });
  return { kind: 'components', components };
};

const subnetwork: Pricer = ({ resource }) => {
  if (!block(resource.config.log_config)) return { kind: 'free', note: 'a subnet has no charge' };
  return {
    kind: 'components',
    components: [{ name: 'VPC flow logs (Cloud Logging ingestion)', unit: 'GiB', skus: ['gcp/logging/ingestion'], region: 'global', allowance: 'gcp/free/logging', usage: { keys: ['flow_logs_gb'], quantity: (get) => get('flow_logs_gb') } }],
  };
};

// --- Cloud SQL, Memorystore ------------------------------------------------------------------------------------------------

const sqlInstance: Pricer = ({ resource }) => {
  const { config } = resource;
  const settings = block(config.settings) ?? {};
  const tier = String(settings.tier ?? '');
  const ha = settings.availability_type === 'REGIONAL';
  const suffix = ha ? '-ha' : '';
  const placement = ha ? 'regional (HA)' : 'zonal';
  const version = String(config.database_version ?? '');
  const major = Number(/^POSTGRES_(\d+)/.exec(version)?.[1] ?? 0);
  const edition = settings.edition as string | undefined;
  if (!version.startsWith('POSTGRES_') && !version.startsWith('MYSQL_')) return { kind: 'unknown', note: `no price for ${version || 'an unknown engine'} (the table has PostgreSQL and MySQL, whose instance prices are equal)` };
  if (edition === 'ENTERPRISE_PLUS' || (edition === undefined && major >= 16)) {
    return { kind: 'unknown', note: `Enterprise Plus edition${edition === undefined ? ' (the default of PostgreSQL 16 and later when edition is not set)' : ''}: not in the price table` };
  }
  const components: ComponentSpec[] = [];
  const custom = /^db-custom-(\d+)-(\d+)$/.exec(tier);
  if (tier === 'db-f1-micro' || tier === 'db-g1-small') components.push({ name: `instance (${tier}, ${placement})`, unit: 'hour', skus: [`gcp/sql/${tier}${suffix}`], quantity: fixed(H) });
  else if (custom) {
    const vcpu = Number(custom[1]);
    const ram = Number(custom[2]) / 1024;
    components.push({ name: `instance (${tier}: ${vcpu} vCPU, ${fmt(ram)} GB, ${placement})`, unit: 'hour', skus: [`gcp/sql/vcpu${suffix}`, `gcp/sql/ram${suffix}`], weights: [vcpu, ram], quantity: fixed(H) });
  } else components.push({ name: `instance (${tier || 'tier not set'})`, unit: 'hour', skus: [], quantity: fixed(H), unknownPrice: `no price for tier ${tier || '(not set)'} (the table has db-f1-micro, db-g1-small and db-custom-<vCPUs>-<MiB>)` });
  const diskType = settings.disk_type === 'PD_HDD' ? 'hdd' : 'ssd';
  const size = countOf(settings.disk_size, 'disk_size', 10);
  components.push({ name: `storage (${diskType.toUpperCase()}, ${fmt(size)} GB${ha ? ', HA' : ''})`, unit: 'GB-month', skus: [`gcp/sql/${diskType}${suffix}`], quantity: fixed(size) });
  if (settings.disk_autoresize !== false) {
    components.push({ name: 'storage growth (automatic disk increase)', unit: 'GB-month', skus: [`gcp/sql/${diskType}${suffix}`], usage: { keys: ['additional_storage_gb'], quantity: (get) => get('additional_storage_gb'), hint: 'the disk only grows' } });
  }
  const backups = block(settings.backup_configuration);
  if (backups?.enabled === true) {
    const kept = countOf(at(backups, 'backup_retention_settings.retained_backups'), 'retained_backups', 7);
    components.push({ name: `backups (${kept} kept${backups.point_in_time_recovery_enabled === true ? ', with point-in-time logs' : ''})`, unit: 'GB-month', skus: ['gcp/sql/backup'], usage: { keys: ['backup_storage_gb'], quantity: (get) => get('backup_storage_gb') } });
  }
  const ip = block(settings.ip_configuration);
  if (ip === undefined || ip.ipv4_enabled !== false) components.push({ name: 'public IPv4 address', unit: 'hour', skus: ['gcp/sql/ipv4'], quantity: { min: 0, max: H }, region: 'global' });
  return { kind: 'components', components };
};

const redisInstance: Pricer = ({ resource }) => {
  const { config } = resource;
  const tier = String(config.tier ?? 'BASIC');
  const size = countOf(config.memory_size_gb, 'memory_size_gb', undefined);
  if (size === undefined) return { kind: 'unknown', note: 'memory_size_gb is not set' };
  const sku = tier === 'STANDARD_HA' ? 'gcp/redis/standard-m1' : 'gcp/redis/basic-m1';
  const name = `${tier === 'STANDARD_HA' ? 'Standard (HA)' : 'Basic'} instance, ${fmt(size)} GB`;
  if (size > 4) return { kind: 'components', components: [{ name, unit: 'GB-hour', skus: [], quantity: fixed(size * H), unknownPrice: 'no price for capacity tiers above M1 (more than 4 GB)' }] };
  return { kind: 'components', components: [{ name, unit: 'GB-hour', skus: [sku], quantity: fixed(size * H) }] };
};

// --- Cloud Run, Cloud Scheduler --------------------------------------------------------------------------------------------

/** vCPUs of a Cloud Run CPU limit (`1`, `1000m`, `2`). */
export function cpuOf(value: unknown): number | undefined {
  if (value === undefined) return 1;
  const text = String(value);
  if (/^\d+(\.\d+)?m$/.test(text)) return Number(text.slice(0, -1)) / 1000;
  const n = num(text);
  return n !== undefined && n > 0 ? n : undefined;
}

/** GiB of a Kubernetes-style memory limit (`512Mi`, `1Gi`, `2G`). */
export function memoryOf(value: unknown): number | undefined {
  if (value === undefined) return 0.5;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(value));
  if (!m) return undefined;
  const factor: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12, '': 1 };
  return (Number(m[1]) * factor[m[2] ?? '']) / 2 ** 30;
}

function containerSize(containers: unknown): { cpu: number; memory: number; resources: boolean; cpuIdle: unknown } | undefined {
  let cpu = 0;
  let memory = 0;
  let resources = false;
  let cpuIdle: unknown;
  const list = blocks(containers);
  for (const container of list.length > 0 ? list : [{}]) {
    const res = block(container.resources);
    if (res) resources = true;
    if (res && res.cpu_idle !== undefined && cpuIdle === undefined) cpuIdle = res.cpu_idle;
    const limits = block(res?.limits) ?? {};
    const c = cpuOf(limits.cpu);
    const mem = memoryOf(limits.memory);
    if (c === undefined || mem === undefined) return undefined;
    cpu += c;
    memory += mem;
  }
  return { cpu, memory, resources, cpuIdle };
}

const runService: Pricer = ({ stack, resource }) => {
  const { config } = resource;
  const template = block(config.template) ?? {};
  const size = containerSize(template.containers);
  if (!size) return { kind: 'unknown', note: 'its CPU or memory limit is only known at apply' };
  const scaling = block(template.scaling) ?? {};
  const serviceScaling = block(config.scaling) ?? {};
  const min = Math.max(countOf(scaling.min_instance_count, 'min_instance_count', 0), countOf(serviceScaling.min_instance_count, 'scaling.min_instance_count', 0));
  const maxGiven = countOf(scaling.max_instance_count, 'max_instance_count', undefined);
  const max = Math.max(maxGiven ?? 100, min);
  const requestBased = size.cpuIdle === true || (!size.resources && size.cpuIdle === undefined);
  const S = SECONDS_PER_MONTH;
  const shape = `${fmt(size.cpu)} vCPU, ${fmt(size.memory)} GiB`;
  const maxNote = maxGiven === undefined ? "max_instance_count not set: Cloud Run's default of 100" : undefined;
  const components: ComponentSpec[] = [];
  if (requestBased) {
    if (min > 0) {
      const note = 'idle at the minimum, busy at the maximum';
      components.push({ name: `vCPU, ${plural(min, 'minimum instance')} (${shape})`, unit: 'vCPU-second', skus: ['gcp/run/request-cpu'], minSkus: ['gcp/run/idle-cpu'], quantity: fixed(min * S * size.cpu), allowance: 'gcp/free/run-request-cpu', note });
      components.push({ name: `memory, ${plural(min, 'minimum instance')}`, unit: 'GiB-second', skus: ['gcp/run/request-memory'], minSkus: ['gcp/run/idle-memory'], quantity: fixed(min * S * size.memory), allowance: 'gcp/free/run-request-memory', note });
    }
    if (max > min) {
      const above = max - min;
      const more = min > 0 ? 'more instance' : 'instance';
      components.push({ name: `vCPU, up to ${plural(above, more)} serving requests (${shape})`, unit: 'vCPU-second', skus: ['gcp/run/request-cpu'], quantity: { min: 0, max: above * S * size.cpu }, allowance: 'gcp/free/run-request-cpu', ...(maxNote ? { note: maxNote } : {}) });
      components.push({ name: `memory, up to ${plural(above, more)} serving requests`, unit: 'GiB-second', skus: ['gcp/run/request-memory'], quantity: { min: 0, max: above * S * size.memory }, allowance: 'gcp/free/run-request-memory' });
    }
    components.push({ name: 'requests', unit: '1M requests', skus: ['gcp/run/requests'], allowance: 'gcp/free/run-requests', usage: { keys: ['requests'], quantity: (get) => (get('requests') === undefined ? undefined : get('requests')! / 1e6) } });
  } else {
    const note = 'instance-based billing: CPU always allocated';
    components.push({ name: `vCPU, ${rangeText({ min, max })} instances (${shape})`, unit: 'vCPU-second', skus: ['gcp/run/instance-cpu'], quantity: { min: min * S * size.cpu, max: max * S * size.cpu }, allowance: 'gcp/free/run-instance-cpu', note: maxNote ? `${note}; ${maxNote}` : note });
    components.push({ name: `memory, ${rangeText({ min, max })} instances`, unit: 'GiB-second', skus: ['gcp/run/instance-memory'], quantity: { min: min * S * size.memory, max: max * S * size.memory }, allowance: 'gcp/free/run-instance-memory' });
  }
  const behindLoadBalancer = stack.referrers(resource, 'google_compute_region_network_endpoint_group').length > 0;
  if (!behindLoadBalancer) components.push({ name: 'internet egress (direct)', unit: 'GiB', skus: ['gcp/network/internet-egress'], region: 'global', allowance: 'gcp/free/egress', usage: { keys: ['egress_gb'], quantity: (get) => get('egress_gb') } });
  return { kind: 'components', components, note: requestBased ? 'request-based billing: CPU only while serving requests' : 'instance-based billing' };
};

/** Runs a month of a Cloud Run job from the Cloud Scheduler jobs of the stack that run it. */
function scheduledRuns(stack: StackModel, job: ModelResource): number | undefined {
  const name = job.config.name;
  if (typeof name !== 'string') return undefined;
  let runs: number | undefined;
  for (const schedule of stack.ofType('google_cloud_scheduler_job')) {
    const uri = at(schedule.config, 'http_target.uri');
    if (typeof uri !== 'string' || !uri.includes(`/jobs/${name}:run`) || schedule.config.paused === true) continue;
    const perMonth = typeof schedule.config.schedule === 'string' ? runsPerMonth(schedule.config.schedule) : undefined;
    if (perMonth === undefined) return undefined;
    runs = (runs ?? 0) + perMonth;
  }
  return runs;
}

const runJob: Pricer = ({ stack, resource, region }) => {
  const outer = block(resource.config.template) ?? {};
  const inner = block(outer.template) ?? {};
  const size = containerSize(inner.containers);
  if (!size) return { kind: 'unknown', note: 'its CPU or memory limit is only known at apply' };
  const tasks = countOf(outer.task_count, 'task_count', 1);
  const scheduled = scheduledRuns(stack, resource);
  const quantity = (per: number) => (get: (key: string) => number | undefined) => {
    const runs = get('executions') ?? scheduled;
    const seconds = get('seconds_per_execution');
    return runs === undefined || seconds === undefined ? undefined : runs * seconds * tasks * per;
  };
  const hint = (sku: string, per: number) => {
    const price = findPrice(sku, region)?.usd;
    if (scheduled === undefined || price === undefined) return 'give executions and seconds_per_execution';
    return `${fmt(Math.round(scheduled))} runs a month from its schedule: ${usdText(scheduled * tasks * per * price)} a month per second a run takes`;
  };
  const keys = ['executions', 'seconds_per_execution'];
  return {
    kind: 'components',
    components: [
      { name: `vCPU (${fmt(size.cpu)} vCPU × ${plural(tasks, 'task')})`, unit: 'vCPU-second', skus: ['gcp/run/instance-cpu'], allowance: 'gcp/free/run-instance-cpu', usage: { keys, quantity: quantity(size.cpu), hint: hint('gcp/run/instance-cpu', size.cpu) } },
      { name: `memory (${fmt(size.memory)} GiB)`, unit: 'GiB-second', skus: ['gcp/run/instance-memory'], allowance: 'gcp/free/run-instance-memory', usage: { keys, quantity: quantity(size.memory), hint: hint('gcp/run/instance-memory', size.memory) } },
    ],
    note: scheduled === undefined ? 'runs on demand' : `${fmt(Math.round(scheduled))} scheduled runs a month`,
  };
};

const schedulerJob: Pricer = () => ({ kind: 'components', components: [{ name: 'job', unit: 'job-month', skus: ['gcp/scheduler/job'], quantity: fixed(1), region: 'global', allowance: 'gcp/free/scheduler-jobs' }] });

// --- Secrets, DNS, storage, registry ------------------------------------------------------------------------------------------

const secretVersion: Pricer = ({ stack, resource }) => {
  const secret = stack.referenced(resource.config.secret);
  const replication = secret ? block(secret.config.replication) : undefined;
  const replicas = blocks(block(replication?.user_managed)?.replicas).length;
  const locations = replicas > 0 ? replicas : 1;
  return {
    kind: 'components',
    components: [{ name: `active version (${locations === 1 ? (replicas === 1 ? '1 location' : 'automatic replication: billed as 1 location') : `${locations} locations`})`, unit: 'version-month', skus: ['gcp/secrets/version'], quantity: fixed(locations), region: 'global', allowance: 'gcp/free/secret-versions' }],
  };
};

const dnsZone: Pricer = (ctx) => {
  const n = ctx.count(`dns-zones:${ctx.project}`);
  const project = ctx.project.replace(/^gcp:/, '');
  const visibility = ctx.resource.config.visibility === 'private' ? 'private' : 'public';
  return {
    kind: 'components',
    components: [
      { name: `${visibility} managed zone (zone ${n} of project ${project})`, unit: 'zone-month', skus: [n <= 25 ? 'gcp/dns/zone-first-25' : 'gcp/dns/zone-over-25'], quantity: fixed(1), region: 'global' },
      { name: 'queries', unit: '1M queries', skus: ['gcp/dns/queries'], region: 'global', usage: { keys: ['queries'], quantity: (get) => (get('queries') === undefined ? undefined : get('queries')! / 1e6) } },
    ],
  };
};

const bucket: Pricer = ({ resource }) => {
  const location = String(resource.config.location ?? 'US').toLowerCase();
  const kind = String(resource.config.storage_class ?? 'STANDARD').toLowerCase();
  const multi = location === 'us' || location === 'eu';
  const sku = multi ? (kind === 'standard' ? `gcp/gcs/standard-${location}` : undefined) : `gcp/gcs/${kind}-regional`;
  const name = `${kind} storage (${multi ? `${location.toUpperCase()} multi-region` : location})`;
  const usage = { keys: ['storage_gb'], quantity: (get: (key: string) => number | undefined) => get('storage_gb') };
  if (!sku) return { kind: 'components', components: [{ name, unit: 'GB-month', skus: [], usage, unknownPrice: `no price for ${kind} storage in ${location}` }] };
  const free = kind === 'standard' && GCP_US_REGIONS.includes(location);
  return { kind: 'components', components: [{ name, unit: 'GB-month', skus: [sku], region: location, usage, ...(free ? { allowance: 'gcp/free/gcs-standard' } : {}), note: 'operations and retrieval not included' }] };
};

const registry: Pricer = () => ({
  kind: 'components',
  components: [{ name: 'image storage', unit: 'GB-month', skus: ['gcp/artifact-registry/storage'], region: 'global', allowance: 'gcp/free/artifact-registry', usage: { keys: ['storage_gb'], quantity: (get) => get('storage_gb') } }],
});

const connector: Pricer = (ctx) => {
  const { config } = ctx.resource;
  const throughputInstances = (t: unknown, what: string) => {
    const mbps = countOf(t, what, undefined);
    return mbps === undefined ? undefined : Math.ceil(mbps / 100);
  };
  const min = countOf(config.min_instances, 'min_instances', undefined) ?? throughputInstances(config.min_throughput, 'min_throughput') ?? 2;
  const max = countOf(config.max_instances, 'max_instances', undefined) ?? throughputInstances(config.max_throughput, 'max_throughput') ?? 10;
  const components = vmComponents(ctx, { machineType: config.machine_type ?? 'e2-micro', disks: [], externalIps: 0, count: { min, max }, freeTier: false });
  return { kind: 'components', components, note: `${rangeText({ min, max })} Compute Engine instances (Serverless VPC Access connector)` };
};

/** The pricing code of the Google Cloud resource types. */
export const GCP_PRICERS: Readonly<Record<string, Pricer>> = {
  google_compute_region_instance_group_manager: instanceGroup,
  google_compute_instance_group_manager: instanceGroup,
  google_compute_instance: instance,
  google_compute_disk: disk,
  google_compute_instance_template: withGroup(templateUser, 'an instance template costs nothing by itself'),
  google_compute_region_instance_template: withGroup(templateUser, 'an instance template costs nothing by itself'),
  google_compute_region_autoscaler: withGroup(autoscalerTarget, 'an autoscaler costs nothing by itself'),
  google_compute_autoscaler: withGroup(autoscalerTarget, 'an autoscaler costs nothing by itself'),
  google_compute_global_forwarding_rule: forwardingRule(true),
  google_compute_forwarding_rule: forwardingRule(false),
  google_compute_global_address: address,
  google_compute_address: address,
  google_compute_url_map: urlMap,
  google_compute_backend_service: cdnBackend,
  google_compute_backend_bucket: cdnBackend,
  google_compute_router_nat: routerNat,
  google_compute_subnetwork: subnetwork,
  google_sql_database_instance: sqlInstance,
  google_redis_instance: redisInstance,
  google_cloud_run_v2_service: runService,
  google_cloud_run_v2_job: runJob,
  google_cloud_scheduler_job: schedulerJob,
  google_secret_manager_secret_version: secretVersion,
  google_dns_managed_zone: dnsZone,
  google_storage_bucket: bucket,
  google_artifact_registry_repository: registry,
  google_vpc_access_connector: connector,
};

/** Google resource types priced as global (their price does not depend on a region). */
export const GCP_GLOBAL_TYPES: readonly string[] = [
  'google_compute_global_forwarding_rule',
  'google_compute_global_address',
  'google_compute_url_map',
  'google_compute_backend_service',
  'google_compute_backend_bucket',
  'google_dns_managed_zone',
  'google_secret_manager_secret_version',
  'google_cloud_scheduler_job',
];
