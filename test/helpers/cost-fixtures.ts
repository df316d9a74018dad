import { StackModel, SynthesizedJson } from '../../lib/model/stack-model';

/** Resources of a cdk.tf.json-shaped fixture: type → name → arguments. */
export type FixtureResources = Record<string, Record<string, Record<string, unknown>>>;

/**
 * A synthesized stack as cdktf writes it, from resources: each gets a construct path (`<stack>/<env>/<name>` when
 * `environments` names its address, so the model puts it in that environment).
 */
export function fixtureJson(name: string, resources: FixtureResources, options: { provider?: Record<string, unknown[]>; environments?: Record<string, string> } = {}): SynthesizedJson {
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [type, byName] of Object.entries(resources)) {
    resource[type] = {};
    for (const [id, body] of Object.entries(byName)) {
      const env = options.environments?.[`${type}.${id}`];
      resource[type][id] = { ...body, '//': { metadata: { path: `${name}/${env ? `${env}/` : ''}${id}` } } };
    }
  }
  return {
    '//': { metadata: { stackName: name } },
    provider: (options.provider ?? { google: [{ project: 'demo-project', region: 'us-central1' }] }) as SynthesizedJson['provider'],
    resource,
  };
}

/** A stack model of a fixture. */
export function fixtureModel(name: string, resources: FixtureResources, options: Parameters<typeof fixtureJson>[2] = {}): StackModel {
  return StackModel.fromJson(fixtureJson(name, resources, options), name);
}

export const GCP_PROVIDER = { google: [{ project: 'demo-project', region: 'us-central1' }] };
export const AWS_PROVIDER = { aws: [{ region: 'us-east-1' }] };

/**
 * Serverpod's own GCP Terraform module (github.com/serverpod/terraform-google-serverpod-cloud-engine) at its
 * defaults, production run mode: one e2-micro (autoscaler 1–2) from Container-Optimized OS with an ephemeral public
 * address and no disk size (the image's 10 GB), a db-f1-micro zonal Cloud SQL instance with a public IPv4, and four
 * global forwarding rules (api, insights, web, storage), in us-central1. What its "Choosing deployment strategy" page
 * prices at Compute Engine $7, Cloud Load Balancing $19, Cloud SQL $10 a month.
 */
export function serverpodModuleDefaults(): FixtureResources {
  const rule = (host: string) => ({
    name: `serverpod-production-${host}`,
    ip_protocol: 'TCP',
    load_balancing_scheme: 'EXTERNAL',
    port_range: '443',
    target: `\${google_compute_target_https_proxy.${host}.self_link}`,
  });
  const proxy = (host: string) => ({ name: `serverpod-production-${host}`, url_map: `\${google_compute_url_map.${host}.id}`, ssl_certificates: [`\${google_compute_managed_ssl_certificate.${host}.id}`] });
  const hosts = ['api', 'insights', 'web', 'storage'];
  return {
    google_compute_network: { serverpod: { name: 'serverpod-production-network' } },
    google_compute_instance_template: {
      serverpod: {
        name: 'serverpod-production-template',
        machine_type: 'e2-micro',
        disk: [{ source_image: 'cos-cloud/cos-stable' }],
        network_interface: [{ network: '${google_compute_network.serverpod.name}', access_config: [{}] }],
        service_account: [{ scopes: ['cloud-platform'] }],
      },
    },
    google_compute_instance_group_manager: {
      serverpod: { name: 'serverpod-production-group', zone: 'us-central1-c', base_instance_name: 'serverpod-production', version: [{ instance_template: '${google_compute_instance_template.serverpod.id}' }] },
    },
    google_compute_autoscaler: {
      serverpod: { name: 'serverpod-production-autoscaler', zone: 'us-central1-c', target: '${google_compute_instance_group_manager.serverpod.id}', autoscaling_policy: [{ min_replicas: 1, max_replicas: 2, cooldown_period: 60, cpu_utilization: [{ target: 0.6 }] }] },
    },
    google_compute_health_check: { serverpod: { name: 'serverpod-production-health' } },
    google_compute_backend_service: Object.fromEntries(['api', 'insights', 'web'].map((h) => [h, { name: `serverpod-production-backend-${h}`, port_name: h, backend: [{ group: '${google_compute_instance_group_manager.serverpod.instance_group}' }] }])),
    google_compute_backend_bucket: { storage: { name: 'serverpod-production-storage', bucket_name: '${google_storage_bucket.public.name}' } },
    google_storage_bucket: { public: { name: 'storage.examplepod.com', location: 'US' } },
    google_compute_url_map: Object.fromEntries(hosts.map((h) => [h, { name: `serverpod-production-${h}`, default_service: h === 'storage' ? '${google_compute_backend_bucket.storage.id}' : `\${google_compute_backend_service.${h}.id}` }])),
    google_compute_managed_ssl_certificate: Object.fromEntries(hosts.map((h) => [h, { name: `serverpod-production-${h}`, managed: [{ domains: [`${h}.examplepod.com`] }] }])),
    google_compute_target_https_proxy: Object.fromEntries(hosts.map((h) => [h, proxy(h)])),
    google_compute_global_forwarding_rule: Object.fromEntries(hosts.map((h) => [h, rule(h)])),
    google_sql_database_instance: {
      serverpod: {
        name: 'serverpod-production-database',
        database_version: 'POSTGRES_14',
        region: 'us-central1',
        settings: [{ tier: 'db-f1-micro', availability_type: 'ZONAL', backup_configuration: [{ enabled: true, point_in_time_recovery_enabled: false }], ip_configuration: [{ ipv4_enabled: true, private_network: '${google_compute_network.serverpod.id}' }] }],
      },
    },
  };
}

/** Serverpod on Cloud Run as the page describes it: min instances 0, reached through domain mappings, and Cloud SQL. */
export function cloudRunWithDomainMappings(): FixtureResources {
  return {
    google_cloud_run_v2_service: {
      api: { name: 'serverpod-api', location: 'us-central1', template: [{ containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }], scaling: [{ min_instance_count: 0, max_instance_count: 3 }] }] },
    },
    google_cloud_run_domain_mapping: Object.fromEntries(['api', 'insights', 'app'].map((h) => [h, { name: `${h}.examplepod.com`, location: 'us-central1', spec: [{ route_name: '${google_cloud_run_v2_service.api.name}' }] }])),
    google_sql_database_instance: {
      serverpod: { name: 'serverpod-database', database_version: 'POSTGRES_14', region: 'us-central1', settings: [{ tier: 'db-f1-micro', availability_type: 'ZONAL', ip_configuration: [{ ipv4_enabled: false }] }] },
    },
  };
}
