import { gzipSync } from 'zlib';
import { Aspects, Fn, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { AwsProvider, IamRolePolicy, LaunchTemplate } from '../lib/providers/aws';
import { evaluateRules } from '../lib/guardrails/engine';
import { Guardrails } from '../lib/guardrails/guardrails';
import { GuardrailRule, policyStatements } from '../lib/guardrails/rule';
import { AWS_RULES } from '../lib/guardrails/rules/aws';
import { SUPPRESSION_METADATA, suppressGuardrails } from '../lib/guardrails/suppress';
import { StackModel } from '../lib/model/stack-model';
import { EXAMPLE_BUILDERS } from './example-list';
import { FixtureResources, findingsOf, RuleFixture } from './helpers/guardrails';
import { testApp } from './helpers/synth';

/** A rule's fixtures, and what its failing fixture must be flagged for: `<address> <attribute>` of each finding. */
interface AwsRuleFixture extends RuleFixture {
  readonly flags: readonly string[];
}

/** A policy document as the JSON string `jsonencode` or cdktf leave in `policy`. */
const doc = (...statements: Record<string, unknown>[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const allBlocked = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
const gitHubTrust = (federated: string, condition?: Record<string, unknown>) =>
  doc({ Effect: 'Allow', Principal: { Federated: federated }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) });
const GITHUB_PROVIDER_ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

/**
 * A policy document as cdktf's `Fn.jsonencode` writes it into `policy`: `${jsonencode({"Version" = ..., "Statement" =
 * [...]})}`, an HCL object literal. `statements` gets a Terraform variable whose value is only known at apply: used
 * whole it is written as a bare reference (`var.bucket`), inside a string as `${var.bucket}`.
 */
function encoded(statements: (reference: string) => Record<string, unknown>[]): string {
  const stack = new TerraformStack(Testing.app(), 'encoded');
  new AwsProvider(stack, 'aws', { region: 'us-west-2' });
  const unknown = new TerraformVariable(stack, 'bucket', { type: 'string' });
  new IamRolePolicy(stack, 'p', { role: 'r', policy: Fn.jsonencode({ Version: '2012-10-17', Statement: statements(unknown.stringValue) }) });
  return JSON.parse(Testing.synth(stack)).resource.aws_iam_role_policy.p.policy;
}
/** An Allow of everything to everyone, as `Fn.jsonencode` writes it. */
const ENCODED_PUBLIC = encoded(() => [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }]);

/** A dynamic block as cdktf's `TerraformIterator.dynamic` writes it: `dynamic: { <name>: { for_each, content } }`. */
const dynamic = (name: string, content: Record<string, unknown>) => ({ dynamic: { [name]: { for_each: '${var.items}', content } } });

const FIXTURES: Record<string, AwsRuleFixture> = {
  'AWS-RDS-PUBLIC': {
    failing: { aws_db_instance: { db: { publicly_accessible: true } }, aws_rds_cluster_instance: { writer: { publicly_accessible: 'true' } } },
    passing: { aws_db_instance: { db: { publicly_accessible: false }, unset: {}, unknown: { publicly_accessible: '${var.public}' } } },
    flags: ['aws_db_instance.db publicly_accessible', 'aws_rds_cluster_instance.writer publicly_accessible'],
  },
  'AWS-RDS-STORAGE-ENCRYPTION': {
    failing: { aws_db_instance: { db: { engine: 'postgres' } }, aws_rds_cluster: { aurora: { engine: 'aurora-postgresql', storage_encrypted: false } } },
    passing: {
      aws_db_instance: {
        db: { engine: 'postgres', storage_encrypted: true },
        replica: { replicate_source_db: '${aws_db_instance.db.identifier}' },
        restored: { snapshot_identifier: 'before-upgrade' },
        unknown: { storage_encrypted: '${var.encrypted}' },
      },
      aws_rds_cluster: { serverless: { engine: 'aurora-postgresql', engine_mode: 'serverless' }, aurora: { storage_encrypted: 'true' } },
    },
    flags: ['aws_db_instance.db storage_encrypted', 'aws_rds_cluster.aurora storage_encrypted'],
  },
  'AWS-RDS-BACKUPS': {
    failing: { aws_db_instance: { db: { backup_retention_period: 0 } } },
    passing: { aws_db_instance: { db: { backup_retention_period: 7 }, unset: {}, replica: { replicate_source_db: 'source', backup_retention_period: 0 } } },
    flags: ['aws_db_instance.db backup_retention_period'],
  },
  'AWS-RDS-DELETION-PROTECTION': {
    failing: { aws_db_instance: { db: {} }, aws_rds_cluster: { aurora: { deletion_protection: false } } },
    passing: { aws_db_instance: { db: { deletion_protection: true } }, aws_rds_cluster: { aurora: { deletion_protection: true } } },
    flags: ['aws_db_instance.db deletion_protection', 'aws_rds_cluster.aurora deletion_protection'],
  },
  'AWS-RDS-FINAL-SNAPSHOT': {
    failing: { aws_db_instance: { db: { skip_final_snapshot: true } } },
    passing: { aws_db_instance: { db: { skip_final_snapshot: false, final_snapshot_identifier: 'db-final' }, unset: {} } },
    flags: ['aws_db_instance.db skip_final_snapshot'],
  },
  'AWS-RDS-MULTI-AZ': {
    failing: { aws_db_instance: { db: { multi_az: false }, unset: {} } },
    passing: { aws_db_instance: { db: { multi_az: true } } },
    flags: ['aws_db_instance.db multi_az', 'aws_db_instance.unset multi_az'],
  },
  'AWS-RDS-FORCE-SSL': {
    failing: {
      aws_db_parameter_group: {
        off: { family: 'postgres16', parameter: [{ name: 'rds.force_ssl', value: '0' }] },
        old: { family: 'postgres14', parameter: [{ name: 'max_connections', value: '100' }] },
      },
      aws_db_instance: {
        nogroup: { engine: 'postgres', engine_version: '14.12' },
        off: { engine: 'postgres', engine_version: '16', parameter_group_name: '${aws_db_parameter_group.off.name}' },
        old: { engine: 'postgres', engine_version: '14', parameter_group_name: '${aws_db_parameter_group.old.name}' },
        default: { engine: 'postgres', parameter_group_name: 'default.postgres13' },
      },
    },
    passing: {
      aws_db_parameter_group: {
        on: { family: 'postgres14', parameter: [{ name: 'rds.force_ssl', value: '1', apply_method: 'immediate' }] },
        recent: { name: 'recent', family: 'postgres16', parameter: [] },
      },
      aws_db_instance: {
        newer: { engine: 'postgres', engine_version: '16' },
        latest: { engine: 'postgres' },
        on: { engine: 'postgres', engine_version: '14', parameter_group_name: '${aws_db_parameter_group.on.name}' },
        byname: { engine: 'postgres', engine_version: '16', parameter_group_name: 'recent' },
        elsewhere: { engine: 'postgres', engine_version: '13', parameter_group_name: 'managed-outside-this-stack' },
        mysql: { engine: 'mysql', engine_version: '8.0' },
      },
    },
    flags: ['aws_db_instance.nogroup parameter_group_name', 'aws_db_instance.off parameter_group_name', 'aws_db_instance.old parameter_group_name', 'aws_db_instance.default parameter_group_name'],
  },
  'AWS-RDS-MINOR-UPGRADES': {
    failing: { aws_db_instance: { db: { auto_minor_version_upgrade: false } } },
    passing: { aws_db_instance: { db: { auto_minor_version_upgrade: true }, unset: {} } },
    flags: ['aws_db_instance.db auto_minor_version_upgrade'],
  },
  'AWS-S3-PUBLIC-ACCESS-BLOCK': {
    failing: {
      aws_s3_bucket: { bare: { bucket: 'bare' }, partial: {} },
      aws_s3_bucket_public_access_block: { partial: { bucket: '${aws_s3_bucket.partial.id}', block_public_acls: false, block_public_policy: true, ignore_public_acls: true } },
    },
    passing: {
      aws_s3_bucket: { b: {}, named: { bucket: 'my-logs' } },
      aws_s3_bucket_public_access_block: { b: { bucket: '${aws_s3_bucket.b.id}', ...allBlocked }, named: { bucket: 'my-logs', ...allBlocked } },
    },
    flags: ['aws_s3_bucket.bare aws_s3_bucket_public_access_block', 'aws_s3_bucket_public_access_block.partial block_public_acls', 'aws_s3_bucket_public_access_block.partial restrict_public_buckets'],
  },
  'AWS-S3-PUBLIC-POLICY': {
    failing: {
      aws_s3_bucket_policy: {
        open: { bucket: 'site', policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }) },
        wildcard: {
          bucket: 'site',
          policy: doc({ Sid: 'Any', Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::site/*', Condition: { StringEquals: { 'aws:SourceArn': '*' } } }),
        },
        encoded: { bucket: 'site', policy: ENCODED_PUBLIC },
        // Allow with NotPrincipal: every principal but the one listed.
        notprincipal: { bucket: 'site', policy: doc({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/blocked' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }) },
        // Conditions whose operator does not narrow: negated, ...IfExists, ForAllValues:, and an IP range of everything.
        negated: { bucket: 'site', policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }) },
        ifexists: { bucket: 'site', policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } }) },
        forall: { bucket: 'site', policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { 'ForAllValues:StringEquals': { 'aws:SourceArn': 'arn:aws:cloudfront::123456789012:distribution/D' } } }) },
        anyip: { bucket: 'site', policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { IpAddress: { 'aws:SourceIp': ['0.0.0.0/0'] } } }) },
      },
      aws_s3_bucket: { legacy: { policy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*' }) } },
    },
    passing: {
      aws_s3_bucket_policy: {
        office: { bucket: 'site', policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }) },
        anyvalue: { bucket: 'site', policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc123/r-ab12/ou-ab12-11111111/*' } } }) },
        denyothers: { bucket: 'site', policy: doc({ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/admin' }, Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::site' }) },
        encoded: { bucket: 'site', policy: encoded((who) => [{ Effect: 'Allow', Principal: { AWS: who }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }]) },
        cloudfront: {
          bucket: 'site',
          policy: doc(
            { Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { StringEquals: { 'AWS:SourceArn': '${aws_cloudfront_distribution.d.arn}' } } },
            { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: 'arn:aws:s3:::site/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          ),
        },
        org: { bucket: 'site', policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }) },
        role: { bucket: 'site', policy: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/reader' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }) },
        unknown: { bucket: 'site', policy: '${data.aws_iam_policy_document.elsewhere.json}' },
      },
    },
    flags: [
      'aws_s3_bucket_policy.open policy',
      'aws_s3_bucket_policy.wildcard policy',
      'aws_s3_bucket_policy.encoded policy',
      'aws_s3_bucket_policy.notprincipal policy',
      'aws_s3_bucket_policy.negated policy',
      'aws_s3_bucket_policy.ifexists policy',
      'aws_s3_bucket_policy.forall policy',
      'aws_s3_bucket_policy.anyip policy',
      'aws_s3_bucket.legacy policy',
    ],
  },
  'AWS-S3-PUBLIC-ACL': {
    failing: {
      aws_s3_bucket_acl: {
        canned: { bucket: 'site', acl: 'public-read' },
        grant: {
          bucket: 'site',
          access_control_policy: { grant: [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }], owner: { id: 'owner' } },
        },
      },
      aws_s3_object: { file: { bucket: 'site', key: 'index.html', acl: 'public-read-write' } },
    },
    passing: {
      aws_s3_bucket: { ignored: {} },
      aws_s3_bucket_public_access_block: { ignored: { bucket: '${aws_s3_bucket.ignored.id}', ignore_public_acls: true } },
      aws_s3_bucket_acl: { private: { bucket: 'site', acl: 'private' }, ignored: { bucket: '${aws_s3_bucket.ignored.id}', acl: 'public-read' } },
      aws_s3_object: { file: { bucket: 'site', key: 'index.html' } },
    },
    flags: ['aws_s3_bucket_acl.canned acl', 'aws_s3_bucket_acl.grant access_control_policy.grant.grantee.uri', 'aws_s3_object.file acl'],
  },
  'AWS-S3-TLS-ONLY': {
    failing: {
      aws_s3_bucket: { bare: {}, allowonly: {} },
      aws_s3_bucket_policy: { allowonly: { bucket: '${aws_s3_bucket.allowonly.id}', policy: doc({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: '*' }) } },
    },
    passing: {
      aws_s3_bucket: { secure: {}, tls12: {}, unknown: {} },
      aws_s3_bucket_policy: {
        secure: { bucket: '${aws_s3_bucket.secure.id}', policy: doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } }) },
        tls12: { bucket: '${aws_s3_bucket.tls12.id}', policy: doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }) },
        unknown: { bucket: '${aws_s3_bucket.unknown.id}', policy: '${jsonencode(local.policy)}' },
      },
    },
    flags: ['aws_s3_bucket.bare aws_s3_bucket_policy', 'aws_s3_bucket.allowonly aws_s3_bucket_policy'],
  },
  'AWS-S3-VERSIONING': {
    failing: {
      aws_s3_bucket: { bare: {}, suspended: {} },
      aws_s3_bucket_versioning: { suspended: { bucket: '${aws_s3_bucket.suspended.id}', versioning_configuration: { status: 'Suspended' } } },
    },
    passing: {
      aws_s3_bucket: { versioned: {}, inline: { versioning: { enabled: true } } },
      aws_s3_bucket_versioning: { versioned: { bucket: '${aws_s3_bucket.versioned.id}', versioning_configuration: [{ status: 'Enabled' }] } },
    },
    flags: ['aws_s3_bucket.bare aws_s3_bucket_versioning', 'aws_s3_bucket.suspended aws_s3_bucket_versioning'],
  },
  'AWS-S3-ACCESS-LOGS': {
    failing: { aws_s3_bucket: { data: {} } },
    passing: {
      aws_s3_bucket: { data: {}, logs: {}, inline: { logging: { target_bucket: 'elsewhere' } } },
      aws_s3_bucket_logging: { data: { bucket: '${aws_s3_bucket.data.id}', target_bucket: '${aws_s3_bucket.logs.id}', target_prefix: 'data/' } },
    },
    flags: ['aws_s3_bucket.data aws_s3_bucket_logging'],
  },
  'AWS-S3-ACLS-ENABLED': {
    failing: { aws_s3_bucket_ownership_controls: { writer: { bucket: 'site', rule: { object_ownership: 'ObjectWriter' } }, preferred: { bucket: 'site', rule: [{ object_ownership: 'BucketOwnerPreferred' }] } } },
    passing: { aws_s3_bucket_ownership_controls: { enforced: { bucket: 'site', rule: { object_ownership: 'BucketOwnerEnforced' } }, list: { bucket: 'site', rule: [{ object_ownership: 'BucketOwnerEnforced' }] } } },
    flags: ['aws_s3_bucket_ownership_controls.writer rule.object_ownership', 'aws_s3_bucket_ownership_controls.preferred rule.object_ownership'],
  },
  'AWS-SG-ADMIN-PORTS-OPEN': {
    failing: {
      aws_security_group: {
        range: { ingress: [{ from_port: 20, to_port: 25, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] },
        dynamic: dynamic('ingress', { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }),
      },
      aws_default_security_group: { default: { vpc_id: 'vpc-1', ingress: [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'] }] } },
      aws_vpc_security_group_ingress_rule: { rdp: { security_group_id: 'sg-1', cidr_ipv6: '::/0', ip_protocol: 'udp', from_port: 3389, to_port: 3389 } },
      aws_security_group_rule: { all: { type: 'ingress', protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'], security_group_id: 'sg-1' } },
    },
    passing: {
      aws_security_group: {
        web: {
          ingress: [
            { from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: ['::/0'] },
            { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'] },
            { from_port: 8, to_port: 0, protocol: 'icmp', cidr_blocks: ['0.0.0.0/0'] },
            { from_port: 23, to_port: 3388, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] },
          ],
        },
        dynamic: dynamic('ingress', { from_port: '${ingress.value}', to_port: '${ingress.value}', protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }),
      },
      aws_default_security_group: { default: { vpc_id: 'vpc-1', ingress: [{ from_port: 0, to_port: 0, protocol: '-1', self: true }] } },
      aws_vpc_security_group_ingress_rule: {
        udp22: { security_group_id: 'sg-1', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'udp', from_port: 22, to_port: 22 },
        unknown: { security_group_id: 'sg-1', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: '${var.port}', to_port: '${var.port}' },
        fromgroup: { security_group_id: 'sg-1', referenced_security_group_id: 'sg-2', ip_protocol: '-1' },
      },
      aws_security_group_rule: { egress: { type: 'egress', protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'], security_group_id: 'sg-1' } },
    },
    flags: [
      'aws_security_group.range ingress.cidr_blocks',
      'aws_security_group.dynamic ingress.cidr_blocks',
      'aws_default_security_group.default ingress.cidr_blocks',
      'aws_vpc_security_group_ingress_rule.rdp cidr_ipv6',
      'aws_security_group_rule.all cidr_blocks',
    ],
  },
  'AWS-SG-ALL-PORTS-OPEN': {
    failing: {
      aws_vpc_security_group_ingress_rule: { all: { security_group_id: 'sg-1', cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' } },
      aws_security_group: { tcp: { ingress: [{ from_port: 0, to_port: 65535, protocol: 'tcp', ipv6_cidr_blocks: ['::/0'] }] }, dynamic: dynamic('ingress', { from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['0.0.0.0/0'] }) },
      aws_default_security_group: { default: { ingress: { from_port: 0, to_port: 0, protocol: 'all', ipv6_cidr_blocks: ['::/0'] } } },
    },
    passing: {
      aws_vpc_security_group_ingress_rule: { internal: { security_group_id: 'sg-1', cidr_ipv4: '10.0.0.0/16', ip_protocol: '-1' }, https: { security_group_id: 'sg-1', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443 } },
      aws_security_group: { high: { ingress: [{ from_port: 1024, to_port: 65535, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] }, dynamic: dynamic('ingress', { from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['${ingress.value}'] }) },
      aws_default_security_group: { default: { ingress: [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: ['10.0.0.0/16'] }] } },
    },
    flags: ['aws_vpc_security_group_ingress_rule.all cidr_ipv4', 'aws_security_group.tcp ingress.ipv6_cidr_blocks', 'aws_security_group.dynamic ingress.cidr_blocks', 'aws_default_security_group.default ingress.ipv6_cidr_blocks'],
  },
  'AWS-EC2-IMDSV2': {
    failing: { aws_launch_template: { lt: { image_id: 'ami-1' } }, aws_instance: { vm: { metadata_options: { http_tokens: 'optional' } } } },
    passing: {
      aws_launch_template: { lt: { metadata_options: { http_endpoint: 'enabled', http_tokens: 'required' } }, unknown: { metadata_options: { http_tokens: '${var.tokens}' } } },
      aws_instance: { off: { metadata_options: [{ http_endpoint: 'disabled' }] } },
    },
    flags: ['aws_launch_template.lt metadata_options.http_tokens', 'aws_instance.vm metadata_options.http_tokens'],
  },
  'AWS-EBS-ENCRYPTION': {
    failing: {
      aws_ebs_volume: { data: { availability_zone: 'us-west-2a', size: 10 } },
      aws_launch_template: {
        lt: { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 20, encrypted: 'false' } }] },
        dynamic: dynamic('block_device_mappings', { device_name: '${block_device_mappings.key}', ebs: { volume_size: 20 } }),
        // No EBS mapping: the root volume is the image's, as for an instance without root_block_device.
        bare: { image_id: 'ami-1', block_device_mappings: [{ device_name: '/dev/sdb', virtual_name: 'ephemeral0' }] },
      },
      aws_instance: { vm: { ami: 'ami-1', ebs_block_device: [{ device_name: '/dev/sdf', encrypted: true }] } },
    },
    passing: {
      aws_ebs_volume: { data: { availability_zone: 'us-west-2a', size: 10, encrypted: true }, copy: { availability_zone: 'us-west-2a', snapshot_id: 'snap-1' } },
      aws_launch_template: {
        lt: { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 20, encrypted: 'true' } }, { device_name: '/dev/sdb', virtual_name: 'ephemeral0' }] },
        dynamic: dynamic('block_device_mappings', { device_name: '${block_device_mappings.key}', ebs: { encrypted: 'true' } }),
      },
      aws_instance: {
        vm: { ami: 'ami-1', root_block_device: { encrypted: true } },
        // Its root volume is the template's, judged on the template.
        templated: { launch_template: { id: '${aws_launch_template.lt.id}' } },
      },
    },
    flags: [
      'aws_ebs_volume.data encrypted',
      'aws_launch_template.lt block_device_mappings.ebs.encrypted',
      'aws_launch_template.dynamic block_device_mappings.ebs.encrypted',
      'aws_launch_template.bare block_device_mappings',
      'aws_instance.vm root_block_device.encrypted',
    ],
  },
  'AWS-EC2-PUBLIC-IP': {
    failing: { aws_launch_template: { lt: { network_interfaces: [{ associate_public_ip_address: 'true' }] } }, aws_instance: { vm: { associate_public_ip_address: true } } },
    passing: { aws_launch_template: { lt: { network_interfaces: [{ associate_public_ip_address: 'false' }] }, plain: {} }, aws_instance: { vm: {} } },
    flags: ['aws_launch_template.lt network_interfaces.associate_public_ip_address', 'aws_instance.vm associate_public_ip_address'],
  },
  'AWS-VPC-SUBNET-PUBLIC-IP': {
    failing: { aws_subnet: { public: { vpc_id: 'vpc-1', cidr_block: '10.0.0.0/20', map_public_ip_on_launch: true } } },
    passing: { aws_subnet: { public: { vpc_id: 'vpc-1', cidr_block: '10.0.0.0/20', map_public_ip_on_launch: false }, unset: { vpc_id: 'vpc-1', cidr_block: '10.0.16.0/20' } } },
    flags: ['aws_subnet.public map_public_ip_on_launch'],
  },
  'AWS-ALB-HTTPS-REDIRECT': {
    failing: {
      aws_lb: { alb: { load_balancer_type: 'application' } },
      aws_lb_listener: {
        // No protocol: an ALB listener's default is HTTP.
        forwards: { load_balancer_arn: '${aws_lb.alb.arn}', port: 80, default_action: [{ type: 'forward', target_group_arn: 'arn:tg' }] },
        redirects: { load_balancer_arn: '${aws_lb.alb.arn}', port: 8080, protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }] },
        dynamic: { load_balancer_arn: '${aws_lb.alb.arn}', port: 8081, protocol: 'HTTP', ...dynamic('default_action', { type: 'forward', target_group_arn: '${default_action.value}' }) },
        // A fixed response serves nothing, but a forwarding rule on the listener does.
        blocked: { load_balancer_arn: '${aws_lb.alb.arn}', port: 8082, protocol: 'HTTP', default_action: [{ type: 'fixed-response', fixed_response: { content_type: 'text/plain', status_code: '403' } }] },
      },
      aws_lb_listener_rule: {
        plain: { listener_arn: '${aws_lb_listener.redirects.arn}', priority: 10, action: [{ type: 'forward', target_group_arn: 'arn:tg' }], condition: [{ path_pattern: { values: ['/*'] } }] },
        dynamic: { listener_arn: '${aws_lb_listener.blocked.arn}', priority: 20, ...dynamic('action', { type: 'forward', target_group_arn: '${action.value}' }) },
      },
    },
    passing: {
      aws_lb: { alb: {}, nlb: { load_balancer_type: 'network' } },
      aws_lb_listener: {
        http: { load_balancer_arn: '${aws_lb.alb.arn}', port: 80, protocol: 'HTTP', default_action: { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } } },
        https: { load_balancer_arn: '${aws_lb.alb.arn}', port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', default_action: [{ type: 'forward', target_group_arn: 'arn:tg' }] },
        tcp: { load_balancer_arn: '${aws_lb.nlb.arn}', port: 80, default_action: [{ type: 'forward', target_group_arn: 'arn:tg' }] },
        // Nothing is served over HTTP: every request gets a fixed 404.
        notfound: { load_balancer_arn: '${aws_lb.alb.arn}', port: 8080, protocol: 'HTTP', default_action: { type: 'fixed-response', fixed_response: { content_type: 'text/plain', status_code: '404' } } },
        dynamic: { load_balancer_arn: '${aws_lb.alb.arn}', port: 8081, protocol: 'HTTP', ...dynamic('default_action', { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }) },
      },
      aws_lb_listener_rule: { denied: { listener_arn: '${aws_lb_listener.notfound.arn}', priority: 1, action: { type: 'fixed-response', fixed_response: { content_type: 'text/plain', status_code: '403' } } } },
    },
    flags: ['aws_lb_listener.forwards default_action', 'aws_lb_listener.redirects default_action', 'aws_lb_listener.dynamic default_action', 'aws_lb_listener.blocked default_action'],
  },
  'AWS-ALB-TLS-POLICY': {
    failing: {
      aws_lb_listener: {
        nopolicy: { load_balancer_arn: 'arn:lb', port: 443, protocol: 'HTTPS', default_action: [{ type: 'forward', target_group_arn: 'arn:tg' }] },
        old: { load_balancer_arn: 'arn:lb', port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-2016-08', default_action: [{ type: 'forward', target_group_arn: 'arn:tg' }] },
        tls11: { load_balancer_arn: 'arn:lb', port: 8443, protocol: 'TLS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-1-2021-06', default_action: [{ type: 'forward', target_group_arn: 'arn:tg' }] },
      },
    },
    passing: {
      aws_lb_listener: {
        tls13: { load_balancer_arn: 'arn:lb', port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', default_action: [{ type: 'forward', target_group_arn: 'arn:tg' }] },
        fs: { load_balancer_arn: 'arn:lb', port: 443, protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-FS-1-2-Res-2020-10', default_action: [{ type: 'forward', target_group_arn: 'arn:tg' }] },
        tls12: { load_balancer_arn: 'arn:lb', port: 443, protocol: 'TLS', ssl_policy: 'ELBSecurityPolicy-TLS-1-2-Ext-2018-06', default_action: [{ type: 'forward', target_group_arn: 'arn:tg' }] },
        http: { load_balancer_arn: 'arn:lb', port: 80, protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', status_code: 'HTTP_301' } }] },
      },
    },
    flags: ['aws_lb_listener.nopolicy ssl_policy', 'aws_lb_listener.old ssl_policy', 'aws_lb_listener.tls11 ssl_policy'],
  },
  'AWS-ALB-DROP-INVALID-HEADERS': {
    failing: { aws_lb: { alb: { load_balancer_type: 'application' }, legacy: { drop_invalid_header_fields: false } } },
    passing: { aws_lb: { alb: { drop_invalid_header_fields: true }, nlb: { load_balancer_type: 'network' } } },
    flags: ['aws_lb.alb drop_invalid_header_fields', 'aws_lb.legacy drop_invalid_header_fields'],
  },
  'AWS-ALB-ACCESS-LOGS': {
    failing: { aws_lb: { none: {}, off: { access_logs: { bucket: 'logs', enabled: false } } } },
    passing: { aws_lb: { on: { access_logs: { bucket: 'logs', enabled: true } } } },
    flags: ['aws_lb.none access_logs', 'aws_lb.off access_logs.enabled'],
  },
  'AWS-ALB-DELETION-PROTECTION': {
    failing: { aws_lb: { alb: {} } },
    passing: { aws_lb: { alb: { enable_deletion_protection: true } } },
    flags: ['aws_lb.alb enable_deletion_protection'],
  },
  'AWS-CLOUDFRONT-HTTPS': {
    failing: {
      aws_cloudfront_distribution: {
        d: { default_cache_behavior: { viewer_protocol_policy: 'allow-all' }, ordered_cache_behavior: [{ path_pattern: '/api/*', viewer_protocol_policy: 'allow-all' }] },
      },
    },
    passing: {
      aws_cloudfront_distribution: {
        d: { default_cache_behavior: [{ viewer_protocol_policy: 'redirect-to-https' }], ordered_cache_behavior: [{ path_pattern: '/api/*', viewer_protocol_policy: 'https-only' }] },
      },
    },
    flags: ['aws_cloudfront_distribution.d default_cache_behavior.viewer_protocol_policy', 'aws_cloudfront_distribution.d ordered_cache_behavior.viewer_protocol_policy'],
  },
  'AWS-CLOUDFRONT-TLS': {
    failing: {
      aws_cloudfront_distribution: {
        defaultcert: { viewer_certificate: { cloudfront_default_certificate: true } },
        unset: { viewer_certificate: { acm_certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x', ssl_support_method: 'sni-only' } },
        old: { viewer_certificate: [{ acm_certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x', ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2019' }] },
      },
    },
    passing: {
      aws_cloudfront_distribution: {
        tls12: { viewer_certificate: { acm_certificate_arn: 'arn:x', ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' } },
        tls13: { viewer_certificate: { acm_certificate_arn: 'arn:x', ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.3_2025' } },
      },
    },
    flags: [
      'aws_cloudfront_distribution.defaultcert viewer_certificate.cloudfront_default_certificate',
      'aws_cloudfront_distribution.unset viewer_certificate.minimum_protocol_version',
      'aws_cloudfront_distribution.old viewer_certificate.minimum_protocol_version',
    ],
  },
  'AWS-CLOUDFRONT-LOGGING': {
    failing: { aws_cloudfront_distribution: { d: { enabled: true } } },
    passing: {
      aws_cloudfront_distribution: { standard: { logging_config: { bucket: 'logs.s3.amazonaws.com' } }, v2: { enabled: true } },
      aws_cloudwatch_log_delivery_source: { v2: { name: 'v2', log_type: 'ACCESS_LOGS', resource_arn: '${aws_cloudfront_distribution.v2.arn}' } },
    },
    flags: ['aws_cloudfront_distribution.d logging_config'],
  },
  'AWS-ELASTICACHE-TRANSIT-ENCRYPTION': {
    failing: { aws_elasticache_replication_group: { plain: { engine: 'redis' }, preferred: { transit_encryption_enabled: true, transit_encryption_mode: 'preferred' } } },
    passing: { aws_elasticache_replication_group: { tls: { transit_encryption_enabled: true, transit_encryption_mode: 'required' }, tlsdefault: { transit_encryption_enabled: 'true' } } },
    flags: ['aws_elasticache_replication_group.plain transit_encryption_enabled', 'aws_elasticache_replication_group.preferred transit_encryption_mode'],
  },
  'AWS-ELASTICACHE-AT-REST-ENCRYPTION': {
    failing: { aws_elasticache_replication_group: { redis: { engine: 'redis' }, off: { engine: 'valkey', at_rest_encryption_enabled: 'false' } } },
    passing: { aws_elasticache_replication_group: { on: { engine: 'redis', at_rest_encryption_enabled: 'true' }, valkey: { engine: 'valkey' } } },
    flags: ['aws_elasticache_replication_group.redis at_rest_encryption_enabled', 'aws_elasticache_replication_group.off at_rest_encryption_enabled'],
  },
  'AWS-ELASTICACHE-AUTH': {
    failing: { aws_elasticache_replication_group: { open: { transit_encryption_enabled: true } } },
    passing: { aws_elasticache_replication_group: { token: { transit_encryption_enabled: true, auth_token: '${random_password.redis.result}' }, rbac: { transit_encryption_enabled: true, user_group_ids: ['app-users'] } } },
    flags: ['aws_elasticache_replication_group.open auth_token'],
  },
  'AWS-IAM-WILDCARD-ACTION': {
    failing: {
      aws_iam_policy: {
        admin: { policy: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
        // Fn.jsonencode: ${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = "s3:*", ...}]})}
        encoded: { policy: encoded((bucket) => [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:*'], Resource: `arn:aws:s3:::${bucket}/*` }]) },
      },
      aws_iam_role_policy: { s3: { role: 'r', policy: doc({ Sid: 'Everything', Effect: 'Allow', Action: ['s3:GetObject', 's3:*'], Resource: 'arn:aws:s3:::b/*' }) } },
      aws_iam_role: { inline: { assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), inline_policy: [{ name: 'x', policy: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }] } },
    },
    passing: {
      aws_iam_role_policy: { scoped: { role: 'r', policy: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:Get*'], Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }) } },
      aws_iam_policy: {
        unknown: { policy: '${jsonencode(local.statements)}' },
        // A bare reference in an encoded document is an unknown string, never a wildcard.
        encoded: { policy: encoded((bucket) => [{ Effect: 'Allow', Action: bucket, Resource: bucket }, { Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${bucket}/*` }]) },
        statements: { policy: '${jsonencode({"Version" = "2012-10-17", "Statement" = concat(local.base, [{"Effect" = "Allow", "Action" = "*"}])})}' },
      },
      aws_iam_role: { trust: { assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) } },
    },
    flags: ['aws_iam_policy.admin policy', 'aws_iam_policy.encoded policy', 'aws_iam_role_policy.s3 policy', 'aws_iam_role.inline inline_policy.policy'],
  },
  'AWS-IAM-WILDCARD-RESOURCE': {
    failing: {
      aws_iam_role_policy: { mixed: { role: 'r', policy: doc({ Effect: 'Allow', Action: ['s3:GetObject', 'ecr:GetAuthorizationToken'], Resource: '*' }) } },
      aws_iam_group_policy: { writers: { group: 'g', policy: doc({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: ['arn:aws:dynamodb:us-west-2:123456789012:table/t', '*'] }) } },
      // NotResource in an Allow: every resource but the ones listed.
      aws_iam_policy: { notresource: { policy: doc({ Effect: 'Allow', Action: 's3:DeleteObject', NotResource: 'arn:aws:s3:::audit/*' }) } },
      aws_iam_role: { inline: { assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), ...dynamic('inline_policy', { name: 'x', policy: doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }) }) } },
    },
    passing: {
      aws_iam_role_policy: {
        // What InstanceRole and GitHubDeployRole grant on "*": actions that take no resource.
        instance: {
          role: 'r',
          policy: doc(
            { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            { Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '*' },
            { Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:OpenDataChannel', 'ec2messages:GetMessages'], Resource: '*' },
            { Effect: 'Allow', Action: ['autoscaling:DescribeInstanceRefreshes', 'autoscaling:DescribeAutoScalingGroups', 'ec2:Describe*', 'logs:DescribeLogGroups'], Resource: '*' },
            { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
            { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
            { Effect: 'Deny', Action: 's3:DeleteObject', NotResource: 'arn:aws:s3:::scratch/*' },
          ),
        },
      },
      aws_iam_policy: { encoded: { policy: encoded((bucket) => [{ Effect: 'Allow', Action: bucket, Resource: '*' }, { Effect: 'Allow', Action: 'ec2:DescribeInstances', NotResource: bucket }]) } },
    },
    flags: ['aws_iam_role_policy.mixed policy', 'aws_iam_group_policy.writers policy', 'aws_iam_policy.notresource policy', 'aws_iam_role.inline inline_policy.policy'],
  },
  'AWS-IAM-USER-POLICY': {
    failing: {
      aws_iam_user_policy: { inline: { user: 'ci', policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }) } },
      aws_iam_user_policy_attachment: { attached: { user: 'ci', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
      aws_iam_policy_attachment: { shared: { name: 'shared', users: ['ci'], policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
    },
    passing: {
      aws_iam_policy_attachment: { roles: { name: 'roles', roles: ['app'], groups: ['devs'], policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
      aws_iam_role_policy: { app: { role: 'app', policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }) } },
    },
    flags: ['aws_iam_user_policy.inline user', 'aws_iam_user_policy_attachment.attached user', 'aws_iam_policy_attachment.shared users'],
  },
  'AWS-IAM-ACCESS-KEY': {
    failing: { aws_iam_user: { ci: { name: 'ci' } }, aws_iam_access_key: { ci: { user: '${aws_iam_user.ci.name}' } } },
    passing: { aws_iam_user: { ci: { name: 'ci' } } },
    flags: ['aws_iam_access_key.ci user'],
  },
  'AWS-IAM-GITHUB-OIDC-SUBJECT': {
    failing: {
      aws_iam_openid_connect_provider: { github: { url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] } },
      aws_iam_role: {
        nosub: { assume_role_policy: gitHubTrust('${aws_iam_openid_connect_provider.github.arn}', { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }) },
        nocondition: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN) },
        anyrepo: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:my-org*' } }) },
        // Keeps out one repository and admits every other.
        negated: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringNotEquals: { 'token.actions.githubusercontent.com:sub': 'repo:evil/fork:ref:refs/heads/main' } }) },
      },
    },
    passing: {
      aws_iam_openid_connect_provider: { github: { url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] } },
      aws_iam_role: {
        deploy: {
          assume_role_policy: gitHubTrust('${aws_iam_openid_connect_provider.github.arn}', {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:my-org/my-repo:ref:refs/heads/main', 'repo:my-org/my-repo:environment:production'] },
          }),
        },
        google: { assume_role_policy: gitHubTrust('arn:aws:iam::123456789012:oidc-provider/accounts.google.com') },
        ec2: { assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) },
      },
    },
    flags: ['aws_iam_role.nosub assume_role_policy', 'aws_iam_role.nocondition assume_role_policy', 'aws_iam_role.anyrepo assume_role_policy', 'aws_iam_role.negated assume_role_policy'],
  },
  'AWS-ECR-SCAN-ON-PUSH': {
    failing: { aws_ecr_repository: { unset: { name: 'a' }, off: { name: 'b', image_scanning_configuration: { scan_on_push: false } } } },
    passing: { aws_ecr_repository: { on: { name: 'a', image_scanning_configuration: [{ scan_on_push: true }] } } },
    flags: ['aws_ecr_repository.unset image_scanning_configuration.scan_on_push', 'aws_ecr_repository.off image_scanning_configuration.scan_on_push'],
  },
  'AWS-ECR-TAG-IMMUTABLE': {
    failing: { aws_ecr_repository: { unset: { name: 'a' }, mutable: { name: 'b', image_tag_mutability: 'MUTABLE' } } },
    passing: { aws_ecr_repository: { immutable: { name: 'a', image_tag_mutability: 'IMMUTABLE' }, excluded: { name: 'b', image_tag_mutability: 'IMMUTABLE_WITH_EXCLUSION' } } },
    flags: ['aws_ecr_repository.unset image_tag_mutability', 'aws_ecr_repository.mutable image_tag_mutability'],
  },
  'AWS-LOGS-RETENTION': {
    failing: { aws_cloudwatch_log_group: { unset: { name: '/a' }, forever: { name: '/b', retention_in_days: 0 } } },
    passing: { aws_cloudwatch_log_group: { month: { name: '/a', retention_in_days: 30 } } },
    flags: ['aws_cloudwatch_log_group.unset retention_in_days', 'aws_cloudwatch_log_group.forever retention_in_days'],
  },
  'AWS-VPC-FLOW-LOGS': {
    failing: { aws_vpc: { main: { cidr_block: '10.0.0.0/16' } } },
    passing: {
      aws_vpc: { main: { cidr_block: '10.0.0.0/16' } },
      aws_flow_log: { main: { vpc_id: '${aws_vpc.main.id}', traffic_type: 'REJECT', log_destination: '${aws_cloudwatch_log_group.flows.arn}' } },
    },
    flags: ['aws_vpc.main aws_flow_log'],
  },
  'AWS-SECRET-LITERAL': {
    failing: {
      aws_secretsmanager_secret_version: { literal: { secret_id: 'arn:secret', secret_string: 'hunter2' } },
      aws_ssm_parameter: { secure: { name: '/db/password', type: 'SecureString', value: 'hunter2' } },
    },
    passing: {
      aws_secretsmanager_secret_version: { reference: { secret_id: 'arn:secret', secret_string: '${aws_iam_access_key.k.secret}' } },
      aws_ssm_parameter: { plain: { name: '/app/mode', type: 'String', value: 'production' }, secure: { name: '/db/password', type: 'SecureString', value: '${random_password.db.result}' } },
    },
    flags: ['aws_secretsmanager_secret_version.literal secret_string', 'aws_ssm_parameter.secure value'],
  },
  'AWS-SECRET-IN-ENVIRONMENT': {
    failing: {
      aws_launch_template: {
        lt: { user_data: b64('#!/bin/bash\nexport DB_PASSWORD=hunter2\nexec /app/run\n') },
        more: {
          user_data: b64(
            [
              '#!/bin/bash',
              'DB_PASS=hunter2',
              'export PGPASSWORD="hunter2"',
              'MYSQL_PWD=hunter2',
              'SMTP_PWD=hunter2',
              'GPG_PASSPHRASE=correct-horse',
              'STRIPE_SK=sk_live_abc',
              // A password is a password even when it is a number.
              'ADMIN_PASSWORD=123456',
              // By the value's shape, whatever the name.
              'PAYMENTS=sk_live_abc123',
              'DATABASE_URL=postgres://app:hunter2@db.internal:5432/app',
              'CACHE=redis://:hunter2@cache:6379/0?tls=${TLS}',
            ].join('\n'),
          ),
        },
      },
      aws_instance: { vm: { user_data: '#!/bin/bash\ndocker run -e API_KEY="abc123" -e MODE=prod app\n' } },
      aws_lambda_function: { fn: { function_name: 'f', environment: { variables: { STRIPE_SECRET: 'sk_live_x', MODE: 'prod', BROKER_URL: 'amqps://app:hunter2@mq.internal/', WEBHOOK_SECRET: 'https://hooks.slack.com/services/T0/B0/abc123' } } } },
      aws_ecs_task_definition: { task: { family: 't', container_definitions: JSON.stringify([{ name: 'app', environment: [{ name: 'JWT_TOKEN', value: 'abc' }] }]) } },
    },
    passing: {
      aws_launch_template: {
        fetched: { user_data: b64('#!/bin/bash\nDB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id "$SECRET_ARN" --query SecretString --output text)"\nSECRET_ARN=arn:aws:secretsmanager:us-west-2:123456789012:secret:db\nTOKEN_TTL=3600\n') },
        file: { user_data: '${filebase64("boot.sh")}' },
        // Settings about secrets, public keys, paths, ARNs, URLs without a password, numbers and durations.
        settings: {
          user_data: b64(
            [
              '#!/bin/bash',
              'KMS_KEY=arn:aws:kms:us-west-2:123456789012:key/1234abcd',
              'SIGNING_KEY=alias/app-signing',
              'TLS_KEY=/etc/ssl/private/server.key',
              'SSH_KEY=~/.ssh/id_ed25519',
              'STRIPE_PUBLISHABLE_KEY=pk_live_abc',
              'STRIPE_KEY=pk_test_abc',
              'NEXT_PUBLIC_API_KEY=abc123',
              'RECAPTCHA_SITE_KEY=6LcAbc',
              'JWT_PUBLIC_KEY=MIIBIjANBgkq',
              'SORT_KEY=createdAt',
              'PARTITION_KEY=tenant',
              'PASSWORD_POLICY=strict',
              'PASSWORD_MIN_LENGTH=12',
              'KMS_KEY_ID=1234abcd',
              'SIGNING_KEY_NAME=app-signing',
              'SECRETS_MANAGER_ENDPOINT=https://secretsmanager.us-west-2.amazonaws.com',
              'TOKEN_AUDIENCE=sts.amazonaws.com',
              'SESSION_TOKEN_MAX_AGE=3600',
              'REFRESH_TOKEN=15m',
              'DATABASE_URL=postgres://app@db.internal:5432/app',
              'REDIS_URL="redis://:${REDIS_PASSWORD}@cache:6379"',
            ].join('\n'),
          ),
        },
      },
      aws_lambda_function: { fn: { function_name: 'f', environment: { variables: { DB_PASSWORD: '${aws_secretsmanager_secret_version.db.secret_string}', SECRET_ARN: 'arn:aws:secretsmanager:x', ENABLED: 'true', API_BASE_URL: 'https://api.example.com' } } } },
      aws_ecs_task_definition: { task: { family: 't', container_definitions: JSON.stringify([{ name: 'app', environment: [{ name: 'MODE', value: 'prod' }], secrets: [{ name: 'JWT_TOKEN', valueFrom: 'arn:aws:ssm:x' }] }]) } },
    },
    flags: [
      'aws_launch_template.lt user_data.DB_PASSWORD',
      ...['DB_PASS', 'PGPASSWORD', 'MYSQL_PWD', 'SMTP_PWD', 'GPG_PASSPHRASE', 'STRIPE_SK', 'ADMIN_PASSWORD', 'PAYMENTS', 'DATABASE_URL', 'CACHE'].map((v) => `aws_launch_template.more user_data.${v}`),
      'aws_instance.vm user_data.API_KEY',
      'aws_lambda_function.fn environment.variables.STRIPE_SECRET',
      'aws_lambda_function.fn environment.variables.BROKER_URL',
      // A URL can be the secret itself.
      'aws_lambda_function.fn environment.variables.WEBHOOK_SECRET',
      'aws_ecs_task_definition.task container_definitions.JWT_TOKEN',
    ],
  },
  'AWS-IAM-ADMIN-POLICY': {
    failing: {
      aws_iam_role_policy_attachment: {
        admin: { role: 'app', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        partition: { role: 'app', policy_arn: 'arn:${data.aws_partition.current.partition}:iam::aws:policy/PowerUserAccess' },
      },
      aws_iam_user_policy_attachment: { iam: { user: 'ci', policy_arn: 'arn:aws-us-gov:iam::aws:policy/IAMFullAccess' } },
      aws_iam_group_policy_attachment: { admins: { group: 'admins', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      aws_iam_policy_attachment: { shared: { name: 'shared', roles: ['app'], policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      aws_iam_role: { managed: { assume_role_policy: '${var.trust}', managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AdministratorAccess'] } },
      aws_iam_role_policy_attachments_exclusive: { exclusive: { role_name: 'app', policy_arns: ['arn:aws:iam::aws:policy/PowerUserAccess'] } },
    },
    passing: {
      aws_iam_role_policy_attachment: {
        readonly: { role: 'app', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
        amplify: { role: 'app', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess-Amplify' },
        customer: { role: 'app', policy_arn: 'arn:aws:iam::123456789012:policy/AdministratorAccess' },
        own: { role: 'app', policy_arn: '${aws_iam_policy.app.arn}' },
        unknown: { role: 'app', policy_arn: '${var.policy}' },
      },
      aws_iam_role: { plain: { assume_role_policy: '${var.trust}', managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] } },
    },
    flags: [
      'aws_iam_role_policy_attachment.admin policy_arn',
      'aws_iam_role_policy_attachment.partition policy_arn',
      'aws_iam_user_policy_attachment.iam policy_arn',
      'aws_iam_group_policy_attachment.admins policy_arn',
      'aws_iam_policy_attachment.shared policy_arn',
      'aws_iam_role.managed managed_policy_arns',
      'aws_iam_role_policy_attachments_exclusive.exclusive policy_arns',
    ],
  },
  'AWS-IAM-PRIVILEGE-ESCALATION': {
    failing: {
      aws_iam_role_policy: { pass: { role: 'r', policy: doc({ Effect: 'Allow', Action: ['ec2:RunInstances', 'iam:Pass*'], Resource: '*' }) } },
      aws_iam_policy: {
        roles: { policy: doc({ Sid: 'Roles', Effect: 'Allow', Action: 'iam:*Role*', Resource: '*' }) },
        assume: { policy: doc({ Effect: 'Allow', Action: ['sts:AssumeRole*'], Resource: '*' }) },
        everyrole: { policy: doc({ Effect: 'Allow', Action: ['iam:PutRolePolicy', 'iam:AttachRolePolicy'], Resource: 'arn:aws:iam::123456789012:role/*' }) },
        keys: { policy: doc({ Effect: 'Allow', Action: 'iam:Create*', NotResource: 'arn:aws:iam::123456789012:user/breakglass' }) },
        encoded: { policy: encoded(() => [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }]) },
      },
      aws_iam_role: { inline: { assume_role_policy: '${var.trust}', inline_policy: [{ name: 'x', policy: doc({ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }) }] } },
    },
    passing: {
      aws_iam_role_policy: {
        scoped: {
          role: 'r',
          policy: doc(
            { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/app', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } },
            { Effect: 'Allow', Action: ['s3:Get*', 'iam:Get*', 'iam:List*'], Resource: '*' },
            { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::123456789012:role/deployer' },
            { Effect: 'Deny', Action: ['iam:PassRole', 'iam:Put*'], Resource: '*' },
            // Delegated role creation, held to a permissions boundary.
            { Effect: 'Allow', Action: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy'], Resource: '*', Condition: { StringEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/boundary' } } },
            // Whole-service wildcards are AWS-IAM-WILDCARD-ACTION's.
            { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
          ),
        },
      },
      aws_iam_policy: { encoded: { policy: encoded((unknown) => [{ Effect: 'Allow', Action: unknown, Resource: '*' }, { Effect: 'Allow', Action: 'iam:PassRole', Resource: unknown }]) } },
    },
    flags: ['aws_iam_role_policy.pass policy', 'aws_iam_policy.roles policy', 'aws_iam_policy.assume policy', 'aws_iam_policy.everyrole policy', 'aws_iam_policy.keys policy', 'aws_iam_policy.encoded policy', 'aws_iam_role.inline inline_policy.policy'],
  },
  'AWS-IAM-GITHUB-OIDC-ORG-WIDE': {
    failing: {
      aws_iam_role: {
        org: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/*' } }) },
        prefix: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:my-org/app:ref:refs/heads/main', 'repo:my-org/svc-*:environment:production'] } }) },
      },
    },
    passing: {
      aws_iam_role: {
        one: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/app:ref:refs/heads/main' } }) },
        anyref: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/app:*' } }) },
        // Worse, and AWS-IAM-GITHUB-OIDC-SUBJECT's (an error).
        anyowner: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } }) },
        unknown: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringLike: { 'token.actions.githubusercontent.com:sub': '${var.subject}' } }) },
        // StringEquals reads `*` literally: no repository is named so.
        literal: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:my-org/*:ref:refs/heads/main' } }) },
        ec2: { assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) },
      },
    },
    flags: ['aws_iam_role.org assume_role_policy', 'aws_iam_role.prefix assume_role_policy'],
  },
  'AWS-IAM-ROLE-TRUST-PUBLIC': {
    failing: {
      aws_iam_role: {
        anyone: { assume_role_policy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }) },
        // An external id is a shared string, not a tie to an account.
        externalid: { assume_role_policy: doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'shared' } } }) },
        ifexists: { assume_role_policy: doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123' } } }) },
        negated: { assume_role_policy: doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringNotEquals: { 'aws:PrincipalAccount': '123456789012' } } }) },
        notprincipal: { assume_role_policy: doc({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }) },
        encoded: { assume_role_policy: encoded(() => [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'sts:AssumeRole' }]) },
      },
    },
    passing: {
      aws_iam_role: {
        org: { assume_role_policy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }) },
        arnlike: { assume_role_policy: doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/ci-*' } } }) },
        account: { assume_role_policy: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }) },
        service: { assume_role_policy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) },
        encoded: { assume_role_policy: encoded((who) => [{ Effect: 'Allow', Principal: { AWS: who }, Action: 'sts:AssumeRole' }]) },
      },
    },
    flags: ['aws_iam_role.anyone assume_role_policy', 'aws_iam_role.externalid assume_role_policy', 'aws_iam_role.ifexists assume_role_policy', 'aws_iam_role.negated assume_role_policy', 'aws_iam_role.notprincipal assume_role_policy', 'aws_iam_role.encoded assume_role_policy'],
  },
  'AWS-RESOURCE-POLICY-PUBLIC': {
    failing: {
      aws_sqs_queue_policy: { open: { queue_url: 'q', policy: doc({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-west-2:123456789012:q' }) } },
      aws_sqs_queue: { inline: { name: 'q', policy: encoded(() => [{ Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: '*' }]) } },
      aws_sns_topic_policy: { negated: { arn: 't', policy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'SNS:Publish', Resource: 't', Condition: { StringNotEquals: { 'AWS:SourceOwner': '123456789012' } } }) } },
      aws_kms_key: { key: { policy: doc({ Sid: 'Everyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }) } },
      aws_ecr_repository_policy: { pull: { repository: 'app', policy: doc({ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['ecr:BatchGetImage'] }) } },
      aws_secretsmanager_secret_policy: { notprincipal: { secret_arn: 's', policy: doc({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/x' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }) } },
      aws_lambda_permission: { url: { function_name: 'f', action: 'lambda:InvokeFunctionUrl', principal: '*', function_url_auth_type: 'NONE' } },
    },
    passing: {
      aws_sns_topic_policy: {
        default: { arn: 't', policy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: 't', Condition: { StringEquals: { 'AWS:SourceOwner': '123456789012' } } }) },
      },
      aws_kms_key: {
        key: {
          policy: doc(
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
            { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com' } } },
          ),
        },
      },
      aws_sqs_queue_policy: {
        events: { queue_url: 'q', policy: doc({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: 'q', Condition: { ArnEquals: { 'aws:SourceArn': '${aws_cloudwatch_event_rule.r.arn}' } } }) },
        office: { queue_url: 'q', policy: doc({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: 'q', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }) },
      },
      aws_ecr_repository_policy: { account: { repository: 'app', policy: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: ['ecr:BatchGetImage'] }) } },
      aws_lambda_permission: {
        s3: { function_name: 'f', action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com', source_arn: 'arn:aws:s3:::b' },
        tied: { function_name: 'f', action: 'lambda:InvokeFunction', principal: '*', source_account: '123456789012' },
      },
    },
    flags: [
      'aws_sqs_queue_policy.open policy',
      'aws_sqs_queue.inline policy',
      'aws_sns_topic_policy.negated policy',
      'aws_kms_key.key policy',
      'aws_ecr_repository_policy.pull policy',
      'aws_secretsmanager_secret_policy.notprincipal policy',
      'aws_lambda_permission.url principal',
    ],
  },
};

/** Rules that judge production only. */
const PRODUCTION_ONLY = ['AWS-RDS-BACKUPS', 'AWS-RDS-DELETION-PROTECTION', 'AWS-RDS-FINAL-SNAPSHOT', 'AWS-RDS-MULTI-AZ', 'AWS-ALB-DELETION-PROTECTION'];

const ruleById = (id: string): GuardrailRule => {
  const found = AWS_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

/** `<address> <attribute>` of a finding's message (`<address> <attribute>: <problem>`). */
const flagged = (message: string): string => message.slice(0, message.indexOf(': '));

/** The messages of one rule's findings over fixture resources. */
const messages = (id: string, resources: FixtureResources, environment?: string): string[] => findingsOf(ruleById(id), resources, environment).map((f) => f.message);

describe('the AWS rule pack', () => {
  it('has at least 22 rules, every one with fixtures, and no fixture without a rule', () => {
    expect(AWS_RULES.length).toBeGreaterThanOrEqual(22);
    expect(AWS_RULES.map((r) => r.id).filter((id) => !(id in FIXTURES))).toEqual([]);
    expect(Object.keys(FIXTURES).filter((id) => !AWS_RULES.some((r) => r.id === id))).toEqual([]);
  });

  it('gives every rule a unique, well-formed id', () => {
    const ids = AWS_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^AWS-[A-Z0-9]+(-[A-Z0-9]+)+$/);
  });

  it.each(AWS_RULES.map((r) => [r.id, r] as const))('%s is documented: severity, title, explanation, controls, types', (_id, rule) => {
    expect(rule.cloud).toBe('aws');
    expect(['error', 'warning']).toContain(rule.severity);
    expect(rule.title).toMatch(/^\S.{9,}$/);
    expect(rule.title).not.toContain('\n');
    // Two to four sentences: why, and how to fix it.
    const sentences = rule.explanation.split(/[.!?](?:\s+|$)/).filter((s) => s.trim() !== '');
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(4);
    expect(Array.isArray(rule.controls)).toBe(true);
    for (const c of rule.controls) expect(c).toMatch(/^(CKV2?_AWS_\d+|CIS AWS \d+\.\d+\.\d+ \d+(\.\d+)*)$/);
    expect(rule.types.length).toBeGreaterThan(0);
    for (const t of rule.types) expect(t).toMatch(/^aws_[a-z0-9_]+$/);
  });
});

describe.each(Object.entries(FIXTURES))('%s', (id, fixture) => {
  it('flags its failing fixture, naming the address and the argument', () => {
    const found = messages(id, fixture.failing, fixture.environment);
    expect(found.length).toBeGreaterThan(0);
    expect([...new Set(found.map(flagged))].sort()).toEqual([...fixture.flags].sort());
    // The argument is dotted lowercase, or ends in the name of a variable (`user_data.DATABASE_URL`).
    for (const m of found) expect(m).toMatch(/^aws_[a-z0-9_]+\.[A-Za-z0-9_-]+ [a-z0-9_.]+(\.[A-Za-z_][A-Za-z0-9_]*)?: \S/);
  });

  it('passes its passing fixture', () => {
    expect(messages(id, fixture.passing, fixture.environment)).toEqual([]);
  });
});

describe.each(PRODUCTION_ONLY)('%s', (id) => {
  it('judges production only', () => {
    expect(messages(id, FIXTURES[id].failing, 'staging')).toEqual([]);
  });
});

describe('tricky cases', () => {
  it('says why a default is insecure when the argument is absent', () => {
    expect(messages('AWS-RDS-STORAGE-ENCRYPTION', { aws_db_instance: { db: {} } })).toEqual(['aws_db_instance.db storage_encrypted: absent (false by default): the storage, its backups and snapshots are unencrypted']);
    expect(messages('AWS-EC2-IMDSV2', { aws_launch_template: { lt: {} } })[0]).toContain('absent (optional by default)');
    expect(messages('AWS-ALB-TLS-POLICY', FIXTURES['AWS-ALB-TLS-POLICY'].failing).find((m) => m.startsWith('aws_lb_listener.nopolicy'))).toContain('ELBSecurityPolicy-2016-08');
    expect(messages('AWS-CLOUDFRONT-TLS', FIXTURES['AWS-CLOUDFRONT-TLS'].failing).find((m) => m.includes('.defaultcert'))).toContain('takes no minimum protocol version');
  });

  it('reads port ranges, protocols and IPv6 in security groups', () => {
    const sg = (rule: Record<string, unknown>) => ({ aws_vpc_security_group_ingress_rule: { r: { security_group_id: 'sg-1', ...rule } } });
    const admin = (rule: Record<string, unknown>) => messages('AWS-SG-ADMIN-PORTS-OPEN', sg(rule));
    expect(admin({ cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 1, to_port: 5000 })).toEqual(['aws_vpc_security_group_ingress_rule.r cidr_ipv4: 0.0.0.0/0 reaches 22 (SSH) and 3389 (RDP) through tcp 1-5000']);
    expect(admin({ cidr_ipv4: '0.0.0.0/0', ip_protocol: '6', from_port: 3389, to_port: 3389 })).toHaveLength(1);
    expect(admin({ cidr_ipv6: '::/0', ip_protocol: 'tcp', from_port: 22, to_port: 22 })).toEqual(['aws_vpc_security_group_ingress_rule.r cidr_ipv6: ::/0 reaches 22 (SSH) through tcp 22']);
    expect(admin({ cidr_ipv6: '2001:db8::/32', ip_protocol: 'tcp', from_port: 22, to_port: 22 })).toEqual([]);
    expect(admin({ cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 23, to_port: 3388 })).toEqual([]);
    expect(admin({ cidr_ipv4: '0.0.0.0/0', ip_protocol: 'udp', from_port: 22, to_port: 22 })).toEqual([]);
    expect(admin({ cidr_ipv4: '0.0.0.0/0', ip_protocol: 'icmp', from_port: -1, to_port: -1 })).toEqual([]);
    expect(admin({ cidr_ipv4: '${var.cidr}', ip_protocol: '-1' })).toEqual([]);
    // Protocol -1 reaches everything: both rules speak.
    expect(admin({ cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' })).toHaveLength(1);
    expect(messages('AWS-SG-ALL-PORTS-OPEN', sg({ cidr_ipv4: '0.0.0.0/0', ip_protocol: 'all' }))).toEqual(['aws_vpc_security_group_ingress_rule.r cidr_ipv4: 0.0.0.0/0 reaches every protocol and port']);
    expect(messages('AWS-SG-ALL-PORTS-OPEN', sg({ cidr_ipv4: '0.0.0.0/0', ip_protocol: 'udp', from_port: 0, to_port: 65535 }))).toHaveLength(1);
    // A group with the same open range in two blocks is reported once per argument.
    const twice = { aws_security_group: { g: { ingress: [22, 3389].map((p) => ({ from_port: p, to_port: p, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] })) } } };
    expect(messages('AWS-SG-ADMIN-PORTS-OPEN', twice)).toHaveLength(2);
  });

  it('finds the public access block, versioning and policy of a bucket by reference or by name', () => {
    expect(messages('AWS-S3-PUBLIC-ACCESS-BLOCK', { aws_s3_bucket: { b: { bucket: 'logs' } }, aws_s3_bucket_public_access_block: { other: { bucket: 'another', ...allBlocked } } })).toHaveLength(1);
    expect(messages('AWS-S3-PUBLIC-ACCESS-BLOCK', { aws_s3_bucket: { b: {} }, aws_s3_account_public_access_block: { account: allBlocked } })).toEqual([]);
    expect(messages('AWS-S3-VERSIONING', { aws_s3_bucket: { b: { bucket: 'named' } }, aws_s3_bucket_versioning: { v: { bucket: 'named', versioning_configuration: { status: 'Enabled' } } } })).toEqual([]);
    expect(messages('AWS-S3-TLS-ONLY', { aws_s3_bucket: { b: { bucket: 'named' } }, aws_s3_bucket_policy: { p: { bucket: 'named', policy: doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) } } })).toEqual([]);
  });

  it('reads a policy document from an aws_iam_policy_document data source of the stack', () => {
    const stack = StackModel.fromJson({
      data: {
        aws_iam_policy_document: {
          d: { statement: [{ effect: 'Allow', actions: ['s3:*'], resources: ['*'] }] },
          public: { statement: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'], principals: [{ type: '*', identifiers: ['*'] }] }] },
        },
      },
      resource: {
        aws_iam_role_policy: { p: { role: 'r', policy: '${data.aws_iam_policy_document.d.json}' } },
        aws_s3_bucket_policy: { b: { bucket: 'b', policy: '${data.aws_iam_policy_document.public.json}' } },
      },
    });
    const found = evaluateRules(stack, AWS_RULES).map((f) => `${f.rule} ${flagged(f.message)}`);
    expect(found).toEqual(expect.arrayContaining(['AWS-IAM-WILDCARD-ACTION aws_iam_role_policy.p policy', 'AWS-IAM-WILDCARD-RESOURCE aws_iam_role_policy.p policy', 'AWS-S3-PUBLIC-POLICY aws_s3_bucket_policy.b policy']));
  });

  it('reads GitHub OIDC subjects as checkov CKV_AWS_358 does', () => {
    const trust = (sub: unknown) => ({ aws_iam_role: { r: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, { StringLike: { 'token.actions.githubusercontent.com:sub': sub } }) } } });
    const flags = (sub: unknown) => messages('AWS-IAM-GITHUB-OIDC-SUBJECT', trust(sub)).length;
    expect(flags('*')).toBe(1);
    expect(flags('repo:*')).toBe(1);
    expect(flags('repo:my-org*')).toBe(1);
    expect(flags('workflow:deploy')).toBe(1);
    expect(flags(['repo:my-org/app:ref:refs/heads/main', 'repo:*'])).toBe(1);
    expect(flags('repo:my-org/*')).toBe(0);
    expect(flags('repo:my-org/app:environment:production')).toBe(0);
    expect(flags('${var.subject}')).toBe(0);
  });

  it('decodes boot scripts: gzipped base64, a local passed through base64gzip, and this package\'s env files', () => {
    const script = '#!/bin/bash\nexport REDIS_PASSWORD=s3cret\n';
    expect(messages('AWS-SECRET-IN-ENVIRONMENT', { aws_launch_template: { lt: { user_data: gzipSync(script).toString('base64') } } })).toEqual([
      'aws_launch_template.lt user_data.REDIS_PASSWORD: set to a literal value, readable by anyone who can describe the resource, and kept in the synthesized JSON and the state',
    ]);
    const envFile = (name: string, value: string) => `printf '%s' '${b64(value)}' | base64 -d > /run/serverpod/env/${name}`;
    const local = ['#!/bin/bash', envFile('SERVERPOD_API_SERVER_PORT', '8080'), envFile('SERVERPOD_PASSWORD_stripeKey', 'sk_live_123'), `{ sm_value '\${aws_secretsmanager_secret.s.arn}'; } > /run/serverpod/env/SERVERPOD_PASSWORD_database`].join('\n');
    const stack = StackModel.fromJson({ locals: { boot: local }, resource: { aws_launch_template: { lt: { user_data: '${base64gzip(local.boot)}' } } } });
    expect(evaluateRules(stack, [ruleById('AWS-SECRET-IN-ENVIRONMENT')]).map((f) => f.attribute)).toEqual(['user_data.SERVERPOD_PASSWORD_stripeKey']);
    // Plain text where base64 belongs is not user data a launch template can have: nothing is read.
    expect(messages('AWS-SECRET-IN-ENVIRONMENT', { aws_launch_template: { lt: { user_data: 'export DB_PASSWORD=x' } } })).toEqual([]);
  });

  it('exempts actions that take no resource from the Resource "*" rule, and only those', () => {
    const policy = (...actions: string[]) => ({ aws_iam_role_policy: { p: { role: 'r', policy: doc({ Effect: 'Allow', Action: actions, Resource: '*' }) } } });
    expect(messages('AWS-IAM-WILDCARD-RESOURCE', policy('ec2:DescribeInstances', 'ssmmessages:*', 'logs:DescribeLogGroups'))).toEqual([]);
    expect(messages('AWS-IAM-WILDCARD-RESOURCE', policy('ec2:*'))).toEqual(['aws_iam_role_policy.p policy: statement 1 allows ec2:* on every resource ("*")']);
    expect(messages('AWS-IAM-WILDCARD-RESOURCE', policy('logs:PutLogEvents'))).toHaveLength(1);
  });

  it('reads policies as cdktf\'s Fn.jsonencode writes them, an unknown value never matching a wildcard', () => {
    // The exact text cdktf writes: an HCL object literal with quoted keys and `=`, references bare or inside strings.
    const written = encoded((bucket) => [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${bucket}/*`, Principal: { AWS: bucket }, Condition: { Bool: { 'aws:SecureTransport': false } } }]);
    expect(written).toBe(
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = ["s3:GetObject"], "Resource" = "arn:aws:s3:::${var.bucket}/*", "Principal" = {"AWS" = var.bucket}, "Condition" = {"Bool" = {"aws:SecureTransport" = false}}}]})}',
    );
    expect(policyStatements(written)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::${var.bucket}/*', Principal: { AWS: '${var.bucket}' }, Condition: { Bool: { 'aws:SecureTransport': false } } },
    ]);
    // `:` as well as `=`, bare keys, newlines between members, numbers and null; function calls and for expressions are unknown.
    expect(policyStatements('${jsonencode({Statement: [{Sid = "A"\n Effect = "Allow", Action = join(",", ["s3:*"]), Resource = [for b in var.buckets : "${b}/*"], N = 1.5, X = null}]})}')).toEqual([
      { Sid: 'A', Effect: 'Allow', Action: '${join(",", ["s3:*"])}', Resource: '${[for b in var.buckets : "${b}/*"]}', N: 1.5, X: null },
    ]);
    // Not a whole-value jsonencode of a literal object: nothing is read.
    for (const text of ['${jsonencode(local.policy)}', '${jsonencode({"Statement" = var.statements})}', '${jsonencode({"Statement" = []})} and more', '${jsonencode({"Statement" = [{"Effect" = "Allow"']) {
      expect(policyStatements(text)).toEqual([]);
    }
    const actions = (value: string) => messages('AWS-IAM-WILDCARD-ACTION', { aws_iam_policy: { p: { policy: value } } });
    expect(actions(encoded((bucket) => [{ Effect: 'Allow', Action: bucket, Resource: '*' }]))).toEqual([]);
    expect(actions(encoded(() => [{ Effect: 'Allow', Action: '*', Resource: '*' }]))).toEqual(['aws_iam_policy.p policy: statement 1 allows "*": every action of every service']);
  });

  it('reads the minified_json of a policy document data source, and its dynamic statements', () => {
    const stack = StackModel.fromJson({
      data: {
        aws_iam_policy_document: {
          trust: { statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'AWS', identifiers: ['*'] }] }] },
          dyn: { dynamic: { statement: { for_each: '${var.grants}', content: { actions: ['iam:PassRole'], resources: ['*'] } } } },
          merged: { source_policy_documents: ['${data.aws_iam_policy_document.trust.json}'] },
        },
      },
      resource: {
        aws_iam_role: { r: { assume_role_policy: '${data.aws_iam_policy_document.trust.minified_json}' }, m: { assume_role_policy: '${data.aws_iam_policy_document.merged.minified_json}' } },
        aws_iam_role_policy: { p: { role: 'r', policy: '${data.aws_iam_policy_document.dyn.minified_json}' } },
      },
    });
    const found = evaluateRules(stack, AWS_RULES).map((f) => `${f.rule} ${flagged(f.message)}`);
    expect(found).toEqual(expect.arrayContaining(['AWS-IAM-ROLE-TRUST-PUBLIC aws_iam_role.r assume_role_policy', 'AWS-IAM-PRIVILEGE-ESCALATION aws_iam_role_policy.p policy']));
    expect(found.filter((f) => f.includes('aws_iam_role.m '))).toEqual([]);
  });

  it('finds an administrator managed policy through a data source', () => {
    const stack = StackModel.fromJson({
      data: { aws_iam_policy: { admin: { name: 'AdministratorAccess' }, byarn: { arn: 'arn:aws:iam::aws:policy/IAMFullAccess' }, mine: { name: 'app-policy' } } },
      resource: {
        aws_iam_role_policy_attachment: {
          a: { role: 'r', policy_arn: '${data.aws_iam_policy.admin.arn}' },
          b: { role: 'r', policy_arn: '${data.aws_iam_policy.byarn.arn}' },
          c: { role: 'r', policy_arn: '${data.aws_iam_policy.mine.arn}' },
        },
      },
    });
    expect(evaluateRules(stack, [ruleById('AWS-IAM-ADMIN-POLICY')]).map((f) => f.message)).toEqual([
      'aws_iam_role_policy_attachment.a policy_arn: AdministratorAccess attached: the holder may do nearly anything in the account',
      'aws_iam_role_policy_attachment.b policy_arn: IAMFullAccess attached: the holder can grant itself any permission',
    ]);
  });

  it('flags owner-wide GitHub subjects as a warning, and a negated subject condition as an error', () => {
    expect(ruleById('AWS-IAM-GITHUB-OIDC-ORG-WIDE').severity).toBe('warning');
    const trust = (condition: Record<string, unknown>) => ({ aws_iam_role: { r: { assume_role_policy: gitHubTrust(GITHUB_PROVIDER_ARN, condition) } } });
    const sub = 'token.actions.githubusercontent.com:sub';
    expect(messages('AWS-IAM-GITHUB-OIDC-ORG-WIDE', trust({ StringLike: { [sub]: 'repo:my-org/*' } }))).toEqual([
      'aws_iam_role.r assume_role_policy: statement 1 trusts GitHub Actions with sub "repo:my-org/*": any repository of the owner matching it may assume the role',
    ]);
    expect(messages('AWS-IAM-GITHUB-OIDC-SUBJECT', trust({ StringNotLike: { [sub]: 'repo:evil/*' } }))).toEqual([
      'aws_iam_role.r assume_role_policy: statement 1 trusts GitHub Actions with only StringNotLike on token.actions.githubusercontent.com:sub: every repository it does not list may assume the role',
    ]);
    // A positive condition next to a negated one decides.
    expect(messages('AWS-IAM-GITHUB-OIDC-SUBJECT', trust({ StringEquals: { [sub]: 'repo:my-org/app:ref:refs/heads/main' }, StringNotEquals: { [sub]: 'repo:my-org/app:ref:refs/heads/dev' } }))).toEqual([]);
  });

  it('never prints a secret value, and names each variable so one can be suppressed alone', () => {
    const found = findingsOf(ruleById('AWS-SECRET-IN-ENVIRONMENT'), FIXTURES['AWS-SECRET-IN-ENVIRONMENT'].failing);
    for (const f of found) expect(f.message).not.toMatch(/hunter2|sk_live|correct-horse|123456|abc123|postgres:|redis:|amqps:|hooks\.slack/);
    expect(found.filter((f) => f.resource === 'aws_launch_template.more').map((f) => f.attribute)).toContain('user_data.DATABASE_URL');

    const app = Testing.app();
    const stack = new TerraformStack(app, 'secrets');
    new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    const template = new LaunchTemplate(stack, 'lt', { userData: b64('#!/bin/bash\nDATABASE_URL=postgres://app:hunter2@db/app\nDB_PASSWORD=hunter2\n'), blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true' } }], metadataOptions: { httpTokens: 'required' } });
    suppressGuardrails(template, [{ rule: 'AWS-SECRET-IN-ENVIRONMENT', reason: 'a throwaway database of the demo, reset hourly', attributes: ['user_data.DATABASE_URL'] }]);
    Aspects.of(stack).add(new Guardrails({ rules: [ruleById('AWS-SECRET-IN-ENVIRONMENT')], print: false, report: false }));
    expect(() => app.synth()).toThrow(/1 guardrail error[\s\S]*user_data\.DB_PASSWORD/);
  });

  it('explains how to suppress the public access block rule for a block the organization made', () => {
    expect(ruleById('AWS-S3-PUBLIC-ACCESS-BLOCK').explanation).toMatch(/deploy\.yaml.*guardrails\.suppress.*AWS-S3-PUBLIC-ACCESS-BLOCK.*reason/);
  });

  it('lets the account encrypt EBS by default', () => {
    expect(messages('AWS-EBS-ENCRYPTION', { ...FIXTURES['AWS-EBS-ENCRYPTION'].failing, aws_ebs_encryption_by_default: { on: { enabled: true } } })).toEqual([]);
  });
});

/** The unsuppressed error findings of the AWS rules over a synthesized stack, suppressions on its constructs applied. */
function openErrors(stack: TerraformStack): string[] {
  const model = StackModel.fromJson(stack.toTerraform() as never);
  const suppressed = stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA).map((m) => ({ ...(m.data as { rule: string; attributes?: string[] }), path: c.node.path })));
  const onAttribute = (attributes: readonly string[] | undefined, attribute: string) => attributes === undefined || attributes.some((a) => attribute === a || attribute.startsWith(`${a}.`));
  return evaluateRules(model, AWS_RULES)
    .filter((f) => f.severity === 'error' && !suppressed.some((s) => s.rule === f.rule && (f.path === s.path || f.path.startsWith(`${s.path}/`)) && onAttribute(s.attributes, f.attribute)))
    .map((f) => `${f.rule}: ${f.message}`);
}

describe.each(Object.entries(EXAMPLE_BUILDERS).filter(([name]) => name.endsWith('-aws')))('example %s', (_name, build) => {
  it('has no AWS guardrail error left unsuppressed', () => {
    for (const stack of build(testApp())) expect(openErrors(stack)).toEqual([]);
  });
});

describe('odd arguments', () => {
  // What a hand-written stack may hold: malformed policies, nulls where blocks go, numbers where strings go.
  const odd: Record<string, unknown> = {
    policy: 'not json',
    assume_role_policy: JSON.stringify({ Statement: [null, 'x', { Effect: 'Allow', Action: 5, Resource: { a: 1 }, Principal: null, Condition: 'x' }] }),
    inline_policy: [{ policy: JSON.stringify({ Statement: { Effect: 'Allow', Action: ['*', 7], Resource: [null, '*'] } }) }],
    ingress: [null, 5, { protocol: null, cidr_blocks: [null, 7, '0.0.0.0/0'] }],
    cidr_ipv4: '0.0.0.0/0',
    block_device_mappings: [{ ebs: null }, null],
    root_block_device: null,
    default_action: null,
    default_cache_behavior: [],
    user_data: 5,
    container_definitions: JSON.stringify([null, { environment: [null, { name: 5 }, { name: 'DB_PASSWORD', value: 7 }] }]),
    environment: { variables: null },
    viewer_certificate: [],
    metadata_options: null,
    rule: null,
    parameter: null,
    parameter_group_name: 'default.postgres',
    engine: 'postgres',
    access_control_policy: { grant: [null, { grantee: null }] },
    dynamic: { ingress: { content: null }, default_action: [null, { content: 5 }], block_device_mappings: 'x' },
    managed_policy_arns: [null, 5, 'arn:aws:iam::aws:policy/'],
    policy_arns: 'x',
    principal: 5,
    grant: [null, { uri: 5 }],
  };

  it.each(AWS_RULES.map((r) => [r.id, r] as const))('%s does not throw', (_id, rule) => {
    const resources: FixtureResources = Object.fromEntries(rule.types.map((t) => [t, { empty: {}, odd }]));
    expect(() => findingsOf(rule, resources)).not.toThrow();
  });
});
