import { Construct } from 'constructs';
import { ElasticacheReplicationGroup, ElasticacheSubnetGroup, SecurityGroup, VpcSecurityGroupIngressRule } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';
import { suppressGuardrails } from '../guardrails/suppress';

/**
 * ElastiCache Redis OSS versions the servers can use: 6 and later. Without an AUTH token, clients log in as
 * the default user (`AUTH default <any>`), which Redis 5 lacks. The form is the AWS provider's: `6.x` or
 * `major.minor`.
 */
export const REDIS_ENGINE_VERSION = /^(6\.(x|\d+)|[7-9]\.\d+)$/;
/** What `REDIS_ENGINE_VERSION` allows, in words. */
export const REDIS_ENGINE_VERSION_RULE = 'a Redis OSS version of 6.0 or later: 6.x or major.minor, such as 7.1 or 6.2';

/** Props of `RedisCache`. */
export interface RedisCacheProps {
  /**
   * Replication group id, unique per region and account (`serverpod-production-redis`): 1 to 40 lowercase
   * letters, digits and hyphens. Give every environment its own. Changing it replaces the cache.
   */
  readonly replicationGroupId: string;
  /** The VPC's id. */
  readonly vpcId: string;
  /** Private subnets. */
  readonly subnetIds: readonly string[];
  /** Security groups allowed to connect on 6379 (the servers'). */
  readonly clientSecurityGroupIds: readonly string[];
  /** @default 'cache.t4g.micro' */
  readonly nodeType?: string;
  /**
   * Nodes: 1 (no replica) or 2 and more (replicas in other zones with automatic failover).
   * @default 1
   */
  readonly nodes?: number;
  /** ElastiCache's Redis OSS version, 6.0 or later. @default '7.1' */
  readonly engineVersion?: string;
  /** Days of daily snapshots; 0 keeps none. @default 1 */
  readonly snapshotRetentionDays?: number;
}

/**
 * Redis on ElastiCache (a replication group): private subnets, encryption at rest and in transit (TLS
 * required: the server must set `SERVERPOD_REDIS_REQUIRE_SSL=true`), reachable on 6379 only from the given
 * security groups. No AUTH token, so no secret lands in state; the network is the boundary.
 */
export class RedisCache extends Construct {
  /** Redis's security group (6379 from the client groups only). */
  public readonly securityGroup: SecurityGroup;
  /** Its subnet group. */
  public readonly subnetGroup: ElasticacheSubnetGroup;
  /** The ElastiCache replication group. */
  public readonly replicationGroup: ElasticacheReplicationGroup;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    literalStrings(this);
    const nodeType = props.nodeType ?? 'cache.t4g.micro';
    const nodes = props.nodes ?? 1;
    const snapshots = props.snapshotRetentionDays ?? 1;
    const engineVersion = props.engineVersion ?? '7.1';
    const problems = new ProblemCollector('props.');
    problems.check(/^[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]$|^[a-z]$/.test(props.replicationGroupId), 'replicationGroupId', props.replicationGroupId, '1 to 40 lowercase letters, digits and single hyphens, starting with a letter');
    problems.check(/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(nodeType), 'nodeType', nodeType, 'an ElastiCache node type such as cache.t4g.micro');
    problems.check(Number.isInteger(nodes) && nodes >= 1 && nodes <= 6, 'nodes', nodes, 'a whole number from 1 to 6');
    problems.check(Number.isInteger(snapshots) && snapshots >= 0 && snapshots <= 35, 'snapshotRetentionDays', snapshots, 'a whole number from 0 to 35');
    problems.check(REDIS_ENGINE_VERSION.test(engineVersion), 'engineVersion', engineVersion, REDIS_ENGINE_VERSION_RULE);
    problems.throwIfAny(`RedisCache "${this.node.path}"`);

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: props.replicationGroupId,
      description: 'Redis: 6379 from the servers only',
      vpcId: props.vpcId,
      tags: { Name: props.replicationGroupId },
    });
    props.clientSecurityGroupIds.forEach((groupId, i) => {
      new VpcSecurityGroupIngressRule(this, `client-${i}`, {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: groupId,
        ipProtocol: 'tcp',
        fromPort: 6379,
        toPort: 6379,
        description: 'Redis from the servers',
      });
    });
    this.subnetGroup = new ElasticacheSubnetGroup(this, 'SubnetGroup', {
      name: props.replicationGroupId,
      description: `${props.replicationGroupId}: private subnets`,
      subnetIds: [...props.subnetIds],
    });
    this.replicationGroup = new ElasticacheReplicationGroup(this, 'Resource', {
      replicationGroupId: props.replicationGroupId,
      description: `Redis for ${props.replicationGroupId}`,
      engine: 'redis',
      engineVersion,
      nodeType,
      numCacheClusters: nodes,
      automaticFailoverEnabled: nodes > 1,
      multiAzEnabled: nodes > 1,
      port: 6379,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [this.securityGroup.id],
      atRestEncryptionEnabled: 'true',
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      snapshotRetentionLimit: snapshots,
      autoMinorVersionUpgrade: 'true',
      applyImmediately: false,
    });
    suppressGuardrails(this.replicationGroup, [
      { rule: 'AWS-ELASTICACHE-AUTH', reason: 'no AUTH token, so no secret lands in the Terraform state: only the client security groups reach port 6379, over TLS', attributes: ['auth_token'] },
    ]);
  }

  /** Primary endpoint host name (a token). */
  get address(): string {
    return this.replicationGroup.primaryEndpointAddress;
  }

  /** Redis's port, 6379. */
  get port(): number {
    return 6379;
  }
}
