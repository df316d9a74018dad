import 'cdktf/lib/testing/adapters/jest';
import { gcp, serverpodProfile } from '../lib';
import { parseConfig } from '../lib/config/load';
import { configWarnings } from '../lib/config/warnings';
import { configProblems, gcpTestStack, only, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { StackJson, resourcesOfType, synthBundled, synthJson, testApp } from './helpers/synth';
import { createStacks } from '../stacks/app';

// An existing VPC network on GCP (stacks.<gcp stack>.existingNetwork, the patterns' existingNetwork): what is
// created in a network someone else owns, what is left to it, and how bad references are refused; and the database's
// disk size (sizes.<env>.databaseStorageGb).

const PROJECT = 'p-123456';
const HOST = 'projects/host-project/global/networks/shared';
const HOST_SUBNET = 'projects/host-project/regions/us-central1/subnetworks/apps';

/** What a new network would have created; none of it may appear in a network someone else owns. */
const NETWORK_TYPES = ['google_compute_network', 'google_compute_subnetwork', 'google_compute_router', 'google_compute_router_nat', 'google_service_networking_connection'];

/** The private services ranges among the global addresses (the load balancer's address is one too). */
const peeringRanges = (json: StackJson) => resourcesOfType(json, 'google_compute_global_address').filter((a) => a.purpose === 'VPC_PEERING');

function existingNetwork(props: Partial<gcp.ExistingNetworkProps> = {}): { json: StackJson; network: gcp.ExistingNetwork } {
  const stack = gcpTestStack();
  const network = new gcp.ExistingNetwork(stack, 'net', { project: PROJECT, region: 'us-central1', namePrefix: 'pod', network: 'my-vpc', subnet: 'apps', serverPorts: [8080, 8081], serverTag: 'pod-server', ...props });
  return { json: synthJson(stack), network };
}

describe('gcp.ExistingNetwork', () => {
  it('adds only the servers\' firewall rules, named for the app, to a network given by name, in the pattern\'s project', () => {
    const { json, network } = existingNetwork();
    for (const type of NETWORK_TYPES) expect(resourcesOfType(json, type)).toEqual([]);
    expect(peeringRanges(json)).toEqual([]);
    const rules = resourcesOfType(json, 'google_compute_firewall').sort((a, b) => a.name.localeCompare(b.name));
    expect(rules).toEqual([
      expect.objectContaining({ name: 'pod-allow-iap-ssh', project: PROJECT, network: 'my-vpc', source_ranges: ['35.235.240.0/20'], allow: [{ protocol: 'tcp', ports: ['22'] }], target_tags: ['pod-server'] }),
      expect.objectContaining({ name: 'pod-allow-load-balancer', project: PROJECT, network: 'my-vpc', source_ranges: ['35.191.0.0/16', '130.211.0.0/22'], allow: [{ protocol: 'tcp', ports: ['8080', '8081'] }], target_tags: ['pod-server'] }),
    ]);
    expect(JSON.stringify(json)).not.toContain('0.0.0.0/0');
    expect(network.networkId).toBe(`projects/${PROJECT}/global/networks/my-vpc`);
    expect(network.subnetId).toBe(`projects/${PROJECT}/regions/us-central1/subnetworks/apps`);
    // The network's own private services access is used: nothing for a private IP to wait for.
    expect(network.privateServicesReady).toEqual([]);
  });

  it('puts the rules in a Shared VPC\'s host project, and reads self links as paths', () => {
    const { json, network } = existingNetwork({ network: `https://www.googleapis.com/compute/v1/${HOST}`, subnet: `https://www.googleapis.com/compute/v1/${HOST_SUBNET}`, iapSsh: false });
    expect(only(json, 'google_compute_firewall')).toMatchObject({ name: 'pod-allow-load-balancer', project: 'host-project', network: 'shared' });
    expect([network.networkId, network.subnetId, network.networkProject]).toEqual([HOST, HOST_SUBNET, 'host-project']);
  });

  it('reserves a range and connects it only with privateServicesAccess create, never replacing others\' ranges', () => {
    const { json, network } = existingNetwork({ network: HOST, subnet: HOST_SUBNET, privateServicesAccess: 'create', privateServicesRange: '10.60.0.0/16' });
    const range = only(json, 'google_compute_global_address');
    expect(range).toMatchObject({ name: 'pod-private-services', project: 'host-project', purpose: 'VPC_PEERING', address_type: 'INTERNAL', address: '10.60.0.0', prefix_length: 16, network: HOST });
    const connection = only(json, 'google_service_networking_connection');
    expect(connection).toMatchObject({ network: HOST, service: 'servicenetworking.googleapis.com', deletion_policy: 'ABANDON', lifecycle: { ignore_changes: ['reserved_peering_ranges'] } });
    expect(connection.reserved_peering_ranges).toEqual([expect.stringMatching(/^\$\{google_compute_global_address\.net_PrivateServicesRange_[A-F0-9]+\.name\}$/)]);
    // update_on_creation_fail would patch an existing connection's ranges to this one's: another user's Cloud SQL would lose its own.
    expect(connection.update_on_creation_fail).toBeUndefined();
    expect(network.privateServicesReady).toEqual([network.privateServicesConnection]);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('runs a NAT for its subnet only on request, on a router of its own', () => {
    expect(resourcesOfType(existingNetwork().json, 'google_compute_router_nat')).toEqual([]);
    const { json } = existingNetwork({ network: HOST, subnet: HOST_SUBNET, nat: true });
    expect(only(json, 'google_compute_router')).toMatchObject({ name: 'pod-router', project: 'host-project', region: 'us-central1', network: HOST });
    expect(only(json, 'google_compute_router_nat')).toMatchObject({
      name: 'pod-nat',
      project: 'host-project',
      source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [{ name: HOST_SUBNET, source_ip_ranges_to_nat: ['ALL_IP_RANGES'] }],
    });
  });

  it('refuses references it cannot use, naming each with what is allowed', () => {
    const message = validationErrorOf(() => existingNetwork({ network: 'My VPC', subnet: 'projects/p-123456/regions/us-central1/subnetworks/${x}', privateServicesAccess: 'maybe' as never }));
    expect(message).toContain('props.network: got "My VPC"; expected a VPC network: its name such as my-vpc, or projects/<project>/global/networks/<name>');
    expect(message).toContain('props.subnet: got "projects/p-123456/regions/us-central1/subnetworks/${x}"; expected a subnet: its name such as my-subnet');
    expect(message).toContain('props.privateServicesAccess: got "maybe"; expected existing (the network has private services access already) or create');
    const placed = validationErrorOf(() => existingNetwork({ network: HOST, subnet: 'projects/other-project/regions/europe-west1/subnetworks/apps', privateServicesRange: '10.60.0.0/16' }));
    expect(placed).toContain('props.subnet: got "projects/other-project/regions/europe-west1/subnetworks/apps"; expected a subnet in the region us-central1');
    expect(placed).toContain("expected a subnet of the network's project host-project");
    expect(placed).toContain('props.privateServicesRange: got "10.60.0.0/16"; expected none unless privateServicesAccess is create');
    expect(validationErrorOf(() => existingNetwork({ subnet: undefined, nat: true }))).toContain('props.nat: got true; expected false without a subnet (the NAT serves that subnet only)');
  });
});

const CLUSTER = `
domain: example.com
environments: [production, staging]
redis: true
stacks:
  cluster-gcp:
    project: example-project
    existingNetwork: { network: ${HOST}, subnet: apps }
`;

describe('cluster-gcp in an existing network', () => {
  const json = synthBundled(CLUSTER).stacks['cluster-gcp'];

  it('creates no VPC, subnet, NAT, router or private services access, and refers only to what it declares', () => {
    for (const type of NETWORK_TYPES) expect(resourcesOfType(json, type)).toEqual([]);
    expect(peeringRanges(json)).toEqual([]);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('puts the servers on the given subnet, behind firewall rules in the network\'s project', () => {
    const templates = resourcesOfType(json, 'google_compute_instance_template');
    expect(templates).toHaveLength(2);
    for (const t of templates) expect(t.network_interface).toEqual([{ subnetwork: HOST_SUBNET }]);
    const rules = resourcesOfType(json, 'google_compute_firewall').map((r) => [r.name, r.project, r.network, r.target_tags, r.source_ranges]);
    expect(rules.sort()).toEqual([
      ['serverpod-allow-iap-ssh', 'host-project', 'shared', ['serverpod-server'], ['35.235.240.0/20']],
      ['serverpod-allow-load-balancer', 'host-project', 'shared', ['serverpod-server'], ['35.191.0.0/16', '130.211.0.0/22']],
    ]);
  });

  it('gives Cloud SQL and Memorystore private IPs on the network, and binds the private zones to it', () => {
    const databases = resourcesOfType(json, 'google_sql_database_instance');
    expect(databases).toHaveLength(2);
    for (const db of databases) {
      expect(db.settings.ip_configuration).toEqual({ ipv4_enabled: false, private_network: HOST, ssl_mode: 'ENCRYPTED_ONLY' });
      // Only the project's APIs to wait for: the network's private services access exists already.
      expect((db.depends_on ?? []).filter((d: string) => !d.startsWith('google_project_service.'))).toEqual([]);
    }
    for (const redis of resourcesOfType(json, 'google_redis_instance')) expect(redis).toMatchObject({ authorized_network: HOST, connect_mode: 'PRIVATE_SERVICE_ACCESS' });
    const zones = resourcesOfType(json, 'google_dns_managed_zone').filter((z) => z.visibility === 'private');
    expect(zones).toHaveLength(2);
    for (const z of zones) expect(z.private_visibility_config).toEqual({ networks: [{ network_url: HOST }] });
  });

  it('creates private services access and a NAT for the subnet when asked, and the databases wait for the connection', () => {
    const text = CLUSTER.replace('subnet: apps }', 'subnet: apps, privateServicesAccess: create }\n    privateServicesRange: 10.60.0.0/16\n    nat: true');
    const j = synthBundled(text).stacks['cluster-gcp'];
    expect(only(j, 'google_service_networking_connection')).toMatchObject({ network: HOST, deletion_policy: 'ABANDON' });
    expect(peeringRanges(j).map((r) => [r.address, r.prefix_length, r.project])).toEqual([['10.60.0.0', 16, 'host-project']]);
    for (const db of resourcesOfType(j, 'google_sql_database_instance')) expect(db.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^google_service_networking_connection\.cluster_Network_PrivateServicesConnection_/)]));
    expect(only(j, 'google_compute_router_nat').subnetwork).toEqual([{ name: HOST_SUBNET, source_ip_ranges_to_nat: ['ALL_IP_RANGES'] }]);
    expect(danglingReferences(j)).toEqual([]);
  });

  it('leaves the default network\'s addresses as they were', () => {
    const fresh = synthBundled('domain: example.com\nstacks:\n  cluster-gcp: { project: example-project }\n').stacks['cluster-gcp'];
    expect(Object.keys(fresh.resource.google_compute_network)).toEqual([expect.stringMatching(/^cluster_Network_[A-F0-9]+$/)]);
    expect(Object.keys(fresh.resource.google_service_networking_connection)).toEqual([expect.stringMatching(/^cluster_Network_PrivateServicesConnection_[A-F0-9]+$/)]);
    expect(Object.keys(fresh.resource.google_compute_firewall).sort()).toEqual([expect.stringMatching(/^cluster_Network_AllowIapSsh_/), expect.stringMatching(/^cluster_Network_AllowLoadBalancer_/)]);
  });
});

const SERVERLESS = `
domain: example.com
redis: true
stacks:
  serverless-gcp:
    project: example-project
    existingNetwork: { network: my-vpc, subnet: run-subnet }
`;

describe('serverless-gcp in an existing network', () => {
  const json = synthBundled(SERVERLESS).stacks['serverless-gcp'];
  const network = 'projects/example-project/global/networks/my-vpc';
  const subnet = 'projects/example-project/regions/us-central1/subnetworks/run-subnet';

  it('creates nothing in the network and sends every service and job through the given subnet', () => {
    for (const type of [...NETWORK_TYPES, 'google_compute_firewall', 'google_vpc_access_connector']) expect(resourcesOfType(json, type)).toEqual([]);
    expect(peeringRanges(json)).toEqual([]);
    const workloads = [...resourcesOfType(json, 'google_cloud_run_v2_service').map((s) => s.template), ...resourcesOfType(json, 'google_cloud_run_v2_job').map((j) => j.template.template)];
    expect(workloads).toHaveLength(5);
    for (const w of workloads) expect(w.vpc_access).toEqual({ egress: 'PRIVATE_RANGES_ONLY', network_interfaces: [{ network, subnetwork: subnet }] });
    expect(danglingReferences(json)).toEqual([]);
  });

  it('gives Cloud SQL and Memorystore private IPs on the network', () => {
    expect(only(json, 'google_sql_database_instance').settings.ip_configuration).toEqual({ ipv4_enabled: false, private_network: network, ssl_mode: 'ENCRYPTED_ONLY' });
    expect(only(json, 'google_redis_instance').authorized_network).toBe(network);
  });

  it('runs a connector on the network, by name, where egress is a connector', () => {
    const j = synthBundled(SERVERLESS.replace('{ network: my-vpc, subnet: run-subnet }', '{ network: my-vpc, privateServicesAccess: create }\n    vpcEgress: connector')).stacks['serverless-gcp'];
    expect(only(j, 'google_vpc_access_connector')).toMatchObject({ network: 'my-vpc', ip_cidr_range: '10.8.0.0/28', project: 'example-project' });
    expect(only(j, 'google_service_networking_connection').network).toBe(network);
    expect(danglingReferences(j)).toEqual([]);
  });

  it('warns that the network does nothing when nothing goes through the VPC', () => {
    const text = SERVERLESS.replace('redis: true', 'redis: false').replace('project: example-project\n', 'project: example-project\n    databaseConnectivity: cloud-sql-connector\n');
    expect(configWarnings(parseConfig(text, { source: 'deploy.yaml' })).map((w) => `${w.field}: ${w.message}`)).toContain(
      'stacks.serverless-gcp.existingNetwork: has no effect, as nothing goes through the VPC (databaseConnectivity is cloud-sql-connector, and there is no Redis)',
    );
    expect(configWarnings(parseConfig(SERVERLESS, { source: 'deploy.yaml' }))).toEqual([]);
  });
});

/** What building the stacks of a valid config text refuses, in deploy.yaml's terms, as the app reports it. */
const stackProblems = (text: string) =>
  validationErrorOf(() => {
    const stacks = createStacks(testApp(), parseConfig(text, { source: 'deploy.yaml' }), { configFile: 'deploy.yaml', guardrails: { print: false } });
    for (const stack of Object.values(stacks)) if (stack) synthJson(stack);
  });

describe('bad existingNetwork config', () => {
  it.each<[string, string, string[]]>([
    [
      'references that are not names or paths',
      'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, existingNetwork: { network: "my vpc", subnet: "regions/us-central1/subnetworks/apps", privateServicesAccess: yes } }\n',
      [
        'stacks.cluster-gcp.existingNetwork.network: got "my vpc"; expected a VPC network: its name such as my-vpc, or projects/<project>/global/networks/<name>',
        'stacks.cluster-gcp.existingNetwork.subnet: got "regions/us-central1/subnetworks/apps"; expected a subnet: its name such as my-subnet, or projects/<project>/regions/<region>/subnetworks/<name>',
        'stacks.cluster-gcp.existingNetwork.privateServicesAccess: got "yes"; expected one of "existing", "create"',
      ],
    ],
    [
      'a field of its own it does not know, and a Terraform expression',
      'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, existingNetwork: { network: "${var.vpc}", subnetCidr: 10.0.0.0/24 } }\n',
      ['stacks.serverless-gcp.existingNetwork.network: got "${var.vpc}"; expected a VPC network', 'stacks.serverless-gcp.existingNetwork.subnetCidr: got "10.0.0.0/24"; expected no field of this name here'],
    ],
  ])('refuses %s in the file', (_name, text, lines) => {
    const message = configProblems(text);
    for (const line of lines) expect(message).toContain(`  - ${line}`);
  });

  it.each<[string, string, string[]]>([
    [
      'a cluster without a subnet, a range for access it does not create, and nat unset (so off)',
      'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, privateServicesRange: 10.60.0.0/16, existingNetwork: { network: my-vpc } }\n',
      [
        'stacks.cluster-gcp.existingNetwork.subnet: missing; expected the subnet in us-central1 the servers take their addresses from',
        "stacks.cluster-gcp.privateServicesRange: got \"10.60.0.0/16\"; expected none with existingNetwork, unless existingNetwork.privateServicesAccess is create (the network's own private services access is used)",
      ],
    ],
    [
      'a subnet of another region and project',
      'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, region: europe-west4, existingNetwork: { network: my-vpc, subnet: projects/other-project/regions/us-central1/subnetworks/apps } }\n',
      [
        'stacks.cluster-gcp.existingNetwork.subnet: got "projects/other-project/regions/us-central1/subnetworks/apps"; expected a subnet in the region europe-west4, where the servers or services run',
        'stacks.cluster-gcp.existingNetwork.subnet: got "projects/other-project/regions/us-central1/subnetworks/apps"; expected a subnet of the network\'s project my-project-1',
      ],
    ],
    [
      'Direct VPC egress without a subnet, beside the new network\'s subnetCidr',
      'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, subnetCidr: 10.20.0.0/16, existingNetwork: { network: my-vpc } }\n',
      [
        'stacks.serverless-gcp.existingNetwork.subnet: missing; expected the subnet in us-central1 that Direct VPC egress takes the services\' and jobs\' addresses from (/26 or larger), or vpcEgress: connector',
        'stacks.serverless-gcp.subnetCidr: got "10.20.0.0/16"; expected none with existingNetwork (Direct VPC egress takes addresses from existingNetwork.subnet)',
      ],
    ],
    [
      'a connector on a Shared VPC, and a subnet it would not use',
      `domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, vpcEgress: connector, existingNetwork: { network: ${HOST}, subnet: apps } }\n`,
      [
        `stacks.serverless-gcp.existingNetwork.network: got "${HOST}"; expected a network of the project my-project-1 with vpcEgress: connector (a connector for a Shared VPC belongs in its host project), or vpcEgress: direct`,
        'stacks.serverless-gcp.existingNetwork.subnet: got "apps"; expected none with vpcEgress: connector (the connector takes its own range, 10.8.0.0/28, in the network)',
      ],
    ],
  ])('refuses %s when the stack is built, in deploy.yaml\'s terms', (_name, text, lines) => {
    const message = stackProblems(text);
    expect(message).toMatch(/^Config file deploy\.yaml has \d+ problems?; nothing was synthesized:/);
    expect(message).not.toContain('props.');
    for (const line of lines) expect(message).toContain(`  - ${line}`);
  });

  it('refuses an image from elsewhere without a NAT only on a new network (an existing one may have its own)', () => {
    const image = 'app: { preset: custom, image: ghcr.io/acme/server:1.2, ports: [{ name: api, port: 8080, healthPath: /healthz }] }\n';
    expect(configProblems(`domain: example.com\n${image}stacks:\n  cluster-gcp: { project: my-project-1, nat: false }\n`)).toContain('app.image: got "ghcr.io/acme/server:1.2"; expected an image in Artifact Registry');
    expect(() => synthBundled(`domain: example.com\n${image}stacks:\n  cluster-gcp: { project: my-project-1, nat: false, existingNetwork: { network: my-vpc, subnet: apps } }\n`)).not.toThrow();
  });
});

describe('the patterns\' existingNetwork props', () => {
  function cluster(props: Partial<gcp.GcpServerClusterProps>) {
    const stack = gcpTestStack();
    const registry = new gcp.ContainerRegistry(stack, 'images', { project: PROJECT, location: 'us-central1', repositoryId: 'pod' });
    return new gcp.GcpServerCluster(stack, 'cluster', { project: PROJECT, region: 'us-central1', namePrefix: 'pod', domain: 'pod.example', profile: serverpodProfile({ name: 'pod' }), registry, environments: { production: {} }, ...props });
  }

  it('exposes the joined network as the pattern\'s NetworkRef', () => {
    const c = cluster({ existingNetwork: { network: 'my-vpc', subnet: 'apps' } });
    expect(c.network).toBeInstanceOf(gcp.ExistingNetwork);
    expect([c.network.networkId, c.network.subnetId]).toEqual([`projects/${PROJECT}/global/networks/my-vpc`, `projects/${PROJECT}/regions/us-central1/subnetworks/apps`]);
    expect(cluster({}).network).toBeInstanceOf(gcp.Network);
  });

  it('names the props it refuses', () => {
    const message = validationErrorOf(() => cluster({ existingNetwork: { network: 'projects/x/global/networks/y', subnet: 'apps' } }));
    expect(message).toContain('GcpServerCluster "test/cluster"');
    expect(message).toContain('props.existingNetwork.network: got "projects/x/global/networks/y"; expected a VPC network');
  });
});

describe('sizes.<env>.databaseStorageGb on the GCP stacks', () => {
  const sized = (stack: 'cluster-gcp' | 'serverless-gcp', sizes: string) => `domain: example.com\nenvironments: [production, staging]\nstacks:\n  ${stack}: { project: my-project-1, sizes: ${sizes} }\n`;

  it.each(['cluster-gcp', 'serverless-gcp'] as const)('reaches %s\'s Cloud SQL as its disk size, 10 GB by default', (stack) => {
    const json = synthBundled(sized(stack, '{ production: { databaseStorageGb: 250, databaseTier: db-custom-2-7680 } }')).stacks[stack];
    const disks = Object.fromEntries(resourcesOfType(json, 'google_sql_database_instance').map((db) => [db.name.replace(/^.*-(production|staging)-database$/, '$1'), [db.settings.disk_size, db.settings.disk_autoresize]]));
    expect(disks).toEqual({ production: [250, true], staging: [10, true] });
  });

  it.each<[string, string, string]>([
    ['too small', '{ production: { databaseStorageGb: 5 } }', 'stacks.cluster-gcp.sizes.production.databaseStorageGb: got 5; expected at least 10'],
    ['past Cloud SQL\'s limit', '{ production: { databaseStorageGb: 70000, databaseTier: db-custom-2-7680 } }', "stacks.cluster-gcp.sizes.production.databaseStorageGb: got 70000; expected at most 65536 (64 TB, Cloud SQL's limit)"],
    [
      'past a shared-core tier\'s limit, the tier written',
      '{ production: { databaseStorageGb: 4000, databaseTier: db-g1-small } }',
      "stacks.cluster-gcp.sizes.production.databaseStorageGb: got 4000; expected at most 3062 with databaseTier db-g1-small (Cloud SQL's limit for a shared-core tier; a db-custom- tier takes up to 65536)",
    ],
    [
      'past the default tier\'s limit',
      '{ production: { databaseStorageGb: 4000 } }',
      "stacks.cluster-gcp.sizes.production.databaseStorageGb: got 4000; expected at most 3062 with databaseTier db-f1-micro (the default; set databaseTier too; Cloud SQL's limit for a shared-core tier; a db-custom- tier takes up to 65536)",
    ],
  ])('refuses a disk %s, naming the field', (_name, sizes, line) => {
    expect(configProblems(sized('cluster-gcp', sizes))).toContain(`  - ${line}`);
  });

  it('refuses the same on serverless-gcp, and a db-custom- tier takes more', () => {
    expect(configProblems(sized('serverless-gcp', '{ staging: { databaseStorageGb: 9 } }'))).toContain('  - stacks.serverless-gcp.sizes.staging.databaseStorageGb: got 9; expected at least 10');
    expect(() => parseConfig(sized('serverless-gcp', '{ production: { databaseStorageGb: 4000, databaseTier: db-custom-1-3840 } }'))).not.toThrow();
  });

  it('is judged by the patterns too, by the prop\'s name', () => {
    const stack = gcpTestStack();
    const registry = new gcp.ContainerRegistry(stack, 'images', { project: PROJECT, location: 'us-central1', repositoryId: 'pod' });
    const message = validationErrorOf(
      () => new gcp.GcpServerlessApp(stack, 'run', { project: PROJECT, region: 'us-central1', namePrefix: 'pod', domain: 'pod.example', profile: serverpodProfile({ name: 'pod' }), registry, environments: { production: { databaseStorageGb: 5000 } } }),
    );
    expect(message).toContain("props.environments.production.databaseStorageGb: got 5000; expected a whole number of GB from 10 to 3062 (Cloud SQL's limit for the shared-core tier db-f1-micro; a db-custom- tier takes up to 65536)");
  });

  it('warns where there is no database to size', () => {
    const text = 'domain: example.com\ndatabase: false\nstacks:\n  cluster-gcp: { project: my-project-1, sizes: { production: { databaseStorageGb: 50 } } }\n';
    expect(configWarnings(parseConfig(text, { source: 'deploy.yaml' })).map((w) => w.field)).toContain('stacks.cluster-gcp.sizes.production.databaseStorageGb');
  });
});
