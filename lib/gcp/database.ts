import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { SqlDatabase, SqlDatabaseInstance, SqlUser } from '../providers/google';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';
import { cloudSqlDiskProblem } from './cloud-sql-limits';
import { suppressGuardrails } from '../guardrails/suppress';

/** Props of `CloudSqlPostgres`. */
export interface CloudSqlPostgresProps {
  /** The GCP project id. */
  readonly project: string;
  /** The region it is created in. */
  readonly region: string;
  /** Instance name (`serverpod-production-database`). Changing it replaces the instance and its data. */
  readonly instanceName: string;
  /**
   * VPC the instance gets its private IP in (network id).
   * @default - no private IP (then `connectorsOnly` must be true)
   */
  readonly network?: string;
  /**
   * Reach the instance only through Cloud SQL connectors (Cloud Run's Cloud SQL connection, the Auth Proxy):
   * it gets a public IP with no authorized networks, so nothing connects without an IAM-checked, encrypted
   * connector tunnel.
   * @default false
   */
  readonly connectorsOnly?: boolean;
  /** Resources that must exist first: the service networking connection when `network` is set. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** The `postgres` user's password, as a reference (a generated secret's value). Never a literal. */
  readonly password: string;
  /** @default 'db-f1-micro' */
  readonly tier?: string;
  /** `ZONAL`, or `REGIONAL` for a standby in a second zone (about twice the cost). @default 'ZONAL' */
  readonly availabilityType?: 'ZONAL' | 'REGIONAL';
  /** @default 'POSTGRES_16' */
  readonly databaseVersion?: string;
  /**
   * The data disk in GB: 10 to 65,536 (3,062 on the shared-core tiers db-f1-micro and db-g1-small). Cloud SQL grows
   * it automatically as data grows and never shrinks it. It counts at creation only: the instance ignores later
   * changes (a grown disk would otherwise plan a replacement); grow a disk by hand with `gcloud sql instances patch
   * --storage-size`.
   * @default 10
   */
  readonly diskSizeGb?: number;
  /** @default 'serverpod' */
  readonly databaseName?: string;
  /** @default 'postgres' */
  readonly userName?: string;
  /**
   * Refuse deletion, both in Terraform and in the Cloud SQL API. Production data should keep it.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** Daily backups kept. @default 7 */
  readonly retainedBackups?: number;
  /** Point-in-time recovery from the write-ahead log (kept 7 days). @default true */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Sets the `max_connections` flag (Cloud SQL restarts the instance to apply it). Each connection takes memory:
   * raise it only on a tier with room.
   * @default - Cloud SQL's default for the tier's memory (`cloudSqlMaxConnections`)
   */
  readonly maxConnections?: number;
}

/**
 * Cloud SQL for PostgreSQL on a private IP only (or, with `connectorsOnly`, reachable only through Cloud SQL
 * connectors: a public IP that admits no network), requiring encrypted connections,
 * with daily backups, point-in-time recovery and deletion protection. Creates the `serverpod` database and the
 * `postgres` user.
 */
export class CloudSqlPostgres extends Construct {
  /** The Cloud SQL instance. */
  public readonly instance: SqlDatabaseInstance;
  /** The app's database. */
  public readonly database: SqlDatabase;
  /** The app's user. */
  public readonly user: SqlUser;
  /** The database's name (`databaseName` of the props). */
  public readonly databaseName: string;
  /** The user's name (`userName` of the props). */
  public readonly userName: string;

  constructor(scope: Construct, id: string, props: CloudSqlPostgresProps) {
    super(scope, id);
    literalStrings(this);
    const tier = props.tier ?? 'db-f1-micro';
    const diskSizeGb = props.diskSizeGb ?? 10;
    const retained = props.retainedBackups ?? 7;
    const version = props.databaseVersion ?? 'POSTGRES_16';
    const problems = new ProblemCollector('props.');
    problems.check(/^[a-z][a-z0-9-]{0,96}[a-z0-9]$/.test(props.instanceName), 'instanceName', props.instanceName, 'lowercase letters, digits and hyphens, starting with a letter, at most 98 characters');
    problems.check(/^db-[a-z0-9-]+$/.test(tier), 'tier', tier, 'a Cloud SQL tier such as db-f1-micro or db-custom-1-3840');
    problems.check(/^POSTGRES_\d+$/.test(version), 'databaseVersion', version, 'a PostgreSQL version such as POSTGRES_16');
    const diskProblem = cloudSqlDiskProblem(diskSizeGb, tier);
    problems.check(diskProblem === undefined, 'diskSizeGb', diskSizeGb, diskProblem ?? '');
    problems.check(Number.isInteger(retained) && retained >= 1 && retained <= 365, 'retainedBackups', retained, 'a whole number from 1 to 365');
    problems.check(props.network !== undefined || props.connectorsOnly === true, 'network', props.network, 'a VPC network id, unless connectorsOnly is true');
    if (props.maxConnections !== undefined) problems.check(Number.isInteger(props.maxConnections) && props.maxConnections >= 14 && props.maxConnections <= 262143, 'maxConnections', props.maxConnections, 'a whole number from 14 to 262143 (the max_connections flag)');
    problems.throwIfAny(`CloudSqlPostgres "${this.node.path}"`);

    const protect = props.deletionProtection ?? true;
    this.databaseName = props.databaseName ?? 'serverpod';
    this.userName = props.userName ?? 'postgres';
    this.instance = new SqlDatabaseInstance(this, 'Resource', {
      project: props.project,
      name: props.instanceName,
      region: props.region,
      databaseVersion: version,
      deletionProtection: protect,
      settings: {
        tier,
        // The shared-core tiers exist only in the Enterprise edition.
        edition: 'ENTERPRISE',
        availabilityType: props.availabilityType ?? 'ZONAL',
        diskType: 'PD_SSD',
        diskSize: diskSizeGb,
        diskAutoresize: true,
        deletionProtectionEnabled: protect,
        ipConfiguration: {
          // A public IP only for connectors, and then with no authorized networks at all.
          ipv4Enabled: props.connectorsOnly ?? false,
          privateNetwork: props.network,
          sslMode: 'ENCRYPTED_ONLY',
        },
        backupConfiguration: {
          enabled: true,
          startTime: '03:00',
          pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? true,
          transactionLogRetentionDays: 7,
          backupRetentionSettings: { retainedBackups: retained, retentionUnit: 'COUNT' },
        },
        maintenanceWindow: { day: 7, hour: 4, updateTrack: 'stable' },
        insightsConfig: { queryInsightsEnabled: true },
        databaseFlags: [
          { name: 'log_min_duration_statement', value: '1000' },
          ...(props.maxConnections !== undefined ? [{ name: 'max_connections', value: String(props.maxConnections) }] : []),
        ],
      },
      dependsOn: props.dependsOn,
      // Cloud SQL grows the disk (disk_autoresize); a plan comparing the grown disk with disk_size would replace the
      // instance to shrink it (the provider's documented trap), so disk_size counts only at creation.
      lifecycle: { ignoreChanges: ['settings[0].disk_size'] },
    });
    if (props.connectorsOnly) {
      suppressGuardrails(this.instance, [
        // The bare public IP only: an authorized network added later is reported apart (settings.ip_configuration.authorized_networks).
        {
          rule: 'GCP-SQL-PUBLIC-IP',
          reason: 'connectorsOnly: the public IP admits no authorized network, only IAM-checked, encrypted Cloud SQL connector tunnels',
          attributes: ['settings.ip_configuration.ipv4_enabled'],
        },
      ]);
    }
    this.database = new SqlDatabase(this, 'Database', { project: props.project, name: this.databaseName, instance: this.instance.name });
    this.user = new SqlUser(this, 'User', {
      project: props.project,
      name: this.userName,
      instance: this.instance.name,
      password: props.password,
      // The user owns the app's tables, so Postgres refuses DROP ROLE and `destroy` would stop here; the instance's
      // own deletion takes the user with it.
      deletionPolicy: 'ABANDON',
    });
  }

  /** The instance's private IP address. */
  get privateIp(): string {
    return this.instance.privateIpAddress;
  }

  /** `project:region:instance`, for the Cloud SQL Auth Proxy and connectors. */
  get connectionName(): string {
    return this.instance.connectionName;
  }
}
