import 'cdktf/lib/testing/adapters/jest';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider, aws } from '../lib';
import { literalStrings } from '../lib/terraform-strings';
import { MINIMAL_AWS_CONFIG } from './fixtures';
import { awsTestStack, configProblems, only } from './helpers/assert';
import { StackJson, bootVariables, resourcesOfType, synthBundled, synthJson } from './helpers/synth';
import { PlannedChange, initValidatePlan, terraformAvailability } from './helpers/terraform';

// Issue 12 (AWS): a major version upgrade is an apply, a destroyed environment can be created again (and destroyed
// again) without name conflicts, and neither loses data: the final snapshot is always taken, and the secrets
// whose values exist nowhere else keep their recovery window.

const IDENTIFIER = 'p-production-database';

/** The resource of `type` whose cdktf name starts with `prefix`, with that name. */
function named(json: StackJson, type: string, prefix: string): { name: string; body: Record<string, any> } {
  const found = Object.entries<Record<string, any>>(json.resource?.[type] ?? {}).filter(([name]) => name.startsWith(prefix));
  expect(found.map(([name]) => name)).toHaveLength(1);
  return { name: found[0][0], body: found[0][1] };
}

function database(extra: Partial<aws.PostgresDatabaseProps> = {}): StackJson {
  const stack = awsTestStack();
  new aws.PostgresDatabase(stack, 'db', { identifier: IDENTIFIER, vpcId: 'vpc-1', subnetIds: ['a', 'b'], clientSecurityGroupIds: ['sg-servers'], ...extra });
  return synthJson(stack);
}

/** RDS's rules for a DB snapshot identifier: 1 to 255 letters, digits and hyphens, a letter first, no `--`, no final `-`. */
const SNAPSHOT_IDENTIFIER = /^(?=.{1,255}$)[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]$/;

describe('PostgresDatabase: major version upgrades', () => {
  it('upgrades at once, with applyImmediately, into a new parameter group under the same construct', () => {
    expect(only(database(), 'aws_db_instance').apply_immediately).toBe(false);
    const upgraded = database({ engineVersion: '17', applyImmediately: true });
    expect(only(upgraded, 'aws_db_instance')).toMatchObject({ engine_version: '17', apply_immediately: true, allow_major_version_upgrade: true });
    // The group's address and name scheme are API: the new family's group replaces the old one, created first.
    const before = named(database(), 'aws_db_parameter_group', 'db_ParameterGroup_');
    const after = named(upgraded, 'aws_db_parameter_group', 'db_ParameterGroup_');
    expect(after.name).toBe(before.name);
    expect(before.body).toMatchObject({ name: `${IDENTIFIER}-postgres16`, family: 'postgres16', lifecycle: { create_before_destroy: true } });
    expect(after.body).toMatchObject({ name: `${IDENTIFIER}-postgres17`, family: 'postgres17', lifecycle: { create_before_destroy: true } });
    expect(only(upgraded, 'aws_db_instance').parameter_group_name).toBe(`\${aws_db_parameter_group.${after.name}.name}`);
  });
});

describe('PostgresDatabase: the final snapshot', () => {
  it('is taken on delete even without deletion protection, under a name unique to this creation of the database', () => {
    for (const deletionProtection of [true, false]) {
      const json = database({ deletionProtection });
      const db = only(json, 'aws_db_instance');
      const group = named(json, 'aws_security_group', 'db_SecurityGroup_');
      expect(db).toMatchObject({ deletion_protection: deletionProtection, skip_final_snapshot: false });
      // The database's own security group is created and destroyed with it: a re-created database has a new id.
      expect(db.final_snapshot_identifier).toBe(`${IDENTIFIER}-final-\${aws_security_group.${group.name}.id}`);
      // Fixed by the group, not by ignore_changes, which would keep a missing name of an earlier database.
      expect(db.lifecycle?.ignore_changes ?? []).not.toContain('final_snapshot_identifier');
    }
  });

  it('is a valid RDS snapshot identifier for the longest database identifier', () => {
    const longest = `a${'-b'.repeat(30)}cd`;
    expect(longest).toHaveLength(63);
    const db = only(database({ identifier: longest }), 'aws_db_instance');
    const withId = String(db.final_snapshot_identifier).replace(/\$\{aws_security_group\.[^}]+\.id\}/, 'sg-0123456789abcdef0');
    expect(withId).toBe(`${longest}-final-sg-0123456789abcdef0`);
    expect(withId).toMatch(SNAPSHOT_IDENTIFIER);
  });

  it('can be declined with finalSnapshot: false, separately from deletion protection', () => {
    const db = only(database({ finalSnapshot: false }), 'aws_db_instance');
    expect(db).toMatchObject({ deletion_protection: true, skip_final_snapshot: true });
    expect(db.final_snapshot_identifier).toBeUndefined();
  });
});

describe('cluster-aws secrets: a destroyed environment can be created again', () => {
  const json = synthBundled(MINIMAL_AWS_CONFIG).stacks['cluster-aws'];
  const secrets = Object.entries<Record<string, any>>(json.resource.aws_secretsmanager_secret);
  const server = secrets.filter(([name]) => name.startsWith('production_secret-'));
  const accessKey = secrets.filter(([name]) => name.startsWith('production_StorageAccessKey_'));

  it('names the server secrets by prefix, keeps an earlier fixed name, and keeps production\'s 7-day recovery window', () => {
    expect(server.map(([, s]) => s.name_prefix).sort()).toEqual(
      ['emailSecretHashPepper', 'jwtHmacSha512PrivateKey', 'jwtRefreshTokenHashPepper', 'serviceSecret'].map((key) => `serverpod-production-secrets/${key}-`),
    );
    for (const [, s] of server) {
      expect(s.name).toBeUndefined();
      expect(s.lifecycle).toEqual({ ignore_changes: ['name', 'name_prefix'] });
      expect(s.recovery_window_in_days).toBe(7);
    }
    // Nothing depends on the name: the role and the boot script refer to each secret by ARN.
    const policy = resourcesOfType(json, 'aws_iam_role_policy').find((p) => p.name === 'server')!.policy as string;
    const userData = Object.entries<string>(json.locals).find(([k]) => k.startsWith('production_Servers_UserData'))![1];
    for (const text of [policy, userData]) expect(text).not.toContain('-secrets/');
    for (const [name] of server) expect(policy).toContain(`\${aws_secretsmanager_secret.${name}.arn}`);
    const serviceSecret = server.find(([n]) => n.startsWith('production_secret-serviceSecret_'))![0];
    expect(bootVariables(userData).secrets.SERVERPOD_SERVICE_SECRET).toContain(`\${aws_secretsmanager_secret.${serviceSecret}.arn}`);
  });

  it('deletes the storage access key\'s secrets at once: the key dies with its user', () => {
    expect(accessKey.map(([, s]) => [s.name, s.recovery_window_in_days])).toEqual([
      ['serverpod-production-secrets/AWSAccessKeyId', 0],
      ['serverpod-production-secrets/AWSSecretKey', 0],
    ]);
    const standalone = awsTestStack();
    new aws.StorageAccessKey(standalone, 'key', { name: 'k', region: 'us-west-2', bucketArns: ['arn:aws:s3:::bucket-a'], secretNamePrefix: 'p-production-secrets' });
    expect(resourcesOfType(synthJson(standalone), 'aws_secretsmanager_secret').map((s) => s.recovery_window_in_days)).toEqual([0, 0]);
  });
});

describe('config: stacks.cluster-aws.database', () => {
  const databases = (text: string) => resourcesOfType(synthBundled(text).stacks['cluster-aws'], 'aws_db_instance');

  it('defaults to PostgreSQL 16, changes in the maintenance window and a final snapshot, per environment', () => {
    const [production, staging] = databases('domain: example.com\nenvironments: [production, staging]\nstacks:\n  cluster-aws: {}\n');
    for (const db of [production, staging]) expect(db).toMatchObject({ engine_version: '16', apply_immediately: false, skip_final_snapshot: false });
    expect(staging.deletion_protection).toBe(false);
  });

  it('passes each environment\'s version, applyImmediately and finalSnapshot to its database', () => {
    const text = [
      'domain: example.com',
      'environments: [production, staging]',
      'stacks:',
      '  cluster-aws:',
      '    database:',
      '      staging: { engineVersion: 17, applyImmediately: true, finalSnapshot: false }',
      '',
    ].join('\n');
    const byId = Object.fromEntries(databases(text).map((db) => [db.identifier, db]));
    expect(byId['serverpod-production-database']).toMatchObject({ engine_version: '16', apply_immediately: false, skip_final_snapshot: false });
    expect(byId['serverpod-staging-database']).toMatchObject({ engine_version: '17', apply_immediately: true, skip_final_snapshot: true });
    expect(byId['serverpod-staging-database'].final_snapshot_identifier).toBeUndefined();
  });

  it('turns production\'s deletion protection off when asked (the step before a destroy), and staging\'s on', () => {
    const text = 'domain: example.com\nenvironments: [production, staging]\nstacks:\n  cluster-aws:\n    database: { production: { deletionProtection: false, acknowledgeDataLoss: "tearing down the demo for good" }, staging: { deletionProtection: true } }\n';
    const byId = Object.fromEntries(databases(text).map((db) => [db.identifier, db]));
    expect(byId['serverpod-production-database'].deletion_protection).toBe(false);
    expect(byId['serverpod-staging-database'].deletion_protection).toBe(true);
    // The final snapshot does not depend on it.
    expect(byId['serverpod-production-database'].skip_final_snapshot).toBe(false);
  });

  it.each([
    ['a template expression as the version', '{ production: { engineVersion: "${aws_db_instance.x.id}" } }', 'stacks.cluster-aws.database.production.engineVersion: got "${aws_db_instance.x.id}"; expected a number'],
    ['shell code as applyImmediately', '{ production: { applyImmediately: "true; rm -rf /" } }', 'stacks.cluster-aws.database.production.applyImmediately: got "true; rm -rf /"; expected true or false'],
    ['a string as finalSnapshot', '{ staging: { finalSnapshot: "no" } }', 'stacks.cluster-aws.database.staging.finalSnapshot: got "no"; expected true or false'],
    ['PostgreSQL 12', '{ production: { engineVersion: 12 } }', 'stacks.cluster-aws.database.production.engineVersion: got 12; expected a PostgreSQL major version from 13 to 18'],
    ['a minor version', '{ production: { engineVersion: 16.4 } }', 'stacks.cluster-aws.database.production.engineVersion: got 16.4'],
    ['a field for both environments', '{ applyImmediately: true }', 'stacks.cluster-aws.database.applyImmediately: got true; expected no field of this name here'],
  ])('refuses %s', (_, value, message) => {
    expect(configProblems(`domain: example.com\nstacks:\n  cluster-aws: { database: ${value} }\n`)).toContain(message);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The real provider: plan the new configuration against the state an earlier release left.
// ---------------------------------------------------------------------------------------------------------------

const availability = terraformAvailability();
if (!availability.available) {
  // eslint-disable-next-line no-console
  console.warn(`Upgrade plan against an earlier state skipped: ${availability.reason}.`);
}
const maybe = availability.available ? describe : describe.skip;

const ACCOUNT = '123456789012';
const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

/** Only what the plan needs: a production database (was protected) and a staging one (was not), and a secret. */
function upgradeStack(): StackJson {
  const stack = new TerraformStack(Testing.app(), 'upgrade');
  new AwsProvider(stack, 'aws', { region: 'us-west-2' });
  literalStrings(stack);
  const common = { vpcId: 'vpc-0a1b2c3d', subnetIds: ['subnet-0aaa', 'subnet-0bbb'], clientSecurityGroupIds: ['sg-0servers00000000'], engineVersion: '17', applyImmediately: true };
  new aws.PostgresDatabase(stack, 'production', { ...common, identifier: 'p-production-database' });
  new aws.PostgresDatabase(stack, 'staging', { ...common, identifier: 'p-staging-database', deletionProtection: false, backupRetentionDays: 1 });
  aws.serverSecret(stack, 'secret-emailSecretHashPepper', { name: 'p-production-secrets/emailSecretHashPepper', description: 'emailSecretHashPepper of the production server; generated by the first server that boots', recoveryWindowInDays: 7 });
  return synthJson(stack);
}

type StateResource = { mode: 'managed'; type: string; name: string; provider: string; instances: { schema_version: number; attributes: Record<string, unknown> }[] };

/** The state PostgresDatabase left before this change: PostgreSQL 16, `<identifier>-final` or no final snapshot. */
function earlierDatabase(json: StackJson, id: string, identifier: string, protect: boolean, sg: string): StateResource[] {
  const r = (type: string, schemaVersion: number, attributes: Record<string, unknown>): StateResource => ({
    mode: 'managed',
    type,
    name: named(json, type, `${id}_`).name,
    provider: PROVIDER,
    instances: [{ schema_version: schemaVersion, attributes: { tags: { Name: identifier }, tags_all: { Name: identifier }, ...attributes } }],
  });
  const resourceId = `db-${identifier.toUpperCase().replace(/-/g, '').padEnd(26, 'X').slice(0, 26)}`;
  const parameterGroup = `${identifier}-postgres16`;
  return [
    r('aws_security_group', 1, {
      id: sg, arn: `arn:aws:ec2:us-west-2:${ACCOUNT}:security-group/${sg}`, name: identifier, name_prefix: '', description: 'PostgreSQL: 5432 from the servers only',
      vpc_id: 'vpc-0a1b2c3d', owner_id: ACCOUNT, revoke_rules_on_delete: false, ingress: [], egress: [],
    }),
    r('aws_vpc_security_group_ingress_rule', 0, {
      id: `sgr-0${sg.slice(3)}`, arn: `arn:aws:ec2:us-west-2:${ACCOUNT}:security-group-rule/sgr-0${sg.slice(3)}`, security_group_id: sg, security_group_rule_id: `sgr-0${sg.slice(3)}`,
      referenced_security_group_id: 'sg-0servers00000000', ip_protocol: 'tcp', from_port: 5432, to_port: 5432, description: 'PostgreSQL from the servers', tags: null, tags_all: {},
    }),
    r('aws_db_subnet_group', 0, {
      id: identifier, arn: `arn:aws:rds:us-west-2:${ACCOUNT}:subgrp:${identifier}`, name: identifier, name_prefix: '', description: `${identifier}: private subnets`,
      subnet_ids: ['subnet-0aaa', 'subnet-0bbb'], supported_network_types: ['IPV4'], vpc_id: 'vpc-0a1b2c3d', tags: null, tags_all: {},
    }),
    r('aws_db_parameter_group', 0, {
      id: parameterGroup, arn: `arn:aws:rds:us-west-2:${ACCOUNT}:pg:${parameterGroup}`, name: parameterGroup, name_prefix: '', family: 'postgres16', description: `${identifier}: TLS required`,
      parameter: [{ name: 'rds.force_ssl', value: '1', apply_method: 'immediate' }], skip_destroy: false, tags: null, tags_all: {},
    }),
    r('aws_db_instance', 2, {
      id: resourceId, resource_id: resourceId, identifier, identifier_prefix: '', arn: `arn:aws:rds:us-west-2:${ACCOUNT}:db:${identifier}`,
      engine: 'postgres', engine_version: '16', engine_version_actual: '16.8', instance_class: 'db.t4g.micro', allocated_storage: 20, max_allocated_storage: 100,
      storage_type: 'gp3', storage_encrypted: true, db_name: 'serverpod', username: 'postgres', manage_master_user_password: true,
      master_user_secret: [{ secret_arn: `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:rds!db-0a1b2c3d-AbCdEf`, kms_key_id: `arn:aws:kms:us-west-2:${ACCOUNT}:key/0`, secret_status: 'active' }],
      db_subnet_group_name: identifier, parameter_group_name: parameterGroup, vpc_security_group_ids: [sg], publicly_accessible: false, multi_az: false,
      backup_retention_period: protect ? 7 : 1, copy_tags_to_snapshot: true, deletion_protection: protect, skip_final_snapshot: !protect,
      final_snapshot_identifier: protect ? `${identifier}-final` : null, performance_insights_enabled: false, apply_immediately: false,
      auto_minor_version_upgrade: true, allow_major_version_upgrade: true, delete_automated_backups: true, port: 5432, status: 'available',
      address: `${identifier}.abc123.us-west-2.rds.amazonaws.com`, endpoint: `${identifier}.abc123.us-west-2.rds.amazonaws.com:5432`, tags: null, tags_all: {},
    }),
  ];
}

type Change = PlannedChange;

/** `terraform init` (local mirror), then `plan -refresh=false` against `resources` as the prior state; the plan as JSON. */
function planAgainst(json: StackJson, resources: StateResource[]): Change[] {
  return initValidatePlan(json, 'aws-lifecycle', { priorResources: resources }).plan.resource_changes ?? [];
}

maybe('an earlier deployment planned with PostgreSQL 17 and applyImmediately (real AWS provider, offline)', () => {
  const SG = { production: 'sg-0aaaaaaaaaaaaaaa1', staging: 'sg-0bbbbbbbbbbbbbbb2' };
  let json: StackJson;
  let secret: { name: string };
  let changes: Change[] = [];
  beforeAll(() => {
    json = upgradeStack();
    secret = named(json, 'aws_secretsmanager_secret', 'secret-emailSecretHashPepper');
    changes = planAgainst(json, [
      ...earlierDatabase(json, 'production', 'p-production-database', true, SG.production),
      ...earlierDatabase(json, 'staging', 'p-staging-database', false, SG.staging),
      {
        mode: 'managed',
        type: 'aws_secretsmanager_secret',
        name: secret.name,
        provider: PROVIDER,
        instances: [
          {
            schema_version: 0,
            attributes: {
              id: `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:p-production-secrets/emailSecretHashPepper-AbCdEf`,
              arn: `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:p-production-secrets/emailSecretHashPepper-AbCdEf`,
              name: 'p-production-secrets/emailSecretHashPepper',
              name_prefix: '',
              description: 'emailSecretHashPepper of the production server; generated by the first server that boots',
              recovery_window_in_days: 7,
              force_overwrite_replica_secret: false,
              kms_key_id: '',
              policy: '',
              replica: [],
              tags: null,
              tags_all: {},
            },
          },
        ],
      },
    ]);
  });
  const change = (type: string, prefix: string) => {
    const address = `${type}.${named(json, type, prefix).name}`;
    const found = changes.find((c) => c.address === address);
    if (!found) throw new Error(`no planned change for ${address}; planned: ${changes.map((c) => c.address).join(', ')}`);
    return found;
  };

  it.each(['production', 'staging'])('replaces the %s parameter group with a postgres17 one, created before the old one is deleted', (env) => {
    const group = change('aws_db_parameter_group', `${env}_ParameterGroup_`);
    expect(group.change.actions).toEqual(['create', 'delete']);
    expect(group.change.before).toMatchObject({ name: `p-${env}-database-postgres16`, family: 'postgres16' });
    expect(group.change.after).toMatchObject({ name: `p-${env}-database-postgres17`, family: 'postgres17' });
  });

  it.each(['production', 'staging'])('upgrades the %s instance in place, at once, into the new group', (env) => {
    const db = change('aws_db_instance', `${env}_`);
    expect(db.change.actions).toEqual(['update']);
    expect(db.change.before).toMatchObject({ engine_version: '16', apply_immediately: false, parameter_group_name: `p-${env}-database-postgres16` });
    expect(db.change.after).toMatchObject({
      engine_version: '17',
      apply_immediately: true,
      allow_major_version_upgrade: true,
      identifier: `p-${env}-database`,
      parameter_group_name: `p-${env}-database-postgres17`,
    });
  });

  it('renames the production final snapshot once, in state only, to the name of this creation of the database', () => {
    const db = change('aws_db_instance', 'production_');
    expect(db.change.before).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: 'p-production-database-final' });
    // Known at plan: the security group is in the state and is not replaced.
    expect(db.change.after).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: `p-production-database-final-${SG.production}` });
    expect(change('aws_security_group', 'production_SecurityGroup_').change.actions).not.toContain('delete');
  });

  it('gives the staging database, created without a final snapshot, one it can be destroyed with', () => {
    const db = change('aws_db_instance', 'staging_');
    expect(db.change.before).toMatchObject({ skip_final_snapshot: true, final_snapshot_identifier: null, deletion_protection: false });
    expect(db.change.after).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: `p-staging-database-final-${SG.staging}` });
  });

  it('keeps the secret created under its fixed name: not replaced, not renamed', () => {
    const s = change('aws_secretsmanager_secret', secret.name);
    expect(s.change.actions).toEqual(['no-op']);
    expect(s.change.after).toMatchObject({ name: 'p-production-secrets/emailSecretHashPepper', recovery_window_in_days: 7 });
  });
});
