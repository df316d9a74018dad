import { AWS_PRICERS } from '../lib/cost/aws';
import { GCP_PRICERS } from '../lib/cost/gcp';
import { CostComponent, CostEstimate, CostEstimateOptions, FREE_ALLOWANCES, FREE_RESOURCE_TYPES, PRICE_TABLE, CostRange, ResourceCost, estimateCosts, findPrice, isPricedType, parseCostUsage, priceTableDate, runsPerMonth } from '../lib/cost';
import { StackModel } from '../lib/model/stack-model';
import { AWS_PROVIDER, FixtureResources, GCP_PROVIDER, cloudRunWithDomainMappings, fixtureModel, serverpodModuleDefaults } from './helpers/cost-fixtures';
import { synthBundled } from './helpers/synth';
import { FULL_AWS_CONFIG, FULL_CONFIG, MINIMAL_CONFIG } from './fixtures';

// The offline cost estimate (lib/cost): the seed's table reproduced, each priced type's components, ranges,
// project-wide prices, the free tier, usage, and resources without a known price.

const H = 730;
const TODAY = new Date('2026-12-01T00:00:00Z');

function estimate(resources: FixtureResources, options: CostEstimateOptions & { provider?: Record<string, unknown[]>; environments?: Record<string, string> } = {}): CostEstimate {
  const { provider, environments, ...rest } = options;
  return estimateCosts([fixtureModel('demo', resources, { provider: provider ?? GCP_PROVIDER, environments })], { today: TODAY, ...rest });
}

function resource(e: CostEstimate, address: string): ResourceCost {
  const found = e.stacks.flatMap((s) => s.resources).find((r) => r.address === address);
  if (!found) throw new Error(`no ${address} in the estimate`);
  return found;
}

function component(r: ResourceCost, name: RegExp): CostComponent {
  const found = r.components.find((c) => name.test(c.name));
  if (!found) throw new Error(`no component ${name} of ${r.address}: ${r.components.map((c) => c.name).join(', ')}`);
  return found;
}

/** A range to the cent. */
function expectRange(actual: CostRange | undefined, min: number, max = min): void {
  expect(actual).toBeDefined();
  expect(actual!.min).toBeCloseTo(min, 2);
  expect(actual!.max).toBeCloseTo(max, 2);
}

const price = (sku: string, region = 'us-central1') => findPrice(sku, region)!.usd;
const e2 = (vcpu: number, ram: number, region = 'us-central1') => vcpu * price('gcp/compute/e2-vcpu', region) + ram * price('gcp/compute/e2-ram', region);

describe("the seed's table (Serverpod's 'Choosing deployment strategy')", () => {
  // Serverpod's GCP module at its defaults: Compute Engine $7, Cloud Load Balancing $19, Cloud SQL $10 a month,
  // at list prices, 730 hours, no free tier, rounded up to the dollar.
  const e = estimate(serverpodModuleDefaults());
  const group = resource(e, 'google_compute_instance_group_manager.serverpod');

  it('prices the e2-micro with its 10 GB standard disk at $6.51 a month: $7', () => {
    const hours = component(group, /^instance hours \(e2-micro/);
    const disk = component(group, /^boot disk \(pd-standard, 10 GB\)/);
    // e2-micro: 0.25 vCPU × $0.02181159 + 1 GB × $0.00292353 = $0.0083764275 an hour; × 730 h = $6.1148.
    expect(hours.unitPrice!.min).toBeCloseTo(0.25 * 0.02181159 + 0.00292353, 9);
    expectRange(hours.monthly, 0.0083764275 * H, 0.0083764275 * H * 2);
    // No disk size: the image's 10 GB, pd-standard (the template's default) at $0.04 per GB-month = $0.40.
    expectRange(disk.monthly, 0.4, 0.8);
    expect(disk.note).toMatch(/10 GB/);
    const seed = hours.monthly!.min + disk.monthly!.min;
    expect(seed).toBeCloseTo(6.5148, 3);
    expect(Math.ceil(seed)).toBe(7);
    // The autoscaler allows a second instance: the range runs to twice that.
    expect(hours.quantity).toEqual({ min: H, max: 2 * H });
  });

  it("prices the four forwarding rules as one flat charge for the first five: $18.25 a month, $19", () => {
    const rules = ['api', 'insights', 'web', 'storage'].map((h) => resource(e, `google_compute_global_forwarding_rule.${h}`));
    const total = rules.reduce((sum, r) => sum + r.monthly.min, 0);
    // $0.025 an hour × 730 h = $18.25 for rules 1 to 5 together; rules 2 to 4 add nothing.
    expect(total).toBeCloseTo(0.025 * H, 6);
    expect(rules.map((r) => r.monthly.min)).toEqual([18.25, 0, 0, 0]);
    expect(rules[1].components[0].name).toMatch(/in the flat charge/);
    expect(Math.ceil(total)).toBe(19);
  });

  it('prices db-f1-micro, zonal, with its 10 GB SSD at $9.37 a month: $10', () => {
    const db = resource(e, 'google_sql_database_instance.serverpod');
    const instance = component(db, /^instance \(db-f1-micro, zonal\)/);
    const storage = component(db, /^storage \(SSD, 10 GB\)/);
    // $0.0105 an hour × 730 h = $7.665; 10 GB × $0.17 = $1.70.
    expectRange(instance.monthly, 7.665);
    expectRange(storage.monthly, 1.7);
    const seed = instance.monthly!.min + storage.monthly!.min;
    expect(seed).toBeCloseTo(9.365, 6);
    expect(Math.ceil(seed)).toBe(10);
  });

  it('prices what the seed left out, apart: the VM external IP, Cloud SQL public IPv4 (maximum only), backups (usage)', () => {
    expectRange(component(group, /^external IPv4/).monthly, 0.005 * H, 0.005 * H * 2);
    const db = resource(e, 'google_sql_database_instance.serverpod');
    expectRange(component(db, /^public IPv4/).monthly, 0, 0.01 * H);
    expect(component(db, /^backups/).monthly).toBeUndefined();
    expect(component(db, /^backups/).dependsOnUsage).toBe('$0.08 per GB-month');
  });

  it('prices Cloud Run at min instances 0 with domain mappings at $0, plus Cloud SQL $10', () => {
    const run = estimate(cloudRunWithDomainMappings());
    const service = resource(run, 'google_cloud_run_v2_service.api');
    expect(service.monthly.min).toBe(0);
    // Request-based billing (no resources block): up to 3 instances busy all month at $0.000024/vCPU-s, 0.5 GiB at $0.0000025/GiB-s.
    expectRange(service.monthly, 0, 3 * H * 3600 * (0.000024 + 0.5 * 0.0000025));
    for (const mapping of ['api', 'insights', 'app']) expect(resource(run, `google_cloud_run_domain_mapping.${mapping}`).status).toBe('free');
    const db = resource(run, 'google_sql_database_instance.serverpod');
    expect(Math.ceil(db.monthly.min)).toBe(10);
    expect(Math.ceil(run.stacks[0].monthly.min)).toBe(10);
  });
});

describe('component breakdown of each priced resource type', () => {
  const covered = new Set<string>();
  const types = (resources: FixtureResources) => Object.keys(resources).forEach((t) => covered.add(t));
  const gcp = (resources: FixtureResources, options: Parameters<typeof estimate>[1] = {}) => {
    types(resources);
    return estimate(resources, options);
  };
  const aws = (resources: FixtureResources, options: Parameters<typeof estimate>[1] = {}) => {
    types(resources);
    return estimate(resources, { provider: AWS_PROVIDER, ...options });
  };

  const template = (machine: string, extra: Record<string, unknown> = {}) => ({ machine_type: machine, disk: [{ boot: true, disk_size_gb: 20, disk_type: 'pd-balanced' }], network_interface: [{ subnetwork: 'default' }], ...extra });

  it('google_compute_region_instance_group_manager: instances from the autoscaler minimum to maximum, with disks', () => {
    const e = gcp({
      google_compute_instance_template: { t: template('e2-small') },
      google_compute_region_instance_group_manager: { g: { region: 'us-central1', version: [{ instance_template: '${google_compute_instance_template.t.id}' }] } },
      google_compute_region_autoscaler: { a: { region: 'us-central1', target: '${google_compute_region_instance_group_manager.g.id}', autoscaling_policy: { min_replicas: 1, max_replicas: 4 } } },
    });
    const g = resource(e, 'google_compute_region_instance_group_manager.g');
    expect(g.note).toBe('1–4 instances (autoscaler)');
    const hours = component(g, /instance hours \(e2-small: 0.5 vCPU, 2 GB\)/);
    expect(hours.quantity).toEqual({ min: H, max: 4 * H });
    expectRange(hours.monthly, e2(0.5, 2) * H, e2(0.5, 2) * H * 4);
    expectRange(component(g, /boot disk \(pd-balanced, 20 GB\)/).monthly, 20 * 0.1, 80 * 0.1);
    expect(resource(e, 'google_compute_instance_template.t').status).toBe('included');
    expect(resource(e, 'google_compute_region_autoscaler.a').status).toBe('included');
    expectRange(e.stacks[0].monthly, (e2(0.5, 2) * H + 2) * 1, (e2(0.5, 2) * H + 2) * 4);
  });

  it('google_compute_instance_group_manager: a fixed target size; an N2 type; ephemeral external addresses', () => {
    const e = gcp({
      google_compute_instance_template: { t: { machine_type: 'n2-standard-2', disk: [{ source_image: 'debian-cloud/debian-12' }], network_interface: [{ access_config: {} }] } },
      google_compute_instance_group_manager: { g: { zone: 'us-central1-a', target_size: 2, version: [{ instance_template: '${google_compute_instance_template.t.id}' }] } },
    });
    const g = resource(e, 'google_compute_instance_group_manager.g');
    expectRange(component(g, /instance hours \(n2-standard-2: 2 vCPU, 8 GB\)/).monthly, 2 * H * (2 * 0.031611 + 8 * 0.004237));
    expectRange(component(g, /boot disk \(pd-standard, 10 GB\)/).monthly, 2 * 10 * 0.04);
    expectRange(component(g, /external IPv4/).monthly, 2 * H * 0.005);
  });

  it('google_compute_instance: machine, boot disk; google_compute_disk: size and type', () => {
    const e = gcp({
      google_compute_instance: { vm: { zone: 'us-central1-b', machine_type: 'e2-medium', boot_disk: { initialize_params: { size: 30, type: 'pd-ssd' } }, network_interface: [{ network: 'default' }] } },
      google_compute_disk: { data: { zone: 'us-central1-b', size: 100, type: 'pd-balanced' }, sized_later: { zone: 'us-central1-b', image: 'debian-cloud/debian-12' } },
    });
    const vm = resource(e, 'google_compute_instance.vm');
    expectRange(component(vm, /instance hours \(e2-medium: 1 vCPU, 4 GB\)/).monthly, e2(1, 4) * H);
    expectRange(component(vm, /boot disk \(pd-ssd, 30 GB\)/).monthly, 30 * 0.17);
    expect(vm.components.some((c) => /IPv4/.test(c.name))).toBe(false);
    expectRange(component(resource(e, 'google_compute_disk.data'), /disk \(pd-balanced, 100 GB\)/).monthly, 10);
    const later = resource(e, 'google_compute_disk.sized_later');
    expect(later.status).toBe('unknown');
    expect(later.components[0].unknown).toMatch(/size not set/);
  });

  it('google_compute_instance_template and google_compute_region_autoscaler alone cost nothing; google_compute_autoscaler is counted with its group', () => {
    const e = gcp({
      google_compute_instance_template: { alone: template('e2-micro') },
      google_compute_region_instance_template: { alone: template('e2-micro', { region: 'us-central1' }) },
      google_compute_region_autoscaler: { alone: { region: 'us-central1', target: 'projects/p/regions/us-central1/instanceGroupManagers/elsewhere', autoscaling_policy: { min_replicas: 1, max_replicas: 2 } } },
    });
    expect(resource(e, 'google_compute_instance_template.alone').status).toBe('free');
    expect(resource(e, 'google_compute_region_instance_template.alone').status).toBe('free');
    expect(resource(e, 'google_compute_region_autoscaler.alone').status).toBe('free');
    const seed = estimate(serverpodModuleDefaults());
    expect(resource(seed, 'google_compute_autoscaler.serverpod')).toMatchObject({ status: 'included', note: 'priced with google_compute_instance_group_manager.serverpod' });
    covered.add('google_compute_autoscaler');
    covered.add('google_compute_instance_group_manager');
  });

  it('google_compute_global_forwarding_rule and google_compute_forwarding_rule: rules 1–5 of a project one flat charge, then $0.01 an hour each', () => {
    const rules = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`r${i + 1}`, { port_range: '443', target: 'x' }]));
    const e = gcp({
      google_compute_global_forwarding_rule: rules,
      google_compute_forwarding_rule: { internal: { region: 'us-central1', load_balancing_scheme: 'INTERNAL_MANAGED', target: 'x' } },
    });
    const monthly = Object.keys(rules).map((r) => resource(e, `google_compute_global_forwarding_rule.${r}`).monthly.min);
    expect(monthly).toEqual([18.25, 0, 0, 0, 0, 7.3, 7.3]);
    expect(component(resource(e, 'google_compute_global_forwarding_rule.r3'), /rule 3 of project demo-project/).note).toBe('charged once, on demo: google_compute_global_forwarding_rule.r1');
    // A regional rule is counted per region: its own first-five charge.
    expectRange(resource(e, 'google_compute_forwarding_rule.internal').monthly, 18.25);
  });

  it('google_compute_global_forwarding_rule: stacks of one project share the first five; another project pays its own', () => {
    const stack = (name: string, project: string) => fixtureModel(name, { google_compute_global_forwarding_rule: { http: { target: 'x' }, https: { target: 'y' } } }, { provider: { google: [{ project, region: 'us-central1' }] } });
    const shared = estimateCosts([stack('one', 'p1'), stack('two', 'p1'), stack('three', 'p2')], { today: TODAY });
    expect(shared.stacks.map((s) => s.monthly.min)).toEqual([18.25, 0, 18.25]);
  });

  it('google_compute_global_address and google_compute_address: free on a forwarding rule, charged reserved and unused, on a NAT or a VM', () => {
    const e = gcp({
      google_compute_global_address: { lb: { address_type: 'EXTERNAL' }, idle: {}, peering: { address_type: 'INTERNAL', purpose: 'VPC_PEERING' } },
      google_compute_global_forwarding_rule: { r: { ip_address: '${google_compute_global_address.lb.address}', target: 'x' } },
      google_compute_address: { nat: { region: 'us-central1' }, vm: { region: 'us-central1' } },
      google_compute_router_nat: { n: { region: 'us-central1', router: 'r', nat_ip_allocate_option: 'MANUAL_ONLY', nat_ips: ['${google_compute_address.nat.self_link}'] } },
      google_compute_instance: { vm: { zone: 'us-central1-a', machine_type: 'e2-micro', boot_disk: { initialize_params: { size: 10 } }, network_interface: [{ access_config: [{ nat_ip: '${google_compute_address.vm.address}' }] }] } },
    });
    expectRange(resource(e, 'google_compute_global_address.lb').monthly, 0);
    expect(component(resource(e, 'google_compute_global_address.lb'), /forwarding rule/).confidence).toBe('unconfirmed');
    expectRange(resource(e, 'google_compute_global_address.idle').monthly, 0.01 * H);
    expect(resource(e, 'google_compute_global_address.peering').status).toBe('free');
    expectRange(resource(e, 'google_compute_address.nat').monthly, 0.005 * H);
    expectRange(resource(e, 'google_compute_address.vm').monthly, 0.005 * H);
    // The VM's address is the reserved one, priced there: not twice.
    expect(resource(e, 'google_compute_instance.vm').components.some((c) => /IPv4/.test(c.name))).toBe(false);
    // A MANUAL_ONLY NAT's addresses are the reserved ones: no automatic NAT IP.
    expect(resource(e, 'google_compute_router_nat.n').components.some((c) => /NAT IP/.test(c.name))).toBe(false);
  });

  it('google_compute_url_map: data processed and egress from the usage file; a redirect-only map is free', () => {
    const usage = parseCostUsage('resources:\n  google_compute_url_map.main: { data_processed_gb: 100, egress_gb: 50 }\n');
    const e = gcp({ google_compute_url_map: { main: { default_service: 'x' }, redirect: { default_url_redirect: { https_redirect: true } } } }, { usage });
    const main = resource(e, 'google_compute_url_map.main');
    expectRange(component(main, /data processed/).monthly, 100 * 0.008);
    expectRange(component(main, /internet egress/).monthly, 50 * 0.12);
    expectRange(main.monthly, 0.8 + 6);
    expect(e.stacks[0].usageMonthly.max).toBeCloseTo(6.8, 6);
    expect(resource(e, 'google_compute_url_map.redirect').status).toBe('free');
  });

  it('google_compute_backend_service and google_compute_backend_bucket: Cloud CDN by usage; free without it', () => {
    const e = gcp({ google_compute_backend_service: { cdn: { enable_cdn: true }, plain: { enable_cdn: false } }, google_compute_backend_bucket: { cdn: { enable_cdn: true, bucket_name: 'b' } } });
    const cdn = resource(e, 'google_compute_backend_service.cdn');
    expect(cdn.status).toBe('usage');
    expect(component(cdn, /cache egress/)).toMatchObject({ usageKey: 'cdn_egress_gb', dependsOnUsage: '$0.08 per GiB' });
    expect(component(cdn, /lookups/)).toMatchObject({ usageKey: 'cdn_lookups', dependsOnUsage: '$0.0075 per 10k lookups' });
    expect(resource(e, 'google_compute_backend_service.plain').status).toBe('free');
    expect(resource(e, 'google_compute_backend_bucket.cdn').status).toBe('usage');
    expect(e.stacks[0].monthly).toEqual({ min: 0, max: 0 });
  });

  it('google_compute_router_nat: per VM of the region from the groups, one automatic address, data by usage; capped above 32 VMs', () => {
    const group = (min: number, max: number): FixtureResources => ({
      google_compute_instance_template: { t: template('e2-micro') },
      google_compute_region_instance_group_manager: { g: { region: 'us-central1', version: [{ instance_template: '${google_compute_instance_template.t.id}' }] } },
      google_compute_region_autoscaler: { a: { region: 'us-central1', target: '${google_compute_region_instance_group_manager.g.id}', autoscaling_policy: { min_replicas: min, max_replicas: max } } },
      google_compute_router_nat: { n: { region: 'us-central1', router: 'r', nat_ip_allocate_option: 'AUTO_ONLY' } },
    });
    const e = gcp(group(1, 3));
    const nat = resource(e, 'google_compute_router_nat.n');
    expectRange(component(nat, /per VM/).monthly, H * 0.0014, 3 * H * 0.0014);
    expectRange(component(nat, /NAT IP/).monthly, H * 0.005);
    expect(component(nat, /data processed/).usageKey).toBe('data_processed_gb');
    const big = resource(gcp(group(10, 40)), 'google_compute_router_nat.n');
    expectRange(component(big, /per VM/).monthly, 10 * H * 0.0014, 0.044 * H);
  });

  it('google_compute_subnetwork: VPC flow logs by usage; free without logging', () => {
    const usage = parseCostUsage('defaults:\n  google_compute_subnetwork: { flow_logs_gb: 10 }\n');
    const e = gcp({ google_compute_subnetwork: { logged: { region: 'us-central1', log_config: { aggregation_interval: 'INTERVAL_5_MIN' } }, quiet: { region: 'us-central1' } } }, { usage });
    expectRange(resource(e, 'google_compute_subnetwork.logged').monthly, 5);
    expect(resource(e, 'google_compute_subnetwork.quiet').status).toBe('free');
  });

  it('google_sql_database_instance: custom tier, regional (HA), HDD, public IPv4 in the maximum; Enterprise Plus has no price', () => {
    const e = gcp({
      google_sql_database_instance: {
        custom: { region: 'us-central1', database_version: 'POSTGRES_15', settings: { tier: 'db-custom-2-7680', availability_type: 'REGIONAL', disk_type: 'PD_HDD', disk_size: 50, disk_autoresize: false } },
        plus: { region: 'us-central1', database_version: 'POSTGRES_16', settings: { tier: 'db-perf-optimized-N-2', edition: 'ENTERPRISE_PLUS' } },
        unset: { region: 'us-central1', database_version: 'POSTGRES_17', settings: { tier: 'db-f1-micro' } },
        small: { region: 'us-central1', database_version: 'POSTGRES_17', settings: { tier: 'db-g1-small', edition: 'ENTERPRISE', ip_configuration: { ipv4_enabled: false } } },
      },
    });
    const custom = resource(e, 'google_sql_database_instance.custom');
    // 2 vCPU × $0.0826 + 7.5 GB × $0.014 (regional: twice the zonal price) an hour.
    expectRange(component(custom, /db-custom-2-7680: 2 vCPU, 7.5 GB, regional \(HA\)/).monthly, H * (2 * 0.0826 + 7.5 * 0.014));
    expectRange(component(custom, /storage \(HDD, 50 GB, HA\)/).monthly, 50 * 0.18);
    expectRange(component(custom, /public IPv4/).monthly, 0, 0.01 * H);
    expect(custom.components.some((c) => /growth/.test(c.name))).toBe(false);
    expect(resource(e, 'google_sql_database_instance.plus')).toMatchObject({ status: 'unknown', monthly: { min: 0, max: 0 } });
    expect(resource(e, 'google_sql_database_instance.unset').note).toMatch(/default of PostgreSQL 16 and later/);
    const small = resource(e, 'google_sql_database_instance.small');
    expectRange(small.monthly, 0.035 * H + 10 * 0.17);
    expect(component(small, /storage growth/).usageKey).toBe('additional_storage_gb');
  });

  it('google_redis_instance: Basic and Standard M1 per GB-hour; larger tiers and other regions have no price', () => {
    const e = gcp({
      google_redis_instance: {
        basic: { region: 'us-central1', tier: 'BASIC', memory_size_gb: 1 },
        ha: { region: 'us-central1', tier: 'STANDARD_HA', memory_size_gb: 2 },
        big: { region: 'us-central1', tier: 'BASIC', memory_size_gb: 5 },
        eu: { region: 'europe-west1', tier: 'BASIC', memory_size_gb: 1 },
      },
    });
    expectRange(resource(e, 'google_redis_instance.basic').monthly, 0.049 * H);
    expectRange(resource(e, 'google_redis_instance.ha').monthly, 2 * 0.064 * H);
    expect(resource(e, 'google_redis_instance.big').components[0].unknown).toMatch(/above M1/);
    expect(resource(e, 'google_redis_instance.eu').components[0].unknown).toMatch(/no price for gcp\/redis\/basic-m1 in europe-west1/);
  });

  it('google_cloud_run_v2_service: request-based from idle minimum to busy maximum; instance-based always allocated; requests by usage', () => {
    const usage = parseCostUsage('resources:\n  google_cloud_run_v2_service.warm: { requests: 5000000 }\n');
    const e = gcp(
      {
        google_cloud_run_v2_service: {
          warm: { location: 'us-central1', template: { containers: [{ resources: { cpu_idle: true, limits: { cpu: '2', memory: '1Gi' } } }], scaling: { min_instance_count: 1, max_instance_count: 3 } } },
          always: { location: 'us-central1', template: { containers: [{ resources: { cpu_idle: false, limits: { cpu: '1000m', memory: '512Mi' } } }], scaling: { min_instance_count: 1, max_instance_count: 2 } } },
        },
      },
      { usage },
    );
    const S = H * 3600;
    const warm = resource(e, 'google_cloud_run_v2_service.warm');
    // The minimum instance: idle at $0.0000025/vCPU-s and /GiB-s in the least case, busy at the request rates in the most.
    const minCpu = component(warm, /^vCPU, 1 minimum instance/);
    expect(minCpu.unitPrice).toEqual({ min: 0.0000025, max: 0.000024 });
    expectRange(minCpu.monthly, S * 2 * 0.0000025, S * 2 * 0.000024);
    expectRange(component(warm, /^vCPU, up to 2 more instances/).monthly, 0, 2 * S * 2 * 0.000024);
    expectRange(component(warm, /^memory, up to 2 more/).monthly, 0, 2 * S * 1 * 0.0000025);
    expectRange(component(warm, /^requests/).monthly, 5 * 0.4);
    // Not behind a load balancer: its own egress line.
    expect(component(warm, /internet egress/).usageKey).toBe('egress_gb');
    const always = resource(e, 'google_cloud_run_v2_service.always');
    expectRange(component(always, /^vCPU, 1–2 instances/).monthly, S * 0.000018, 2 * S * 0.000018);
    expectRange(component(always, /^memory, 1–2 instances/).monthly, S * 0.5 * 0.000002, 2 * S * 0.5 * 0.000002);
    expect(always.components.some((c) => c.name === 'requests')).toBe(false);
  });

  it('google_cloud_run_v2_job: runs from its Cloud Scheduler job, seconds from the usage file; google_cloud_scheduler_job $0.10', () => {
    const resources: FixtureResources = {
      google_cloud_run_v2_job: { m: { name: 'maintenance', location: 'us-central1', template: { task_count: 1, template: { containers: [{ resources: { limits: { cpu: '1', memory: '512Mi' } } }] } } } },
      google_cloud_scheduler_job: { s: { region: 'us-central1', schedule: '*/5 * * * *', http_target: { uri: 'https://run.googleapis.com/v2/projects/p/locations/us-central1/jobs/maintenance:run' } } },
    };
    const without = gcp(resources);
    const job = resource(without, 'google_cloud_run_v2_job.m');
    expect(job.status).toBe('usage');
    expect(job.note).toBe('8,760 scheduled runs a month');
    // 8,760 runs × 1 vCPU × $0.000018 = $0.15768 a month per second a run takes.
    expect(component(job, /^vCPU/).dependsOnUsage).toBe('$0.000018 per vCPU-second; 8,760 runs a month from its schedule: $0.15768 a month per second a run takes');
    const withUsage = gcp(resources, { usage: parseCostUsage('defaults:\n  google_cloud_run_v2_job: { seconds_per_execution: 10 }\n') });
    expectRange(component(resource(withUsage, 'google_cloud_run_v2_job.m'), /^vCPU/).monthly, 8760 * 10 * 0.000018);
    expectRange(component(resource(withUsage, 'google_cloud_run_v2_job.m'), /^memory/).monthly, 8760 * 10 * 0.5 * 0.000002);
    expectRange(resource(without, 'google_cloud_scheduler_job.s').monthly, 0.1);
  });

  it('google_secret_manager_secret_version: per location (automatic replication is one); the secret itself is free', () => {
    const e = gcp({
      google_secret_manager_secret: { auto: { secret_id: 'a', replication: { auto: {} } }, two: { secret_id: 'b', replication: { user_managed: { replicas: [{ location: 'us-central1' }, { location: 'us-east1' }] } } } },
      google_secret_manager_secret_version: { auto: { secret: '${google_secret_manager_secret.auto.id}', secret_data: 'x' }, two: { secret: '${google_secret_manager_secret.two.id}', secret_data: 'y' } },
    });
    expectRange(resource(e, 'google_secret_manager_secret_version.auto').monthly, 0.06);
    expectRange(resource(e, 'google_secret_manager_secret_version.two').monthly, 0.12);
    expect(resource(e, 'google_secret_manager_secret.auto').status).toBe('free');
  });

  it('google_dns_managed_zone: $0.20 for the first 25 zones of a project, $0.10 after; queries by usage', () => {
    const zones = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`z${i + 1}`, { dns_name: `z${i}.example.com.` }]));
    const e = gcp({ google_dns_managed_zone: zones });
    expectRange(resource(e, 'google_dns_managed_zone.z1').monthly, 0.2);
    expectRange(resource(e, 'google_dns_managed_zone.z25').monthly, 0.2);
    expectRange(resource(e, 'google_dns_managed_zone.z26').monthly, 0.1);
    expect(component(resource(e, 'google_dns_managed_zone.z1'), /queries/).dependsOnUsage).toBe('$0.40 per 1M queries');
  });

  it('google_storage_bucket: storage by usage, by class and location; an unknown location has no price', () => {
    const usage = parseCostUsage('defaults:\n  google_storage_bucket: { storage_gb: 100 }\n');
    const e = gcp({ google_storage_bucket: { regional: { location: 'US-CENTRAL1' }, multi: { location: 'US' }, cold: { location: 'us-east1', storage_class: 'COLDLINE' }, far: { location: 'ASIA-EAST1' } } }, { usage });
    expectRange(resource(e, 'google_storage_bucket.regional').monthly, 2);
    expectRange(resource(e, 'google_storage_bucket.multi').monthly, 2.6);
    expectRange(resource(e, 'google_storage_bucket.cold').monthly, 0.4);
    expect(resource(e, 'google_storage_bucket.far').status).toBe('unknown');
  });

  it('google_artifact_registry_repository: storage by usage', () => {
    const e = gcp({ google_artifact_registry_repository: { r: { location: 'us-central1', format: 'DOCKER' } } }, { usage: parseCostUsage('defaults:\n  google_artifact_registry_repository: { storage_gb: 5 }\n') });
    expectRange(resource(e, 'google_artifact_registry_repository.r').monthly, 0.5);
  });

  it('google_vpc_access_connector: its Compute Engine instances, minimum to maximum', () => {
    const e = gcp({ google_vpc_access_connector: { c: { region: 'us-central1', machine_type: 'e2-micro', min_instances: 2, max_instances: 3 } } });
    expectRange(resource(e, 'google_vpc_access_connector.c').monthly, 2 * H * e2(0.25, 1), 3 * H * e2(0.25, 1));
  });

  it('aws_autoscaling_group: minimum to maximum with a scaling policy, its desired capacity without one', () => {
    const e = aws({
      aws_launch_template: {
        scaled: { instance_type: 't3.small', block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 20, volume_type: 'gp3' } }] },
        fixed: { instance_type: 't4g.micro' },
      },
      aws_autoscaling_group: {
        scaled: { min_size: 1, max_size: 4, launch_template: { id: '${aws_launch_template.scaled.id}', version: '$Latest' } },
        fixed: { min_size: 1, max_size: 2, desired_capacity: 1, launch_template: { id: '${aws_launch_template.fixed.id}' } },
      },
      aws_autoscaling_policy: { cpu: { autoscaling_group_name: '${aws_autoscaling_group.scaled.name}', policy_type: 'TargetTrackingScaling' } },
    });
    const scaled = resource(e, 'aws_autoscaling_group.scaled');
    expect(scaled.note).toBe('1–4 instances (Auto Scaling)');
    expectRange(component(scaled, /instance hours \(t3.small\)/).monthly, 0.0208 * H, 4 * 0.0208 * H);
    expectRange(component(scaled, /EBS volume \(gp3, 20 GB\)/).monthly, 20 * 0.08, 80 * 0.08);
    expect(component(scaled, /CPU credits/).usageKey).toBe('cpu_credit_vcpu_hours');
    const fixed = resource(e, 'aws_autoscaling_group.fixed');
    expect(fixed.note).toMatch(/^1 instance \(no scaling policy; max_size 2/);
    expectRange(component(fixed, /t4g.micro/).monthly, 0.0084 * H);
    // No block device mappings: the image's 8 GB gp3 root volume, said so.
    expect(component(fixed, /EBS volume \(gp3, 8 GB\)/).note).toMatch(/8 GB gp3/);
    expect(resource(e, 'aws_launch_template.scaled').status).toBe('included');
    expect(resource(e, 'aws_autoscaling_policy.cpu').status).toBe('free');
  });

  it('aws_instance and aws_ebs_volume: type, root volume, public IPv4; aws_launch_template and aws_launch_configuration alone are free', () => {
    const e = aws({
      aws_instance: { vm: { instance_type: 't4g.small', associate_public_ip_address: true, root_block_device: { volume_size: 30, volume_type: 'gp3' }, credit_specification: { cpu_credits: 'standard' } } },
      aws_ebs_volume: { data: { availability_zone: 'us-east-1a', size: 100, type: 'gp2' } },
      aws_launch_template: { alone: { instance_type: 't3.micro' } },
      aws_launch_configuration: { alone: { instance_type: 't3.micro' } },
    });
    const vm = resource(e, 'aws_instance.vm');
    expectRange(vm.monthly, 0.0168 * H + 30 * 0.08 + 0.005 * H);
    expect(vm.components.some((c) => /credits/.test(c.name))).toBe(false);
    expectRange(resource(e, 'aws_ebs_volume.data').monthly, 10);
    expect(resource(e, 'aws_launch_template.alone').status).toBe('free');
    expect(resource(e, 'aws_launch_configuration.alone').status).toBe('free');
  });

  it('aws_db_instance: class, Multi-AZ, storage, the RDS-managed password secret, a public address; other engines have no price', () => {
    const e = aws({
      aws_db_instance: {
        pg: { engine: 'postgres', instance_class: 'db.t4g.small', multi_az: true, allocated_storage: 50, max_allocated_storage: 100, storage_type: 'gp3', manage_master_user_password: true, publicly_accessible: true, backup_retention_period: 7 },
        mysql: { engine: 'mysql', instance_class: 'db.t4g.micro', allocated_storage: 20 },
      },
    });
    const pg = resource(e, 'aws_db_instance.pg');
    expectRange(component(pg, /instance \(db.t4g.small, Multi-AZ\)/).monthly, 0.065 * H);
    expectRange(component(pg, /storage \(gp3, 50 GB, Multi-AZ\)/).monthly, 50 * 0.23);
    expect(component(pg, /storage growth/).dependsOnUsage).toBe('$0.23 per GB-month; at most 50 GB more');
    expectRange(component(pg, /master password secret/).monthly, 0.4);
    expectRange(component(pg, /public IPv4/).monthly, 0.005 * H);
    expect(component(pg, /backup/).usageKey).toBe('backup_storage_gb');
    expect(resource(e, 'aws_db_instance.mysql')).toMatchObject({ status: 'unknown' });
  });

  it('aws_elasticache_replication_group and aws_elasticache_cluster: nodes by node type and engine', () => {
    const e = aws({
      aws_elasticache_replication_group: { redis: { engine: 'redis', node_type: 'cache.t4g.micro', num_cache_clusters: 2 }, valkey: { engine: 'valkey', node_type: 'cache.t4g.micro', num_node_groups: 1, replicas_per_node_group: 1 } },
      aws_elasticache_cluster: { alone: { engine: 'redis', node_type: 'cache.t3.micro', num_cache_nodes: 1 }, member: { replication_group_id: '${aws_elasticache_replication_group.redis.id}' } },
    });
    expectRange(resource(e, 'aws_elasticache_replication_group.redis').monthly, 2 * 0.016 * H);
    expectRange(resource(e, 'aws_elasticache_replication_group.valkey').monthly, 2 * 0.0128 * H);
    expectRange(resource(e, 'aws_elasticache_cluster.alone').monthly, 0.017 * H);
    expect(resource(e, 'aws_elasticache_cluster.member').status).toBe('included');
  });

  it('aws_lb and aws_alb: hours, one public IPv4 per zone when internet-facing, LCUs and egress by usage; other kinds have no price', () => {
    const usage = parseCostUsage('resources:\n  aws_lb.public: { lcus: 2, egress_gb: 150 }\n');
    const e = aws({ aws_lb: { public: { load_balancer_type: 'application', subnets: ['a', 'b', 'c'] }, nlb: { load_balancer_type: 'network', subnets: ['a'] } }, aws_alb: { internal: { internal: true, subnets: ['a', 'b'] } } }, { usage });
    const lb = resource(e, 'aws_lb.public');
    expectRange(component(lb, /Application Load Balancer hours/).monthly, 0.0225 * H);
    expectRange(component(lb, /public IPv4 addresses \(one per zone: 3\)/).monthly, 3 * 0.005 * H);
    expectRange(component(lb, /capacity units/).monthly, 2 * H * 0.008);
    expectRange(component(lb, /data transfer out/).monthly, 150 * 0.09);
    expectRange(resource(e, 'aws_alb.internal').monthly, 0.0225 * H);
    expect(resource(e, 'aws_lb.nlb').status).toBe('unknown');
  });

  it('aws_nat_gateway and aws_eip: gateway hours and data; every public IPv4 $0.005 an hour', () => {
    const e = aws({ aws_eip: { nat: { domain: 'vpc' } }, aws_nat_gateway: { n: { allocation_id: '${aws_eip.nat.id}', subnet_id: 's' } } });
    const nat = resource(e, 'aws_nat_gateway.n');
    expectRange(nat.monthly, 0.045 * H);
    expect(component(nat, /hours/).note).toBe('its public IPv4 is priced on aws_eip.nat');
    expect(component(nat, /data processed/).dependsOnUsage).toBe('$0.045 per GB');
    expectRange(resource(e, 'aws_eip.nat').monthly, 0.005 * H);
  });

  it('aws_cloudfront_distribution: egress and requests by usage, the always-free allowances in the free-tier column', () => {
    const usage = parseCostUsage('defaults:\n  aws_cloudfront_distribution: { egress_gb: 2000, requests: 20000000 }\n');
    const e = aws({ aws_cloudfront_distribution: { cdn: { enabled: true } } }, { usage, freeTier: true });
    const cdn = resource(e, 'aws_cloudfront_distribution.cdn');
    expectRange(component(cdn, /data transfer/).monthly, 2000 * 0.085);
    expectRange(component(cdn, /data transfer/).freeTier, 1000 * 0.085);
    expectRange(component(cdn, /HTTPS requests/).monthly, 2000 * 0.01);
    expectRange(component(cdn, /HTTPS requests/).freeTier, 1000 * 0.01);
  });

  it('aws_route53_zone: $0.50 for the first 25 of the account, $0.10 after', () => {
    const zones = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`z${i + 1}`, { name: `z${i}.example.com` }]));
    const e = aws({ aws_route53_zone: zones });
    expectRange(resource(e, 'aws_route53_zone.z25').monthly, 0.5);
    expectRange(resource(e, 'aws_route53_zone.z26').monthly, 0.1);
  });

  it('aws_secretsmanager_secret, aws_kms_key: per secret (and replica) and key; calls by usage', () => {
    const e = aws({ aws_secretsmanager_secret: { one: { name: 'a' }, replicated: { name: 'b', replica: [{ region: 'eu-west-1' }] } }, aws_kms_key: { k: { description: 'k' } } });
    expectRange(resource(e, 'aws_secretsmanager_secret.one').monthly, 0.4);
    expectRange(resource(e, 'aws_secretsmanager_secret.replicated').monthly, 0.8);
    expect(component(resource(e, 'aws_secretsmanager_secret.one'), /API calls/).usageKey).toBe('api_calls');
    expectRange(resource(e, 'aws_kms_key.k').monthly, 1);
  });

  it('aws_ecr_repository, aws_s3_bucket, aws_cloudwatch_log_group: storage and logs by usage', () => {
    const usage = parseCostUsage(['defaults:', '  aws_ecr_repository: { storage_gb: 3 }', '  aws_s3_bucket: { storage_gb: 100 }', '  aws_cloudwatch_log_group: { ingested_gb: 10, stored_gb: 5 }'].join('\n'));
    const e = aws({ aws_ecr_repository: { r: { name: 'r' } }, aws_s3_bucket: { b: { bucket: 'b' } }, aws_cloudwatch_log_group: { l: { name: 'l', retention_in_days: 30 } } }, { usage });
    expectRange(resource(e, 'aws_ecr_repository.r').monthly, 0.3);
    expectRange(resource(e, 'aws_s3_bucket.b').monthly, 2.3);
    expectRange(resource(e, 'aws_cloudwatch_log_group.l').monthly, 10 * 0.5 + 5 * 0.03);
    expect(component(resource(e, 'aws_cloudwatch_log_group.l'), /stored/).name).toBe('logs stored (kept 30 days)');
  });

  it('aws_flow_log: counted with the log group it delivers to; other destinations have no price', () => {
    const e = aws({
      aws_cloudwatch_log_group: { flow: { name: 'flow', retention_in_days: 30 } },
      aws_flow_log: { cw: { log_destination_type: 'cloud-watch-logs', log_destination: '${aws_cloudwatch_log_group.flow.arn}', traffic_type: 'ALL' }, s3: { log_destination_type: 's3', log_destination: 'arn:aws:s3:::b' } },
    });
    expect(resource(e, 'aws_flow_log.cw')).toMatchObject({ status: 'included', note: 'its logs are charged as ingestion and storage of aws_cloudwatch_log_group.flow (ingested_gb, stored_gb)' });
    expect(resource(e, 'aws_flow_log.s3').status).toBe('unknown');
  });

  it('aws_vpc_endpoint: interface endpoints per zone-hour, gateway endpoints free', () => {
    const e = aws({ aws_vpc_endpoint: { ecr: { vpc_endpoint_type: 'Interface', service_name: 'com.amazonaws.us-east-1.ecr.dkr', subnet_ids: ['a', 'b'] }, s3: { vpc_endpoint_type: 'Gateway', service_name: 'com.amazonaws.us-east-1.s3' } } });
    expectRange(resource(e, 'aws_vpc_endpoint.ecr').monthly, 2 * 0.01 * H);
    expect(component(resource(e, 'aws_vpc_endpoint.ecr'), /interface endpoint ecr.dkr \(2 zones\)/)).toBeDefined();
    expect(resource(e, 'aws_vpc_endpoint.s3').status).toBe('free');
  });

  it('covers every priced resource type', () => {
    const priced = [...Object.keys(GCP_PRICERS), ...Object.keys(AWS_PRICERS)];
    expect(priced.filter((t) => !covered.has(t))).toEqual([]);
  });
});

describe('resources without a known price', () => {
  it('flags a type the estimate does not know, leaves it out of the total, and warns', () => {
    const e = estimate({ google_container_cluster: { gke: { location: 'us-central1' } }, google_dns_managed_zone: { z: { dns_name: 'example.com.' } } });
    const gke = resource(e, 'google_container_cluster.gke');
    expect(gke).toMatchObject({ status: 'unknown', monthly: { min: 0, max: 0 }, note: 'no pricing for resource type google_container_cluster' });
    expect(e.stacks[0].monthly).toEqual({ min: 0.2, max: 0.2 });
    expect(e.stacks[0].unknown).toEqual(['google_container_cluster.gke: no pricing for resource type google_container_cluster']);
    expect(e.warnings.join('\n')).toMatch(/1 resource has no known price and is left out of the total:\n {2}- google_container_cluster.gke/);
  });

  it('flags an unknown machine type or a region the table lacks, never $0', () => {
    const e = estimate({
      google_compute_instance: {
        n1: { zone: 'us-central1-a', machine_type: 'n1-standard-1', boot_disk: { initialize_params: { size: 10 } } },
        tokyo: { zone: 'asia-northeast1-a', machine_type: 'e2-micro', boot_disk: { initialize_params: { size: 10 } } },
      },
    });
    const n1 = resource(e, 'google_compute_instance.n1');
    expect(n1.status).toBe('unknown');
    expect(component(n1, /instance hours/)).toMatchObject({ unknown: 'no price for machine type n1-standard-1 (the table has the E2 and N2 families)' });
    expect(component(n1, /instance hours/).monthly).toBeUndefined();
    // Its disk has a price, listed for information; the resource has no known price, so it is in no total.
    expectRange(component(n1, /boot disk/).monthly, 0.4);
    expect(n1.monthly).toEqual({ min: 0, max: 0 });
    expect(e.stacks[0].monthly).toEqual({ min: 0, max: 0 });
    expect(e.stacks[0].environments.every((env) => env.monthly.max === 0)).toBe(true);
    const tokyo = resource(e, 'google_compute_instance.tokyo');
    expect(component(tokyo, /instance hours/).unknown).toBe('no price for gcp/compute/e2-vcpu in asia-northeast1 (the table has us-central1, us-east1, us-west1, europe-west1)');
    expect(e.stacks[0].unknown).toHaveLength(2);
  });

  it('keeps free-by-nature resources at $0 on purpose, not unknown', () => {
    const e = estimate({ random_password: { p: { length: 32 } }, google_project_iam_member: { m: { role: 'roles/viewer', member: 'user:a@example.com' } }, google_dns_record_set: { r: { name: 'a.example.com.' } }, google_project_service: { s: { service: 'run.googleapis.com' } } });
    expect(e.stacks[0].resources.map((r) => r.status)).toEqual(['free', 'free', 'free', 'free']);
    expect(e.stacks[0].unknown).toEqual([]);
    expect(e.warnings).toEqual([]);
  });
});

describe('environments, ranges and totals', () => {
  it('sums per environment, shared resources apart, from the least to the most', () => {
    const e = estimate(
      {
        google_compute_instance_template: { t: { machine_type: 'e2-micro', disk: [{ disk_size_gb: 10 }], network_interface: [{}] } },
        google_compute_region_instance_group_manager: { servers: { region: 'us-central1', version: [{ instance_template: '${google_compute_instance_template.t.id}' }] } },
        google_compute_region_autoscaler: { scaler: { region: 'us-central1', target: '${google_compute_region_instance_group_manager.servers.id}', autoscaling_policy: { min_replicas: 2, max_replicas: 5 } } },
        google_compute_global_forwarding_rule: { r: { target: 'x' } },
      },
      { environments: { 'google_compute_region_instance_group_manager.servers': 'production' } },
    );
    const unit = e2(0.25, 1) * H + 10 * 0.04;
    expect(e.stacks[0].environments).toEqual([
      { environment: 'production', monthly: { min: expect.closeTo(2 * unit, 6), max: expect.closeTo(5 * unit, 6) } },
      { environment: '', monthly: { min: 18.25, max: 18.25 } },
    ]);
    expectRange(e.monthly, 2 * unit + 18.25, 5 * unit + 18.25);
  });
});

describe('the free tier (opt-in, once per billing account)', () => {
  const group = (id: string, machine: string, zone = 'us-central1-a'): FixtureResources => ({
    google_compute_instance_template: { [id]: { machine_type: machine, disk: [{ disk_size_gb: 10, disk_type: 'pd-standard' }], network_interface: [{}] } },
    google_compute_instance_group_manager: { [id]: { zone, target_size: 1, version: [{ instance_template: `\${google_compute_instance_template.${id}.id}` }] } },
  });

  it('is off by default', () => {
    const e = estimate(group('a', 'e2-micro'));
    expect(e.freeTier).toBe(false);
    expect(e.freeTierMonthly).toBeUndefined();
    expect(resource(e, 'google_compute_instance_group_manager.a').components.every((c) => c.freeTier === undefined)).toBe(true);
  });

  it('takes one e2-micro and 30 GB of standard disk once across groups and stacks, in us-central1 only', () => {
    const a = fixtureModel('a', group('a', 'e2-micro'));
    const b = fixtureModel('b', group('b', 'e2-micro'));
    const eu = fixtureModel('eu', group('eu', 'e2-micro', 'europe-west1-b'), { provider: { google: [{ project: 'p', region: 'europe-west1' }] } });
    const e = estimateCosts([a, b, eu], { freeTier: true, today: TODAY });
    const micro = e2(0.25, 1) * H;
    expectRange(component(resource(e, 'google_compute_instance_group_manager.a'), /instance hours/).freeTier, micro);
    expectRange(component(resource(e, 'google_compute_instance_group_manager.b'), /instance hours/).freeTier, 0);
    expect(component(resource(e, 'google_compute_instance_group_manager.eu'), /instance hours/).freeTier).toBeUndefined();
    // 30 GB-months of pd-standard: both 10 GB disks.
    expectRange(component(resource(e, 'google_compute_instance_group_manager.b'), /boot disk/).freeTier, 0.4);
    expectRange(e.freeTierMonthly, micro + 0.8);
    // The totals stay without it.
    expect(e.monthly.min).toBeCloseTo(2 * (micro + 0.4) + e2(0.25, 1, 'europe-west1') * H + 0.4, 6);
  });

  it('applies the Cloud Scheduler and Secret Manager allowances to the first jobs and versions', () => {
    const e = estimate(
      {
        google_cloud_scheduler_job: Object.fromEntries(['a', 'b', 'c', 'd'].map((j) => [j, { schedule: '0 * * * *' }])),
        google_secret_manager_secret: { s: { replication: { auto: {} } } },
        google_secret_manager_secret_version: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`v${i}`, { secret: '${google_secret_manager_secret.s.id}' }])),
      },
      { freeTier: true },
    );
    expectRange(e.stacks[0].monthly, 0.4 + 8 * 0.06);
    expectRange(e.freeTierMonthly, 3 * 0.1 + 6 * 0.06);
  });

  it('lists every allowance with a source and the SKU unit it applies to', () => {
    for (const a of FREE_ALLOWANCES) expect(a.source).toMatch(/^https:\/\//);
  });
});

describe('the usage file', () => {
  it('reads YAML or JSON, by type and by address, path or pattern; later entries win', () => {
    const usage = parseCostUsage(JSON.stringify({ defaults: { google_storage_bucket: { storage_gb: 1 } }, resources: { 'google_storage_bucket.*': { storage_gb: 2 }, 'demo/prod/b': { storage_gb: 3 } } }));
    const e = estimate({ google_storage_bucket: { a: { location: 'us-central1' }, b: { location: 'us-central1' } } }, { usage, environments: { 'google_storage_bucket.b': 'prod' } });
    expectRange(resource(e, 'google_storage_bucket.a').monthly, 2 * 0.02);
    expectRange(resource(e, 'google_storage_bucket.b').monthly, 3 * 0.02);
  });

  it('refuses what it cannot use, every problem at once', () => {
    expect(() => parseCostUsage('defaults:\n  google_storage_bucket: { storage_tb: 1, storage_gb: -1 }\n  google_pubsub_topic: { messages: 3 }\nextra: 1\n', 'cost-usage.yml')).toThrow(
      /cost-usage.yml: 4 problems:\n {2}- extra: not a section \(defaults, resources\)\n {2}- defaults.google_storage_bucket.storage_gb: expected a number of at least 0, got -1\n {2}- defaults.google_storage_bucket.storage_tb: not a usage key of google_storage_bucket \(storage_gb\)\n {2}- defaults.google_pubsub_topic: no usage keys/,
    );
    expect(() => parseCostUsage('[1, 2', 'u.json')).toThrow(/^u.json: not YAML or JSON/);
  });

  it('warns about an entry that matches nothing and a key the resource does not take', () => {
    const usage = parseCostUsage('resources:\n  google_storage_bucket.missing: { storage_gb: 1 }\n  google_dns_managed_zone.z: { storage_gb: 1 }\n');
    const e = estimate({ google_dns_managed_zone: { z: { dns_name: 'a.' } } }, { usage });
    expect(e.warnings).toEqual([
      'demo: the usage file gives storage_gb for google_dns_managed_zone.z, which takes queries: ignored.',
      'The usage file\'s entry "google_storage_bucket.missing" matches no resource of the stacks estimated.',
    ]);
  });
});

describe('the price table', () => {
  it('has a public source, a date and a confidence on every row, and no duplicate SKU in a region', () => {
    const seen = new Set<string>();
    for (const row of PRICE_TABLE) {
      expect(row.source).toMatch(/^https:\/\/(cloud\.google\.com|aws\.amazon\.com)\//);
      expect(row.taken).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['provider', 'secondary', 'unconfirmed']).toContain(row.confidence);
      expect(row.usd).toBeGreaterThanOrEqual(0);
      for (const region of row.regions) {
        expect(seen.has(`${row.sku}@${region}`)).toBe(false);
        seen.add(`${row.sku}@${region}`);
      }
    }
  });

  it('backs every type that is free by nature with a public page', () => {
    for (const [type, free] of Object.entries(FREE_RESOURCE_TYPES)) {
      expect([type, free.source]).toEqual([type, expect.stringMatching(/^https:\/\/(cloud\.google\.com|aws\.amazon\.com)\//)]);
      expect(free.reason).not.toBe('');
    }
  });

  it('covers the regions the stacks default to and the most picked ones', () => {
    for (const region of ['us-central1', 'us-east1', 'europe-west1']) for (const sku of ['gcp/compute/e2-vcpu', 'gcp/sql/db-f1-micro', 'gcp/run/request-cpu', 'gcp/disk/pd-balanced']) expect(findPrice(sku, region)).toBeDefined();
    for (const region of ['us-west-2', 'us-east-1', 'eu-west-1']) for (const sku of ['aws/ec2/t3.micro', 'aws/rds/postgres/db.t4g.micro', 'aws/alb/hour', 'aws/nat/hour']) expect(findPrice(sku, region)).toBeDefined();
    // CloudFront and ACM are us-east-1's; CloudFront's prices are by viewer location, not region.
    expect(findPrice('aws/cloudfront/egress', 'us-east-1')).toBeDefined();
  });

  it('warns when it is more than six months old', () => {
    const fresh = estimate({}, { today: new Date('2027-05-01T00:00:00Z') });
    expect(fresh.priceTable).toEqual({ date: priceTableDate(), stale: false });
    const old = estimate({}, { today: new Date('2027-06-15T00:00:00Z') });
    expect(old.priceTable.stale).toBe(true);
    expect(old.warnings[0]).toMatch(/^The price table is from 2026-11-29, 6 months ago/);
  });
});

describe('runsPerMonth', () => {
  it.each([
    ['* * * * *', 43800],
    ['*/5 * * * *', 8760],
    ['0 * * * *', 730],
    ['0 3 * * *', 730 / 24],
    ['0 9 * * 1-5', (261 * 730) / 8760],
    ['0 0 1 * *', 1],
    ['30 2 * jan,jul sun', (9 * 730) / 8760],
  ])('%s runs %d times in 730 hours', (schedule, runs) => {
    expect(runsPerMonth(schedule)).toBeCloseTo(runs, 6);
  });

  it('cannot read what is not five plain fields', () => {
    expect(runsPerMonth('@daily')).toBeUndefined();
    expect(runsPerMonth('0 0 * * * *')).toBeUndefined();
    expect(runsPerMonth('61 * * * *')).toBeUndefined();
  });
});

describe('the bundled stacks', () => {
  const REDIS_CONFIG = `
domain: example.com
environments: [production, staging]
redis: true
stacks:
  cluster-gcp: { project: project-one, redisTier: STANDARD_HA, storageCdn: true }
  serverless-gcp: { project: project-two, domain: run.example.com, domains: domain-mappings, vpcEgress: connector, databaseConnectivity: cloud-sql-connector }
  cluster-aws: { domain: aws.example.com, egress: vpc-endpoints, architecture: arm64, webVia: cloudfront, sizes: { production: { instanceType: t4g.small, databaseMultiAz: true, redisNodes: 2 } } }
`;
  const configs = { full: FULL_CONFIG, minimal: MINIMAL_CONFIG, aws: FULL_AWS_CONFIG, redis: REDIS_CONFIG };
  const models = Object.entries(configs).flatMap(([name, text]) => Object.entries(synthBundled(text).stacks).map(([id, json]) => ({ config: name, model: StackModel.fromJson(json, id) })));

  it('creates no resource type the estimate does not price or know to be free', () => {
    const types = new Set(models.flatMap(({ model }) => model.resources.map((r) => r.type)));
    expect([...types].filter((t) => !isPricedType(t)).sort()).toEqual([]);
  });

  it('prices every resource of deploy.yaml and the minimal config in their default regions', () => {
    const e = estimateCosts(
      models.filter((m) => m.config === 'full' || m.config === 'minimal').map((m) => m.model),
      { today: TODAY },
    );
    expect(e.stacks.flatMap((s) => s.unknown)).toEqual([]);
  });

  it('runs in well under a second per stack after synth', () => {
    const started = process.hrtime.bigint();
    for (const { model } of models) estimateCosts([model], { today: TODAY });
    const msPerStack = Number(process.hrtime.bigint() - started) / 1e6 / models.length;
    expect(msPerStack).toBeLessThan(1000);
  });
});

describe('counts and sizes that are not literal numbers (review fixes)', () => {
  const tpl = { machine_type: 'e2-micro', disk: [{ disk_size_gb: 10 }], network_interface: [{ network: 'n' }] };
  const mig = (group: Record<string, unknown>, scaler?: Record<string, unknown>) =>
    estimate({
      google_compute_instance_template: { t: tpl },
      google_compute_region_instance_group_manager: { g: { region: 'us-central1', version: [{ instance_template: '${google_compute_instance_template.t.id}' }], ...group } },
      ...(scaler ? { google_compute_region_autoscaler: { a: { region: 'us-central1', target: '${google_compute_region_instance_group_manager.g.id}', autoscaling_policy: scaler } } } : {}),
    });

  it('an expression, a negative or a fraction where a count or size belongs is unknown, never 0 or the default', () => {
    for (const e of [mig({ target_size: '${var.size}' }), mig({ target_size: -2 }), mig({ target_size: 1.5 }), mig({ target_size: 'two' }), mig({}, { min_replicas: 1, max_replicas: '${var.max}' }), mig({}, { min_replicas: -1, max_replicas: 2 })]) {
      const g = resource(e, 'google_compute_region_instance_group_manager.g');
      expect(g.status).toBe('unknown');
      expect(g.monthly).toEqual({ min: 0, max: 0 });
      expect(e.stacks[0].monthly).toEqual({ min: 0, max: 0 });
      expect(e.stacks[0].unknown).toHaveLength(1);
    }
    expect(resource(mig({ target_size: '${var.size}' }), 'google_compute_region_instance_group_manager.g').note).toBe('target_size is only known at apply');
    // Absent: the documented default.
    expect(resource(mig({}), 'google_compute_region_instance_group_manager.g').status).toBe('priced');
    expect(resource(mig({ target_size: '2' }), 'google_compute_region_instance_group_manager.g').monthly.max).toBeGreaterThan(0);
  });

  it('covers every pricer reading a count or size', () => {
    const gcpCases: FixtureResources[] = [
      { google_compute_disk: { d: { zone: 'us-central1-a', size: '-100' } } },
      { google_compute_instance: { v: { zone: 'us-central1-a', machine_type: 'e2-micro', boot_disk: { initialize_params: { size: '${var.disk}' } } } } },
      { google_sql_database_instance: { s: { region: 'us-central1', database_version: 'POSTGRES_15', settings: { tier: 'db-f1-micro', disk_size: '${var.size}' } } } },
      { google_cloud_run_v2_service: { r: { location: 'us-central1', template: { containers: [{ image: 'x' }], scaling: { min_instance_count: '${var.min}' } } } } },
      { google_cloud_run_v2_service: { r: { location: 'us-central1', template: { containers: [{ image: 'x' }], scaling: { max_instance_count: -3 } } } } },
      { google_compute_router_nat: { n: { region: 'us-central1', min_ports_per_vm: '${var.ports}' } } },
      { google_redis_instance: { m: { region: 'us-central1', memory_size_gb: -1 } } },
      { google_vpc_access_connector: { c: { region: 'us-central1', max_instances: '${var.max}' } } },
      { google_compute_global_forwarding_rule: { f: { target: 'x', count: -2 } } },
    ];
    for (const resources of gcpCases) {
      const e = estimate(resources);
      expect([JSON.stringify(resources), e.stacks[0].resources[0].status]).toEqual([JSON.stringify(resources), 'unknown']);
      expect(e.stacks[0].monthly).toEqual({ min: 0, max: 0 });
    }
    const lt = { aws_launch_template: { t: { instance_type: 't3.micro' } } };
    const awsCases: FixtureResources[] = [
      { ...lt, aws_autoscaling_group: { g: { min_size: '${var.min}', max_size: 2, launch_template: { id: '${aws_launch_template.t.id}' } } } },
      { ...lt, aws_autoscaling_group: { g: { min_size: 1, max_size: 2, desired_capacity: '${var.n}', launch_template: { id: '${aws_launch_template.t.id}' } } } },
      { aws_lb: { l: { subnets: '${var.subnets}' } } },
      { aws_elasticache_replication_group: { r: { node_type: 'cache.t4g.micro', num_cache_clusters: '${var.n}' } } },
      { aws_db_instance: { d: { engine: 'postgres', instance_class: 'db.t4g.micro', allocated_storage: 20, multi_az: '${var.ha}' } } },
      { aws_db_instance: { d: { engine: 'postgres', instance_class: 'db.t4g.micro', allocated_storage: -20 } } },
      { aws_ebs_volume: { v: { size: 2.5 } } },
    ];
    for (const resources of awsCases) {
      const e = estimate(resources, { provider: AWS_PROVIDER });
      const r = e.stacks[0].resources.find((x) => x.type !== 'aws_launch_template')!;
      expect([JSON.stringify(resources), r.status]).toEqual([JSON.stringify(resources), 'unknown']);
      expect(e.stacks[0].monthly).toEqual({ min: 0, max: 0 });
    }
  });

  it('a resource without a known price adds nothing to the totals, the free tier or the usage total; its priced parts are listed', () => {
    const e = estimate({ google_compute_instance: { n1: { zone: 'us-central1-a', machine_type: 'n1-standard-1', boot_disk: { initialize_params: { size: 30 } } } } }, { freeTier: true });
    const n1 = resource(e, 'google_compute_instance.n1');
    expect(n1.status).toBe('unknown');
    expect(component(n1, /boot disk/).monthly!.max).toBeGreaterThan(0);
    expect(component(n1, /boot disk/).freeTier).toBeUndefined();
    expect(e.monthly).toEqual({ min: 0, max: 0 });
    expect(e.freeTierMonthly).toEqual({ min: 0, max: 0 });
  });

  it('forwarding rules with count take that many places among the first five, not that many flat charges', () => {
    const e = estimate({ google_compute_global_forwarding_rule: { many: { target: 'x', count: 3 }, more: { target: 'y', count: 4 } } });
    expectRange(resource(e, 'google_compute_global_forwarding_rule.many').monthly, 18.25);
    // Rules 4–5 in the flat charge, 6–7 beyond it.
    expectRange(resource(e, 'google_compute_global_forwarding_rule.more').monthly, 2 * price('gcp/lb/forwarding-rule-additional', 'global') * H);
  });
});

describe('Markdown and terminal escaping', () => {
  it('fences code spans longer than any backtick run, escapes cells, strips C0/C1 controls', () => {
    const { mdCell, mdCode, terminalSafe } = jest.requireActual('../lib/cost') as typeof import('../lib/cost');
    expect(mdCode('a``b')).toBe('```a``b```');
    expect(mdCode('`x')).toBe('`` `x ``');
    expect(mdCode('a|b')).toBe('`a\\|b`');
    expect(mdCell('a|b <c> & d\ne')).toBe('a\\|b &lt;c&gt; &amp; d e');
    expect(terminalSafe('a\u001b[2Jb\u009bc\r\u0007\n')).toBe('a[2Jbc\n');
  });
});
