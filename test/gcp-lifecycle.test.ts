import 'cdktf/lib/testing/adapters/jest';
import { GCP_ZONES, zonesOf } from '../lib/gcp/zones';
import { EXAMPLE_BUILDERS } from './example-list';
import { configProblems, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { StackJson, resourcesOfType, synthBundled, synthJson, testApp } from './helpers/synth';

// What keeps the GCP stacks steady across applies and deploys: named zones with a surge the API accepts, Cloud Run
// revisions left to deploys, servers created after their database and names, a pinned private services range.

const CLUSTER = `
domain: example.com
environments: [production, staging]
redis: true
stacks:
  cluster-gcp: { project: example-project }
`;

const SERVERLESS = `
domain: example.com
environments: [production, staging]
redis: true
stacks:
  serverless-gcp: { project: example-project }
`;

/** The config with extra lines in the stack's entry (`stacks.<id>: { project: example-project, <extra> }`). */
function withStack(config: string, extra: string): string {
  return config.replace('{ project: example-project }', `{ project: example-project, ${extra} }`);
}

const cluster = (extra?: string): StackJson => synthBundled(extra ? withStack(CLUSTER, extra) : CLUSTER).stacks['cluster-gcp'];
const serverless = (extra?: string): StackJson => synthBundled(extra ? withStack(SERVERLESS, extra) : SERVERLESS).stacks['serverless-gcp'];

/** Every resource of `type` by its address (`type.name`). */
function addressed(json: StackJson, type: string): [string, Record<string, any>][] {
  return Object.entries<Record<string, any>>(json.resource?.[type] ?? {}).map(([name, body]) => [`${type}.${name}`, body]);
}

describe('zones.ts', () => {
  it('lists each region with its zones, every zone named after its region', () => {
    expect(Object.keys(GCP_ZONES).length).toBeGreaterThan(40);
    for (const [region, zones] of Object.entries(GCP_ZONES)) {
      expect(zones.length).toBeGreaterThanOrEqual(3);
      for (const zone of zones) expect(zone).toMatch(new RegExp(`^${region}-[a-z]$`));
    }
    expect(zonesOf('us-central1')).toEqual(['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f']);
    expect(zonesOf('mars-north1')).toEqual([]);
  });
});

describe('regional instance groups: named zones, one surge instance per zone', () => {
  it('spread over the region\'s first three zones and surge by three (us-central1 has four)', () => {
    const groups = resourcesOfType(cluster(), 'google_compute_region_instance_group_manager');
    expect(groups).toHaveLength(2);
    for (const group of groups) {
      expect(group.distribution_policy_zones).toEqual(['us-central1-a', 'us-central1-b', 'us-central1-c']);
      expect(group.update_policy).toMatchObject({ max_surge_fixed: group.distribution_policy_zones.length, max_unavailable_fixed: 0 });
      // The zones force a new group; a group behind a backend service cannot be deleted.
      expect(group.lifecycle.ignore_changes).toContain('distribution_policy_zones');
    }
  });

  it('take the zones as Google names them (europe-west1 has b, c and d)', () => {
    for (const group of resourcesOfType(cluster('region: europe-west1'), 'google_compute_region_instance_group_manager')) {
      expect(group.distribution_policy_zones).toEqual(['europe-west1-b', 'europe-west1-c', 'europe-west1-d']);
      expect(group.update_policy.max_surge_fixed).toBe(3);
    }
  });

  it('surge by at least three over two chosen zones: a group made before zones were named spans up to three', () => {
    const groups = resourcesOfType(cluster('zones: [us-central1-b, us-central1-f]'), 'google_compute_region_instance_group_manager');
    expect(groups).toHaveLength(2);
    for (const group of groups) {
      expect(group.distribution_policy_zones).toEqual(['us-central1-b', 'us-central1-f']);
      expect(group.update_policy).toMatchObject({ max_surge_fixed: 3, max_unavailable_fixed: 0 });
    }
  });

  it('surge by four over all four zones of us-central1', () => {
    for (const group of resourcesOfType(cluster('zones: [us-central1-a, us-central1-b, us-central1-c, us-central1-f]'), 'google_compute_region_instance_group_manager')) {
      expect(group.update_policy.max_surge_fixed).toBe(4);
    }
  });

  it('refuses a zone the region does not have, and zones beside a zonal group\'s zone', () => {
    expect(configProblems(withStack(CLUSTER, 'zones: [us-central1-a, us-central1-d]'))).toContain('stacks.cluster-gcp.zones.1: got "us-central1-d"; expected a zone of the stack\'s region us-central1 (the default; set region too): us-central1-a, us-central1-b, us-central1-c, us-central1-f');
    expect(configProblems(withStack(CLUSTER, 'zone: us-central1-a, zones: [us-central1-a, us-central1-b]'))).toContain('expected nothing with zone');
  });
});

describe('Cloud Run services leave the image to deploys, not the revision name', () => {
  it('ignore the image and client, and keep managing the revision name (ignored, a later template change would resend a deployed name: 409)', () => {
    const services = resourcesOfType(serverless(), 'google_cloud_run_v2_service');
    expect(services.length).toBeGreaterThan(0);
    for (const service of services) {
      expect(service.lifecycle.ignore_changes).toEqual(['template[0].containers[0].image', 'client', 'client_version']);
      expect(service.template.revision).toBeUndefined();
    }
  });
});

describe('instance groups wait for their database and private names', () => {
  const json = cluster();
  for (const env of ['production', 'staging']) {
    it(`${env}: the group depends on the Cloud SQL instance, database and user and the private DNS records`, () => {
      const [, group] = addressed(json, 'google_compute_region_instance_group_manager').find(([address]) => address.includes(`_${env}_`))!;
      const ofEnv = (type: string) => addressed(json, type).filter(([address]) => address.includes(`_${env}_`)).map(([address]) => address);
      const needed = [...ofEnv('google_sql_database_instance'), ...ofEnv('google_sql_database'), ...ofEnv('google_sql_user'), ...ofEnv('google_dns_record_set')];
      // Database, user and instance, and the database. and redis. records.
      expect(needed).toHaveLength(5);
      expect(group.depends_on).toEqual(expect.arrayContaining(needed));
      expect(danglingReferences(json)).toEqual([]);
    });
  }
});

describe('the private services range', () => {
  const ranges = (json: StackJson) => resourcesOfType(json, 'google_compute_global_address').filter((a) => a.purpose === 'VPC_PEERING');

  it.each([
    ['cluster-gcp', () => cluster()],
    ['serverless-gcp', () => serverless()],
  ])('%s pins 10.100.0.0/16 and keeps an existing range\'s address (a new one would replace the peering)', (_id, synth) => {
    const [range] = ranges(synth());
    expect(range).toMatchObject({ address: '10.100.0.0', prefix_length: 16, lifecycle: { ignore_changes: ['address', 'prefix_length'] } });
  });

  it('takes another range, or Google\'s pick with auto', () => {
    expect(ranges(cluster('privateServicesRange: 172.20.0.0/20'))[0]).toMatchObject({ address: '172.20.0.0', prefix_length: 20 });
    const auto = ranges(serverless('privateServicesRange: auto'))[0];
    expect(auto.address).toBeUndefined();
    expect(auto.lifecycle).toBeUndefined();
    expect(auto.prefix_length).toBe(16);
  });

  it('refuses a range overlapping the subnet, naming both fields and ranges', () => {
    const message = validationErrorOf(() => serverless('subnetCidr: 10.100.16.0/20'));
    expect(message).toContain('privateServicesRange: got "10.100.0.0/16"; expected a range that does not overlap subnetCidr (10.100.16.0/20)');
    expect(validationErrorOf(() => cluster('privateServicesRange: 10.0.0.0/12'))).toContain('privateServicesRange: got "10.0.0.0/12"; expected a range that does not overlap subnetCidr (10.10.0.0/20)');
  });

  it('refuses a range overlapping the Serverless VPC Access connector', () => {
    const message = validationErrorOf(() => serverless('vpcEgress: connector, privateServicesRange: 10.8.0.0/16'));
    expect(message).toContain('privateServicesRange: got "10.8.0.0/16"; expected a range that does not overlap the Serverless VPC Access connector range (10.8.0.0/28)');
  });
});

describe('Cloud Resource Manager is enabled wherever a stack grants project roles', () => {
  // google_project_iam_member reads and sets the project's policy through the Cloud Resource Manager API.
  it('in the bundled GCP stacks and every GCP example', () => {
    const stacks: [string, StackJson][] = [
      ['cluster-gcp', cluster()],
      ['serverless-gcp', serverless()],
      ...Object.entries(EXAMPLE_BUILDERS)
        .filter(([name]) => /gcp|cloud-run/.test(name))
        .flatMap(([name, build]) => build(testApp()).map((stack) => [`examples/${name}`, synthJson(stack)] as [string, StackJson])),
    ];
    const granting = stacks.filter(([, json]) => resourcesOfType(json, 'google_project_iam_member').length > 0);
    expect(granting.length).toBeGreaterThanOrEqual(6);
    const missing = granting.filter(([, json]) => !resourcesOfType(json, 'google_project_service').some((s) => s.service === 'cloudresourcemanager.googleapis.com'));
    expect(missing.map(([name]) => name)).toEqual([]);
  });
});

describe('config: stacks.<gcp stack>.database, the same shape as cluster-aws', () => {
  it.each([
    ['cluster-gcp', CLUSTER],
    ['serverless-gcp', SERVERLESS],
  ])('%s: PostgreSQL 16 by default; engineVersion upgrades in place and deletionProtection turns off per environment', (id, config) => {
    const instances = (json: StackJson) => Object.fromEntries(resourcesOfType(json, 'google_sql_database_instance').map((db) => [db.name, db]));
    const defaults = instances(synthBundled(config).stacks[id]);
    const production = Object.keys(defaults).find((n) => n.endsWith('production-database'))!;
    const staging = Object.keys(defaults).find((n) => n.endsWith('staging-database'))!;
    expect(defaults[production]).toMatchObject({ database_version: 'POSTGRES_16', deletion_protection: true });
    expect(defaults[staging]).toMatchObject({ database_version: 'POSTGRES_16', deletion_protection: false });
    const changed = instances(synthBundled(withStack(config, 'database: { production: { deletionProtection: false, acknowledgeDataLoss: "tearing down the demo for good" }, staging: { engineVersion: 17 } }')).stacks[id]);
    // Same instance name: Cloud SQL upgrades the major version in place.
    expect(changed[production]).toMatchObject({ database_version: 'POSTGRES_16', deletion_protection: false });
    expect(changed[staging]).toMatchObject({ database_version: 'POSTGRES_17', deletion_protection: false });
  });

  it.each([
    ['a version Cloud SQL does not offer', 'database: { production: { engineVersion: 12 } }', 'database.production.engineVersion: got 12; expected a PostgreSQL major version from 13 to 18'],
    ['a template expression', 'database: { staging: { engineVersion: "${google_sql_database_instance.x.name}" } }', 'database.staging.engineVersion: got "${google_sql_database_instance.x.name}"'],
    ['an AWS-only field', 'database: { production: { applyImmediately: true } }', 'database.production.applyImmediately: got true; expected no field of this name here'],
  ])('refuses %s', (_, extra, message) => {
    expect(configProblems(withStack(CLUSTER, extra))).toContain(`stacks.cluster-gcp.${message}`);
  });
});
