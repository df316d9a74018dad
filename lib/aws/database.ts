import { Construct } from 'constructs';
import { DbInstance, DbParameterGroup, DbSubnetGroup, SecurityGroup, VpcSecurityGroupIngressRule } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { fitName } from './common';
import { literalStrings } from '../terraform-strings';

/** Props of `PostgresDatabase`. */
export interface PostgresDatabaseProps {
  /** Instance identifier (`serverpod-production-database`); also names the subnet, parameter and security groups. Changing it replaces the database. */
  readonly identifier: string;
  /** The VPC's id. */
  readonly vpcId: string;
  /** Private subnets in at least two zones. */
  readonly subnetIds: readonly string[];
  /** Security groups allowed to connect on 5432 (the servers'). */
  readonly clientSecurityGroupIds: readonly string[];
  /** @default 'db.t4g.micro' */
  readonly instanceClass?: string;
  /**
   * A standby in a second zone with automatic failover (doubles the instance cost).
   * @default false
   */
  readonly multiAz?: boolean;
  /**
   * Major PostgreSQL version; minor versions upgrade automatically. Raising it upgrades in place, with a new
   * parameter group of the new family: apply that change with `applyImmediately` (docs/cluster-aws.md, "Major
   * version upgrade"). RDS cannot go back down: a lower version needs a restore from a snapshot.
   * @default '16'
   */
  readonly engineVersion?: string;
  /** @default 20 */
  readonly allocatedStorageGb?: number;
  /**
   * Storage grows automatically up to this size.
   * @default 100
   */
  readonly maxAllocatedStorageGb?: number;
  /** Days of automated backups (point-in-time recovery). 1 to 35. @default 7 */
  readonly backupRetentionDays?: number;
  /**
   * Refuse deletion (turn it off, apply, then destroy). Turn off for throw-away environments; the final snapshot
   * (`finalSnapshot`) does not depend on it.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Take a final snapshot when the database is deleted, named `<identifier>-final-<id of the database's security
   * group>`: a re-created database has a new group, so its own final snapshot does not collide with the one an
   * earlier destroy left (a replacement of the database alone keeps the group, and so the name). Kept until you
   * delete it. `false` deletes the data with the database.
   * @default true
   */
  readonly finalSnapshot?: boolean;
  /**
   * Apply modifications at once instead of in the next maintenance window (`apply_immediately`). Set it for the
   * apply that upgrades the major version (the old parameter group can only be deleted once the instance has
   * left it) or must change the class now, then remove it: the database restarts during that apply, and
   * modifications still pending from earlier applies are made with it.
   * @default false
   */
  readonly applyImmediately?: boolean;
  /** Database created at launch. Changing it replaces the database. @default 'serverpod' */
  readonly databaseName?: string;
  /** Master user. Changing it replaces the database. @default 'postgres' */
  readonly username?: string;
  /** @default false */
  readonly performanceInsights?: boolean;
  /**
   * Sets the `max_connections` parameter (static: applied at the next reboot). Each connection takes memory:
   * raise it only on a class with room.
   * @default - RDS's default, LEAST(DBInstanceClassMemory/9531392, 5000) (`rdsMaxConnections` estimates it)
   */
  readonly maxConnections?: number;
}

/**
 * PostgreSQL on RDS: private subnets, not publicly accessible, encrypted storage, automated backups,
 * `rds.force_ssl` on, reachable on 5432 only from the given security groups. The master password is created
 * and rotated by RDS in Secrets Manager (`manage_master_user_password`): it is never in Terraform state or the
 * synthesized JSON. `secretArn` names that secret (its SecretString is JSON with `username` and `password`).
 */
export class PostgresDatabase extends Construct {
  /** The database's security group (5432 from the client groups only). */
  public readonly securityGroup: SecurityGroup;
  /** Its subnet group. */
  public readonly subnetGroup: DbSubnetGroup;
  /** Its parameter group (`rds.force_ssl`, `max_connections` when given). */
  public readonly parameterGroup: DbParameterGroup;
  /** The RDS instance. */
  public readonly instance: DbInstance;
  /** The database's name (`databaseName` of the props). */
  public readonly databaseName: string;
  /** The master user's name (`username` of the props). */
  public readonly username: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    literalStrings(this);
    const instanceClass = props.instanceClass ?? 'db.t4g.micro';
    const version = props.engineVersion ?? '16';
    const storage = props.allocatedStorageGb ?? 20;
    const maxStorage = props.maxAllocatedStorageGb ?? 100;
    const backups = props.backupRetentionDays ?? 7;
    const dbName = props.databaseName ?? 'serverpod';
    const username = props.username ?? 'postgres';
    const problems = new ProblemCollector('props.');
    problems.check(/^[a-z](?!.*--)[a-z0-9-]{0,61}[a-z0-9]$/.test(props.identifier), 'identifier', props.identifier, 'an RDS identifier: 2 to 63 lowercase letters, digits and single hyphens, starting with a letter');
    problems.check(/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass), 'instanceClass', instanceClass, 'an RDS instance class such as db.t4g.micro');
    problems.check(/^1[3-9]$/.test(version), 'engineVersion', version, 'a PostgreSQL major version from 13 to 19');
    problems.check(Number.isInteger(storage) && storage >= 20 && storage <= 65536, 'allocatedStorageGb', storage, 'a whole number from 20 to 65536');
    problems.check(Number.isInteger(maxStorage) && maxStorage >= storage, 'maxAllocatedStorageGb', maxStorage, `a whole number of at least allocatedStorageGb (${storage})`);
    problems.check(Number.isInteger(backups) && backups >= 1 && backups <= 35, 'backupRetentionDays', backups, 'a whole number from 1 to 35 (backups cannot be turned off)');
    problems.check(/^[a-z][a-z0-9_]{0,62}$/.test(dbName), 'databaseName', dbName, 'a lowercase database name of letters, digits and _');
    problems.check(/^[a-z][a-z0-9_]{0,62}$/.test(username) && !['admin', 'rdsadmin'].includes(username), 'username', username, 'a lowercase user name of letters, digits and _, not admin or rdsadmin');
    problems.check(props.subnetIds.length >= 2, 'subnetIds', props.subnetIds, 'subnets in at least 2 zones');
    if (props.maxConnections !== undefined) problems.check(Number.isInteger(props.maxConnections) && props.maxConnections >= 6 && props.maxConnections <= 262143, 'maxConnections', props.maxConnections, 'a whole number from 6 to 262143 (the max_connections parameter)');
    problems.throwIfAny(`PostgresDatabase "${this.node.path}"`);
    this.databaseName = dbName;
    this.username = username;
    const protect = props.deletionProtection ?? true;
    const finalSnapshot = props.finalSnapshot ?? true;

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: props.identifier,
      description: 'PostgreSQL: 5432 from the servers only',
      vpcId: props.vpcId,
      tags: { Name: props.identifier },
    });
    props.clientSecurityGroupIds.forEach((groupId, i) => {
      new VpcSecurityGroupIngressRule(this, `client-${i}`, {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: groupId,
        ipProtocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        description: 'PostgreSQL from the servers',
      });
    });
    this.subnetGroup = new DbSubnetGroup(this, 'SubnetGroup', { name: props.identifier, description: `${props.identifier}: private subnets`, subnetIds: [...props.subnetIds] });
    const family = `postgres${version}`;
    this.parameterGroup = new DbParameterGroup(this, 'ParameterGroup', {
      name: fitName(`${props.identifier}-${family}`, 255),
      family,
      description: `${props.identifier}: TLS required`,
      parameter: [
        { name: 'rds.force_ssl', value: '1', applyMethod: 'immediate' },
        ...(props.maxConnections !== undefined ? [{ name: 'max_connections', value: String(props.maxConnections), applyMethod: 'pending-reboot' }] : []),
      ],
      lifecycle: { createBeforeDestroy: true },
    });

    this.instance = new DbInstance(this, 'Resource', {
      identifier: props.identifier,
      engine: 'postgres',
      engineVersion: version,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: true,
      instanceClass,
      allocatedStorage: storage,
      maxAllocatedStorage: maxStorage,
      storageType: 'gp3',
      storageEncrypted: true,
      dbName,
      username,
      manageMasterUserPassword: true,
      dbSubnetGroupName: this.subnetGroup.name,
      parameterGroupName: this.parameterGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      multiAz: props.multiAz ?? false,
      backupRetentionPeriod: backups,
      copyTagsToSnapshot: true,
      deletionProtection: protect,
      // Unique per creation without ignore_changes: the security group's id is already in the state of an existing
      // database (a one-time in-place rename of this Terraform-only setting), and ignore_changes would keep the
      // empty name of one created without a final snapshot, whose destroy would then fail.
      skipFinalSnapshot: !finalSnapshot,
      finalSnapshotIdentifier: finalSnapshot ? `${props.identifier}-final-${this.securityGroup.id}` : undefined,
      performanceInsightsEnabled: props.performanceInsights ?? false,
      applyImmediately: props.applyImmediately ?? false,
    });
  }

  /** Host name of the instance (a token). */
  get address(): string {
    return this.instance.address;
  }

  /** Port (5432). */
  get port(): number {
    return 5432;
  }

  /** ARN of the RDS-managed Secrets Manager secret holding the master password (JSON key `password`). */
  get secretArn(): string {
    return this.instance.masterUserSecret.get(0).secretArn;
  }
}
