import { gunzipSync } from 'zlib';
import { ModelResource, StackModel } from '../../model/stack-model';
import { GuardrailRule, PolicyStatement, RuleViolation, isExpression, isProduction, nestedBlocks, readPolicyStatements, violation } from '../rule';
import { plainSecret, plainSecretsInScript, SecretKind } from '../secrets';

// The AWS rule pack. Each rule reads the synthesized arguments of some resource types; an argument holding a
// Terraform expression (`${...}`) is not known at synth and is never flagged, except where leaving the argument out
// gives the insecure default (then "absent" is what the finding says).

type Config = Readonly<Record<string, unknown>>;

/** A literal boolean (cdktf writes some as "true"/"false"); undefined when absent or an expression. */
function flag(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** A literal string; undefined when absent, not a string, or an expression. */
function literal(value: unknown): string | undefined {
  return typeof value === 'string' && !isExpression(value) ? value : undefined;
}

/** A literal whole number (a number, or a string of digits). */
function whole(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/** The literal strings of a list argument (a lone string counts as a list of one). */
function strings(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.filter((v): v is string => typeof v === 'string' && !isExpression(v));
}

const absent = (value: unknown): boolean => value === undefined || value === null;

/** The first block of a nested block of a config, written out or `dynamic` (see `nestedBlocks`). */
const one = (config: Config, name: string): Config | undefined => nestedBlocks(config, name)[0];

/** The strings of a policy element (`"s3:*"` or `["s3:*"]`); anything else a malformed document holds is left out. */
function elements(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** `false` or `absent (false by default)`, for a boolean argument that is not true. */
const notTrue = (value: unknown): string => (absent(value) ? 'absent (false by default)' : 'false');

/** Violations without repeats (several blocks may break a rule the same way). */
function unique(violations: readonly RuleViolation[]): RuleViolation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.attribute}\u0000${v.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function rule(r: Omit<GuardrailRule, 'cloud'>): GuardrailRule {
  return { cloud: 'aws', ...r };
}

// ---------------------------------------------------------------------------------------------------------------
// Policy documents

/**
 * The statements of a policy argument: a JSON document (string or object), a whole-value `${jsonencode({...})}` as
 * cdktf's `Fn.jsonencode` writes it (see `readPolicyStatements`), or a reference to the `json` or `minified_json` of an
 * `aws_iam_policy_document` data source of the stack, read from its statement blocks (dynamic ones too). `undefined`
 * when the argument is an expression the stack does not let us read.
 */
function statementsOf(value: unknown, stack: StackModel): readonly PolicyStatement[] | undefined {
  if (absent(value)) return [];
  const data = typeof value === 'string' ? /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(?:minified_)?json\}$/.exec(value.trim()) : null;
  if (data) {
    const source = stack.json.data?.aws_iam_policy_document?.[data[1]];
    // A document merged from others is only known at apply.
    if (!source || !absent(source.source_policy_documents) || !absent(source.override_policy_documents) || !absent(source.source_json) || !absent(source.override_json)) return undefined;
    return nestedBlocks(source, 'statement').map(documentStatement);
  }
  return readPolicyStatements(value);
}

/** A statement block of `aws_iam_policy_document`, as a JSON policy statement. */
function documentStatement(s: Config): PolicyStatement {
  const principals = (key: string) => {
    const found = nestedBlocks(s, key);
    if (found.length === 0) return undefined;
    const out: Record<string, string[]> = {};
    for (const p of found) {
      const type = String(p.type);
      out[type] = [...(out[type] ?? []), ...(Array.isArray(p.identifiers) ? p.identifiers : [p.identifiers]).filter((i): i is string => typeof i === 'string')];
    }
    // `type = "*"` is the anonymous principal, `"*"` in JSON.
    return out['*'] ? '*' : out;
  };
  const condition: Record<string, Record<string, unknown>> = {};
  for (const c of nestedBlocks(s, 'condition')) {
    const test = String(c.test);
    const variable = String(c.variable);
    condition[test] = { ...(condition[test] ?? {}), [variable]: Array.isArray(c.values) ? c.values : [c.values] };
  }
  const strs = (v: unknown) => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : undefined);
  return {
    Sid: typeof s.sid === 'string' ? s.sid : undefined,
    Effect: typeof s.effect === 'string' ? s.effect : 'Allow',
    Action: strs(s.actions),
    NotAction: strs(s.not_actions),
    Resource: strs(s.resources),
    NotResource: strs(s.not_resources),
    Principal: principals('principals'),
    NotPrincipal: principals('not_principals'),
    Condition: Object.keys(condition).length > 0 ? condition : undefined,
  };
}

/** How a finding names a statement's actions: its Action list, or "every action but its NotAction". */
const actionsOf = (s: PolicyStatement): string => (s.NotAction !== undefined ? 'every action but its NotAction' : elements(s.Action).join(', ') || 'its actions');

/** How a statement is named in a finding: its Sid, else its position. */
const statementName = (s: PolicyStatement, i: number): string => (s.Sid ? `statement "${s.Sid}"` : `statement ${i + 1}`);

const isAllow = (s: PolicyStatement): boolean => (s.Effect ?? 'Allow') === 'Allow';

/** Whether a principal is everyone: `"*"`, `{"AWS": "*"}` or a list holding `"*"`. */
function isAnyone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object' || Array.isArray(principal)) return false;
  const aws = (principal as Record<string, unknown>).AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/**
 * Whether an Allow statement reaches everyone: its principal is `"*"`, or it has a `NotPrincipal` (every principal
 * but the ones listed).
 */
const reachesAnyone = (s: PolicyStatement): boolean => isAnyone(s.Principal) || (s.NotPrincipal !== undefined && s.NotPrincipal !== null);

/** How a finding names who a statement reaches. */
const whoItReaches = (s: PolicyStatement): string => (isAnyone(s.Principal) ? 'any principal ("*")' : 'every principal but its NotPrincipal');

/** Condition keys that tie a statement for everyone to one source, account, organization or network. */
const NARROWING_KEYS = new Set(
  [
    'aws:SourceArn',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceOrgID',
    'aws:SourceOrgPaths',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceIp',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:PrincipalServiceName',
    'aws:userid',
    'aws:username',
    'kms:CallerAccount',
  ].map((k) => k.toLowerCase()),
);

/**
 * Condition operators that admit only requests whose key matches a value: the equality and pattern operators, and
 * their `ForAnyValue:` forms. Not the `...IfExists` variants (a request without the key passes), not the negated
 * ones (`StringNotEquals`, `NotIpAddress`: everything else passes), and not `ForAllValues:` forms, which are true
 * for a request that does not carry the key at all (an anonymous request carries no `aws:SourceArn`). Lowercase.
 */
const POSITIVE_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'ipaddress']);

/** Whether a condition operator admits only requests whose key matches (see POSITIVE_OPERATORS). */
function isPositiveOperator(operator: string): boolean {
  const o = operator.toLowerCase();
  return POSITIVE_OPERATORS.has(o.startsWith('foranyvalue:') ? o.slice('foranyvalue:'.length) : o);
}

/** Whether a condition value names something: not empty, not only wildcards, not an address range of everything. */
function namesSomething(operator: string, value: unknown): boolean {
  if (typeof value !== 'string') return typeof value === 'number';
  if (isExpression(value)) return true;
  if (/ipaddress$/i.test(operator) && /\/0$/.test(value.trim())) return false;
  return value.replace(/[*?]/g, '').trim() !== '';
}

/**
 * Whether a condition narrows a statement for everyone: a narrowing key under a positive operator, every value of it
 * naming something. A condition that is itself an expression cannot be read and counts as narrowing.
 */
function narrows(condition: unknown): boolean {
  if (typeof condition === 'string') return isExpression(condition);
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return false;
  for (const [operator, byKey] of Object.entries(condition)) {
    if (!isPositiveOperator(operator) || byKey === null || typeof byKey !== 'object') continue;
    for (const [key, value] of Object.entries(byKey)) {
      if (!NARROWING_KEYS.has(key.toLowerCase())) continue;
      if (isExpression(value)) return true;
      const values = Array.isArray(value) ? value : [value];
      if (values.length > 0 && values.every((v) => namesSomething(operator, v))) return true;
    }
  }
  return false;
}

/**
 * Actions that take no resource ARN (or that AWS's own minimal policies grant on `*`), so `Resource: "*"` is the only
 * way to grant them. Lowercase; a trailing `*` covers every action starting so.
 */
const RESOURCELESS_ACTIONS = [
  'ecr:getauthorizationtoken',
  'logs:describeloggroups',
  'logs:describeresourcepolicies',
  'logs:describequerydefinitions',
  'ssm:updateinstanceinformation',
  'ssm:describeparameters',
  'ssmmessages:*',
  'ec2messages:*',
  'ec2:describe*',
  'autoscaling:describe*',
  'elasticloadbalancing:describe*',
  'cloudwatch:putmetricdata',
  'cloudwatch:getmetricdata',
  'cloudwatch:listmetrics',
  'xray:puttracesegments',
  'xray:puttelemetryrecords',
  'xray:getsamplingrules',
  'xray:getsamplingtargets',
  'sts:getcalleridentity',
  's3:listallmybuckets',
  'secretsmanager:listsecrets',
  'secretsmanager:getrandompassword',
  'kms:listkeys',
  'kms:listaliases',
  'acm:listcertificates',
  'route53:listhostedzones',
  'route53:gethostedzonecount',
  'cloudfront:listdistributions',
  'ecs:discoverpollendpoint',
  'ecs:registertaskdefinition',
  'ecs:listclusters',
  'ecs:describetaskdefinition',
  'iam:listroles',
  'iam:listpolicies',
];

/** Whether an action (which may itself end in `*`) is one that needs `Resource: "*"`. */
function isResourceless(action: string): boolean {
  const a = action.toLowerCase();
  return RESOURCELESS_ACTIONS.some((e) => (e.endsWith('*') ? a.startsWith(e.slice(0, -1)) : a === e));
}

/** A whole-service or every-action wildcard: `*`, `s3:*`. */
const isActionWildcard = (action: string): boolean => action === '*' || /^[A-Za-z0-9-]+:\*$/.test(action);

/** The IAM identity policies a resource holds, with the argument each is in. */
function identityPolicies(r: ModelResource): { readonly attribute: string; readonly value: unknown }[] {
  if (r.type === 'aws_iam_role') return nestedBlocks(r.config, 'inline_policy').map((p) => ({ attribute: 'inline_policy.policy', value: p.policy }));
  return [{ attribute: 'policy', value: r.config.policy }];
}

const IAM_POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'];

// ---------------------------------------------------------------------------------------------------------------
// S3

/** The bucket of the stack a `bucket` argument names: by reference, or by the literal bucket name. */
function bucketOf(value: unknown, stack: StackModel): ModelResource | undefined {
  if (isExpression(value)) {
    const found = stack.referenced(value);
    return found?.type === 'aws_s3_bucket' ? found : undefined;
  }
  const name = literal(value);
  return name === undefined ? undefined : stack.ofType('aws_s3_bucket').find((b) => literal(b.config.bucket) === name);
}

/** The resources of `type` whose `bucket` argument is this bucket (its public access block, its versioning...). */
function companions(bucket: ModelResource, stack: StackModel, type: string): ModelResource[] {
  return stack.ofType(type).filter((r) => bucketOf(r.config.bucket, stack)?.address === bucket.address);
}

const BLOCK_SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

/** Whether the stack blocks public access account-wide (`aws_s3_account_public_access_block`, every setting on). */
function accountBlocksEverything(stack: StackModel): boolean {
  return stack.ofType('aws_s3_account_public_access_block').some((b) => BLOCK_SETTINGS.every((k) => flag(b.config[k]) === true || isExpression(b.config[k])));
}

/** Whether public ACLs on a bucket have no effect: its block (or the account's) ignores them. */
function ignoresPublicAcls(bucket: ModelResource | undefined, stack: StackModel): boolean {
  if (stack.ofType('aws_s3_account_public_access_block').some((b) => flag(b.config.ignore_public_acls) === true)) return true;
  return bucket !== undefined && companions(bucket, stack, 'aws_s3_bucket_public_access_block').some((b) => flag(b.config.ignore_public_acls) === true);
}

/** The policies of a bucket: its `aws_s3_bucket_policy` resources and its own (deprecated) `policy` argument. */
function bucketPolicies(bucket: ModelResource, stack: StackModel): unknown[] {
  return [...companions(bucket, stack, 'aws_s3_bucket_policy').map((p) => p.config.policy), ...(absent(bucket.config.policy) ? [] : [bucket.config.policy])];
}

/** Whether a statement refuses requests made without TLS (`aws:SecureTransport` false, or `s3:TlsVersion` too low). */
function deniesInsecureTransport(s: PolicyStatement): boolean {
  if (s.Effect !== 'Deny') return false;
  for (const [operator, byKey] of Object.entries(s.Condition ?? {})) {
    for (const [key, value] of Object.entries(byKey ?? {})) {
      const k = key.toLowerCase();
      const values = (Array.isArray(value) ? value : [value]).map((v) => String(v).toLowerCase());
      if (/^bool(ifexists)?$/i.test(operator) && k === 'aws:securetransport' && values.includes('false')) return true;
      if (/^numericlessthan/i.test(operator) && k === 's3:tlsversion') return true;
    }
  }
  return false;
}

const PUBLIC_CANNED_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);

// ---------------------------------------------------------------------------------------------------------------
// Security groups

interface IngressRule {
  /** The argument holding the range, dotted. */
  readonly attribute: string;
  readonly cidr: string;
  readonly protocol: unknown;
  readonly from: unknown;
  readonly to: unknown;
}

/** The ingress rules of a security group, a security group rule or a VPC security group ingress rule, by range. */
function ingressRules(r: ModelResource): IngressRule[] {
  const c = r.config;
  const ranges = (b: Config, v4: string, v6: string, prefix: string) => [
    ...strings(b[v4]).map((cidr) => ({ attribute: `${prefix}${v4}`, cidr })),
    ...strings(b[v6]).map((cidr) => ({ attribute: `${prefix}${v6}`, cidr })),
  ];
  switch (r.type) {
    case 'aws_security_group':
    case 'aws_default_security_group':
      return nestedBlocks(c, 'ingress').flatMap((b) => ranges(b, 'cidr_blocks', 'ipv6_cidr_blocks', 'ingress.').map((x) => ({ ...x, protocol: b.protocol, from: b.from_port, to: b.to_port })));
    case 'aws_security_group_rule':
      if (literal(c.type) !== 'ingress') return [];
      return ranges(c, 'cidr_blocks', 'ipv6_cidr_blocks', '').map((x) => ({ ...x, protocol: c.protocol, from: c.from_port, to: c.to_port }));
    case 'aws_vpc_security_group_ingress_rule':
      return ranges(c, 'cidr_ipv4', 'cidr_ipv6', '').map((x) => ({ ...x, protocol: c.ip_protocol, from: c.from_port, to: c.to_port }));
    default:
      return [];
  }
}

const SG_TYPES = ['aws_security_group', 'aws_default_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'];

/** Any address at all: `0.0.0.0/0`, `::/0`. */
const isAnywhere = (cidr: string): boolean => /\/0$/.test(cidr.trim());

/** What a rule opens: every protocol and port, or a TCP/UDP port range; undefined when not readable or not TCP/UDP. */
function reach(rule: IngressRule): { readonly protocol: 'all' | 'tcp' | 'udp'; readonly from: number; readonly to: number } | undefined {
  if (isExpression(rule.protocol)) return undefined;
  const p = String(rule.protocol ?? '').toLowerCase();
  if (p === '-1' || p === 'all') return { protocol: 'all', from: 0, to: 65535 };
  const protocol = p === 'tcp' || p === '6' ? 'tcp' : p === 'udp' || p === '17' ? 'udp' : undefined;
  const from = whole(rule.from);
  const to = whole(rule.to);
  if (!protocol || from === undefined || to === undefined) return undefined;
  return { protocol, from, to };
}

const describeReach = (r: NonNullable<ReturnType<typeof reach>>): string => (r.protocol === 'all' ? 'every protocol and port' : r.from === r.to ? `${r.protocol} ${r.from}` : `${r.protocol} ${r.from}-${r.to}`);

const ADMIN_PORTS: readonly { readonly port: number; readonly name: string; readonly protocols: readonly string[] }[] = [
  { port: 22, name: 'SSH', protocols: ['tcp'] },
  { port: 3389, name: 'RDP', protocols: ['tcp', 'udp'] },
];

// ---------------------------------------------------------------------------------------------------------------
// RDS

const isReplica = (c: Config): boolean => !absent(c.replicate_source_db) || !absent(c.replication_source_identifier);
/** Restored from a snapshot or a point in time: encryption follows the source, whatever the argument says. */
const isRestore = (c: Config): boolean => !absent(c.snapshot_identifier) || !absent(c.restore_to_point_in_time) || !absent(c.s3_import);

/** `postgres14` or `default.postgres14` → 14. */
function postgresMajor(value: string | undefined): number | undefined {
  const m = /postgres(\d+)/.exec(value ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Whether an RDS for PostgreSQL instance may accept connections without TLS; the problem, if it may. */
function forceSslProblem(db: ModelResource, stack: StackModel): RuleViolation | undefined {
  const c = db.config;
  if (literal(c.engine) !== 'postgres') return undefined;
  const version = c.engine_version;
  const versionMajor = absent(version) ? undefined : isExpression(version) ? NaN : Number(String(version).split('.')[0]);
  // RDS's default parameter groups set rds.force_ssl to 1 from PostgreSQL 15 on, to 0 before.
  const defaultForces = (major: number | undefined): boolean => major === undefined || Number.isNaN(major) || major >= 15;
  const groupArg = c.parameter_group_name;
  if (absent(groupArg)) {
    return defaultForces(versionMajor) ? undefined : { attribute: 'parameter_group_name', problem: `absent: the default parameter group of PostgreSQL ${versionMajor} leaves rds.force_ssl at 0, so clients may connect without TLS` };
  }
  let group: ModelResource | undefined;
  if (isExpression(groupArg)) {
    const found = stack.referenced(groupArg);
    if (found?.type !== 'aws_db_parameter_group') return undefined;
    group = found;
  } else {
    const name = String(groupArg);
    if (name.startsWith('default.')) {
      const major = postgresMajor(name) ?? versionMajor;
      return defaultForces(major) ? undefined : { attribute: 'parameter_group_name', problem: `${name}: that default group leaves rds.force_ssl at 0, so clients may connect without TLS` };
    }
    group = stack.ofType('aws_db_parameter_group').find((g) => literal(g.config.name) === name);
    if (!group) return undefined;
  }
  const setting = nestedBlocks(group.config, 'parameter').find((p) => p.name === 'rds.force_ssl');
  if (setting) {
    if (isExpression(setting.value) || String(setting.value) === '1') return undefined;
    return { attribute: 'parameter_group_name', problem: `${group.address} sets rds.force_ssl to ${String(setting.value)}: clients may connect without TLS` };
  }
  const family = group.config.family;
  if (isExpression(family)) return undefined;
  const major = postgresMajor(literal(family));
  return defaultForces(major) ? undefined : { attribute: 'parameter_group_name', problem: `${group.address} (family ${String(family)}) leaves rds.force_ssl at its default, 0: clients may connect without TLS` };
}

// ---------------------------------------------------------------------------------------------------------------
// Load balancers

/** The load balancer type of an `aws_lb` (application unless it says otherwise); undefined when not readable. */
function lbType(lb: ModelResource): string | undefined {
  const t = lb.config.load_balancer_type;
  return absent(t) ? 'application' : literal(t);
}

/** A listener's protocol: its own, or HTTP for an ALB listener that leaves it out. */
function listenerProtocol(listener: ModelResource, stack: StackModel): string | undefined {
  const p = listener.config.protocol;
  if (!absent(p)) return literal(p)?.toUpperCase();
  const lb = stack.referenced(listener.config.load_balancer_arn);
  return lb && (lb.type === 'aws_lb' || lb.type === 'aws_alb') && lbType(lb) === 'application' ? 'HTTP' : undefined;
}

/** TLS policies that accept TLS 1.2 and newer only. */
const STRONG_SSL_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

// ---------------------------------------------------------------------------------------------------------------
// Secrets in boot scripts and environments

const SECRET_WHERE = 'readable by anyone who can describe the resource, and kept in the synthesized JSON and the state';
const SECRET_KIND_TEXT: Readonly<Record<SecretKind, string>> = {
  name: 'set to a literal value',
  url: 'a URL with a literal password (user:password@)',
  shape: 'set to a literal value shaped like a live credential',
};

/** Why a variable's value is a literal secret (never the value itself), or undefined when it is not one. */
function secretProblem(name: string, value: unknown): string | undefined {
  const kind = plainSecret(name, value);
  return kind && `${SECRET_KIND_TEXT[kind]}, ${SECRET_WHERE}`;
}

/** The variables a script sets to literal secrets, by name, with why. */
function literalSecretsInScript(script: string): Map<string, string> {
  return new Map([...plainSecretsInScript(script)].map(([name, kind]) => [name, `${SECRET_KIND_TEXT[kind]}, ${SECRET_WHERE}`]));
}

/** Decodes base64 user data (gzipped or not); undefined when it is not base64. */
function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  try {
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * The text of a user data argument, where it can be read: a literal (base64 for a launch template), or a
 * `local` of the stack passed through `base64encode`/`base64gzip` (as this package's server groups do).
 */
function userDataText(value: unknown, stack: StackModel, base64: boolean): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!isExpression(value)) return base64 ? decodeBase64(value) : value;
  const m = /^\$\{(?:(base64encode|base64gzip)\()?local\.([A-Za-z0-9_-]+)\)?\}$/.exec(value.trim());
  if (!m || (base64 && !m[1]) || (!base64 && m[1])) return undefined;
  const local = (stack.json.locals as Record<string, unknown> | undefined)?.[m[2]];
  return typeof local === 'string' ? local : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The rules

const RDS_PUBLIC = rule({
  id: 'AWS-RDS-PUBLIC',
  severity: 'error',
  title: 'RDS databases are not publicly accessible',
  explanation:
    'A publicly accessible RDS instance gets a public address, and anyone its security groups let through can try its password or an engine vulnerability. Set `publicly_accessible` to false (cdktf `publiclyAccessible: false`, what `PostgresDatabase` does), place it in private subnets, and reach it from inside the VPC.',
  controls: ['CKV_AWS_17', 'CIS AWS 3.0.0 2.3.3'],
  types: ['aws_db_instance', 'aws_rds_cluster_instance'],
  check: (r) => violation(flag(r.config.publicly_accessible) === true, 'publicly_accessible', 'true: the database gets a public address, reachable from the internet wherever its security groups allow'),
});

const RDS_STORAGE_ENCRYPTION = rule({
  id: 'AWS-RDS-STORAGE-ENCRYPTION',
  severity: 'error',
  title: 'RDS storage is encrypted at rest',
  explanation:
    'The provider leaves `storage_encrypted` false when it is not given, so the database volume, its automated backups and its snapshots are stored unencrypted. Set `storage_encrypted = true` (cdktf `storageEncrypted: true`, optionally with `kms_key_id`); an existing database cannot be encrypted in place: restore an encrypted copy of a snapshot.',
  controls: ['CKV_AWS_16', 'CKV_AWS_96', 'CIS AWS 3.0.0 2.3.1'],
  types: ['aws_db_instance', 'aws_rds_cluster'],
  check: (r) => {
    const c = r.config;
    if (isReplica(c) || isRestore(c) || isExpression(c.storage_encrypted)) return [];
    // Aurora Serverless v1 is always encrypted.
    if (r.type === 'aws_rds_cluster' && absent(c.storage_encrypted) && literal(c.engine_mode) === 'serverless') return [];
    return violation(flag(c.storage_encrypted) !== true, 'storage_encrypted', `${notTrue(c.storage_encrypted)}: the storage, its backups and snapshots are unencrypted`);
  },
});

const RDS_BACKUPS = rule({
  id: 'AWS-RDS-BACKUPS',
  severity: 'error',
  title: 'Production RDS databases keep automated backups',
  explanation:
    'A `backup_retention_period` of 0 turns off automated backups and point-in-time recovery: a bad migration or a deleted table cannot be undone. Keep at least 7 days in production (cdktf `backupRetentionPeriod`, `PostgresDatabaseProps.backupRetentionDays`).',
  controls: ['CKV_AWS_133'],
  types: ['aws_db_instance'],
  check: (r) => (isProduction(r) && !isReplica(r.config) ? violation(whole(r.config.backup_retention_period) === 0, 'backup_retention_period', '0: no automated backups and no point-in-time recovery') : []),
});

const RDS_DELETION_PROTECTION = rule({
  id: 'AWS-RDS-DELETION-PROTECTION',
  severity: 'error',
  title: 'Production RDS databases have deletion protection',
  explanation:
    'Without deletion protection, `terraform destroy` or a change that replaces the database deletes production data with nothing to stop it. Set `deletion_protection = true` (cdktf `deletionProtection`, on by default for production in `AwsServerCluster`); turn it off in a separate apply when the database really is to go.',
  controls: ['CKV_AWS_293', 'CKV_AWS_139'],
  types: ['aws_db_instance', 'aws_rds_cluster'],
  check: (r) => {
    const v = r.config.deletion_protection;
    if (!isProduction(r) || isReplica(r.config) || isExpression(v)) return [];
    return violation(flag(v) !== true, 'deletion_protection', `${notTrue(v)}: a destroy or a replacement deletes the production data`);
  },
});

const RDS_FINAL_SNAPSHOT = rule({
  id: 'AWS-RDS-FINAL-SNAPSHOT',
  severity: 'warning',
  title: 'Production RDS databases take a final snapshot when deleted',
  explanation:
    '`skip_final_snapshot = true` deletes a database without a last snapshot, and its automated backups go with it. In production leave it false (the default) with a `final_snapshot_identifier` (cdktf `skipFinalSnapshot`, `PostgresDatabaseProps.finalSnapshot`).',
  controls: [],
  types: ['aws_db_instance', 'aws_rds_cluster'],
  check: (r) => (isProduction(r) && !isReplica(r.config) ? violation(flag(r.config.skip_final_snapshot) === true, 'skip_final_snapshot', 'true: deleting the database keeps no snapshot of its data') : []),
});

const RDS_MULTI_AZ = rule({
  id: 'AWS-RDS-MULTI-AZ',
  severity: 'warning',
  title: 'Production RDS databases have a standby in a second zone',
  explanation:
    'A single-AZ instance is down while its zone or host fails and during some maintenance. In production set `multi_az = true` (cdktf `multiAz`, `AwsEnvironmentSize.databaseMultiAz`) for a synchronous standby with automatic failover, at about twice the instance cost.',
  controls: ['CKV_AWS_157'],
  types: ['aws_db_instance'],
  check: (r) => {
    const v = r.config.multi_az;
    if (!isProduction(r) || isReplica(r.config) || isExpression(v)) return [];
    return violation(flag(v) !== true, 'multi_az', `${notTrue(v)}: no standby; a zone or host failure takes the database down`);
  },
});

const RDS_FORCE_SSL = rule({
  id: 'AWS-RDS-FORCE-SSL',
  severity: 'error',
  title: 'RDS for PostgreSQL refuses connections without TLS',
  explanation:
    'Unless `rds.force_ssl` is 1, PostgreSQL accepts unencrypted connections, and a client that does not insist on TLS sends its password and data in clear text. Give the instance a parameter group (`parameter_group_name`, cdktf `DbParameterGroup`) with `parameter { name = "rds.force_ssl", value = "1" }`; the default groups of PostgreSQL 15 and later already set it.',
  controls: ['CKV2_AWS_69'],
  types: ['aws_db_instance'],
  check: (r, stack) => {
    const problem = forceSslProblem(r, stack);
    return problem ? [problem] : [];
  },
});

const RDS_MINOR_UPGRADES = rule({
  id: 'AWS-RDS-MINOR-UPGRADES',
  severity: 'warning',
  title: 'RDS databases take minor version upgrades automatically',
  explanation:
    'Minor versions carry the engine\'s security fixes; with `auto_minor_version_upgrade = false` they wait until someone applies them by hand. Leave it true (the default; cdktf `autoMinorVersionUpgrade`) so RDS applies them in the maintenance window.',
  controls: ['CKV_AWS_226', 'CIS AWS 3.0.0 2.3.2'],
  types: ['aws_db_instance', 'aws_rds_cluster_instance'],
  check: (r) => violation(flag(r.config.auto_minor_version_upgrade) === false, 'auto_minor_version_upgrade', 'false: security fixes of the engine are not applied'),
});

const S3_PUBLIC_ACCESS_BLOCK = rule({
  id: 'AWS-S3-PUBLIC-ACCESS-BLOCK',
  severity: 'error',
  title: 'S3 buckets block every kind of public access',
  explanation:
    'A bucket without a public access block can be made public by one ACL or policy change, by mistake or by anyone with `s3:PutBucketPolicy`. Give every bucket an `aws_s3_bucket_public_access_block` (cdktf `S3BucketPublicAccessBlock`) with `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` all true (each is reported as its own argument), or block public access account-wide with `aws_s3_account_public_access_block`; serve public files through CloudFront instead. An account-wide block made outside the stack, by the organization, cannot be seen at synth: then suppress the rule in deploy.yaml, `guardrails.suppress: [{ rule: AWS-S3-PUBLIC-ACCESS-BLOCK, reason: "the organization blocks public S3 access account-wide" }]`.',
  controls: ['CKV2_AWS_6', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56', 'CIS AWS 3.0.0 2.1.4'],
  types: ['aws_s3_bucket', 'aws_s3_bucket_public_access_block'],
  check: (r, stack) => {
    if (accountBlocksEverything(stack)) return [];
    if (r.type === 'aws_s3_bucket') {
      return violation(companions(r, stack, 'aws_s3_bucket_public_access_block').length === 0, 'aws_s3_bucket_public_access_block', 'none refers to the bucket, so an ACL or a policy can make it public');
    }
    const effect: Record<(typeof BLOCK_SETTINGS)[number], string> = {
      block_public_acls: 'requests that set a public ACL are accepted',
      block_public_policy: 'a bucket policy granting public access is accepted',
      ignore_public_acls: 'public ACLs on the bucket and its objects take effect',
      restrict_public_buckets: 'a public bucket policy gives access to anyone',
    };
    return BLOCK_SETTINGS.flatMap((k) => violation(flag(r.config[k]) !== true && !isExpression(r.config[k]), k, `${notTrue(r.config[k])}: ${effect[k]}`));
  },
});

const S3_PUBLIC_POLICY = rule({
  id: 'AWS-S3-PUBLIC-POLICY',
  severity: 'error',
  title: 'S3 bucket policies grant nothing to everyone',
  explanation:
    'An Allow statement whose `Principal` is `"*"` (or `{"AWS": "*"}`), or that has a `NotPrincipal`, gives its actions to anyone on the internet unless a condition ties it to one source. Name the principal (a role ARN, `{"Service": "cloudfront.amazonaws.com"}`), or add a narrowing condition such as `aws:SourceArn`, `aws:SourceAccount` or `aws:PrincipalOrgID` to the statement of `aws_s3_bucket_policy.policy`, under an operator that requires the key to match (`StringEquals`, `StringLike`, `ArnLike`, `IpAddress` with a range narrower than `0.0.0.0/0`, or their `ForAnyValue:` forms; not a negated, `...IfExists` or `ForAllValues:` one).',
  controls: ['CKV_AWS_70'],
  types: ['aws_s3_bucket_policy', 'aws_s3_bucket'],
  check: (r, stack) =>
    (statementsOf(r.config.policy, stack) ?? []).flatMap((s, i) =>
      violation(isAllow(s) && reachesAnyone(s) && !narrows(s.Condition), 'policy', `${statementName(s, i)} allows ${actionsOf(s)} to ${whoItReaches(s)} with no condition that narrows it (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID...)`),
    ),
});

const S3_PUBLIC_ACL = rule({
  id: 'AWS-S3-PUBLIC-ACL',
  severity: 'error',
  title: 'S3 buckets and objects have no public ACL',
  explanation:
    'The canned ACLs `public-read`, `public-read-write` and `authenticated-read` (and grants to the AllUsers or AuthenticatedUsers groups) open the bucket or object to anyone, unless a public access block ignores public ACLs. Remove the ACL (`aws_s3_bucket_acl.acl`, `aws_s3_object.acl`), disable ACLs with `aws_s3_bucket_ownership_controls` `BucketOwnerEnforced`, and serve public files through CloudFront with origin access control.',
  controls: ['CKV_AWS_20', 'CKV_AWS_57', 'CKV2_AWS_43'],
  types: ['aws_s3_bucket_acl', 'aws_s3_bucket', 'aws_s3_object'],
  check: (r, stack) => {
    const bucket = r.type === 'aws_s3_bucket' ? r : bucketOf(r.config.bucket, stack);
    if (ignoresPublicAcls(bucket, stack)) return [];
    const acl = literal(r.config.acl);
    const out: RuleViolation[] = [...violation(acl !== undefined && PUBLIC_CANNED_ACLS.has(acl), 'acl', `${acl}: ${acl === 'public-read-write' ? 'anyone may read and write' : acl === 'authenticated-read' ? 'any AWS account may read' : 'anyone may read'}`)];
    for (const policy of nestedBlocks(r.config, 'access_control_policy')) {
      for (const grant of nestedBlocks(policy, 'grant')) {
        const uri = literal(one(grant, 'grantee')?.uri) ?? '';
        if (/\/(AllUsers|AuthenticatedUsers)$/.test(uri)) out.push({ attribute: 'access_control_policy.grant.grantee.uri', problem: `${uri}: ${literal(grant.permission) ?? 'access'} granted to ${uri.endsWith('AllUsers') ? 'anyone' : 'any AWS account'}` });
      }
    }
    // The bucket's own (deprecated) grant blocks.
    for (const grant of r.type === 'aws_s3_bucket' ? nestedBlocks(r.config, 'grant') : []) {
      const uri = literal(grant.uri) ?? '';
      if (/\/(AllUsers|AuthenticatedUsers)$/.test(uri)) out.push({ attribute: 'grant.uri', problem: `${uri}: ${strings(grant.permissions).join(', ') || 'access'} granted to ${uri.endsWith('AllUsers') ? 'anyone' : 'any AWS account'}` });
    }
    return unique(out);
  },
});

const S3_TLS_ONLY = rule({
  id: 'AWS-S3-TLS-ONLY',
  severity: 'warning',
  title: 'S3 buckets refuse requests without TLS',
  explanation:
    'S3 answers plain-HTTP requests too, so a misconfigured client can send requests, and the data in them, unencrypted. Add a bucket policy statement that denies `s3:*` to `"*"` when `aws:SecureTransport` is false (an `aws_s3_bucket_policy`, or in cdktf `PrivateBucketProps.tlsOnly`); a Deny on `s3:TlsVersion` below 1.2 also counts.',
  controls: ['CKV_AWS_379', 'CIS AWS 3.0.0 2.1.1'],
  types: ['aws_s3_bucket'],
  check: (r, stack) => {
    const policies = bucketPolicies(r, stack).map((p) => statementsOf(p, stack));
    if (policies.some((p) => p === undefined)) return [];
    return violation(!policies.some((p) => p!.some(deniesInsecureTransport)), 'aws_s3_bucket_policy', 'no bucket policy denies requests made without TLS (aws:SecureTransport false)');
  },
});

const S3_VERSIONING = rule({
  id: 'AWS-S3-VERSIONING',
  severity: 'warning',
  title: 'S3 buckets keep object versions',
  explanation:
    'Without versioning an overwritten or deleted object is gone for good, whether by a bug, a mistaken sync or an attacker. Add an `aws_s3_bucket_versioning` with `versioning_configuration { status = "Enabled" }` (cdktf `S3BucketVersioningA`), and a lifecycle rule that expires noncurrent versions to bound the cost.',
  controls: ['CKV_AWS_21'],
  types: ['aws_s3_bucket'],
  check: (r, stack) => {
    if (flag(one(r.config, 'versioning')?.enabled) === true) return [];
    const configs = companions(r, stack, 'aws_s3_bucket_versioning');
    const status = configs.map((v) => one(v.config, 'versioning_configuration')?.status);
    if (status.some((s) => s === 'Enabled' || isExpression(s))) return [];
    return violation(true, 'aws_s3_bucket_versioning', configs.length > 0 ? `${configs[0].address} sets status ${String(status[0])}: an overwritten or deleted object cannot be recovered` : 'none refers to the bucket: an overwritten or deleted object cannot be recovered');
  },
});

const S3_ACCESS_LOGS = rule({
  id: 'AWS-S3-ACCESS-LOGS',
  severity: 'warning',
  title: 'S3 buckets log their requests',
  explanation:
    'Without server access logs (or CloudTrail data events) there is no record of who read, wrote or deleted an object. Add an `aws_s3_bucket_logging` (cdktf `S3BucketLoggingA`) with a `target_bucket` that is itself not logged; a bucket that receives logs is exempt.',
  controls: ['CKV_AWS_18'],
  types: ['aws_s3_bucket'],
  check: (r, stack) => {
    if (one(r.config, 'logging') || companions(r, stack, 'aws_s3_bucket_logging').length > 0) return [];
    // A log bucket: logs of this bucket would need yet another bucket.
    const logDestination = new Set(['target_bucket', 'access_logs.bucket', 'connection_logs.bucket', 'logging_config.bucket', 'log_destination', 'logging.target_bucket']);
    if (stack.referencesTo(r).some((ref) => logDestination.has(ref.at))) return [];
    const name = literal(r.config.bucket);
    if (name && stack.ofType('aws_s3_bucket_logging').some((l) => literal(l.config.target_bucket) === name)) return [];
    return violation(true, 'aws_s3_bucket_logging', 'none refers to the bucket: requests to it are not logged');
  },
});

const S3_ACLS_ENABLED = rule({
  id: 'AWS-S3-ACLS-ENABLED',
  severity: 'warning',
  title: 'S3 buckets have ACLs disabled',
  explanation:
    'With object ownership `ObjectWriter` or `BucketOwnerPreferred`, object ACLs take effect again: access is no longer decided by policies alone, and objects another account uploads may stay that account\'s. Set `rule { object_ownership = "BucketOwnerEnforced" }` on `aws_s3_bucket_ownership_controls` (cdktf `PrivateBucketProps.objectAcls: "disabled"`) unless a client must send ACLs.',
  controls: ['CKV2_AWS_65'],
  types: ['aws_s3_bucket_ownership_controls'],
  check: (r) => {
    const ownership = literal(one(r.config, 'rule')?.object_ownership);
    return violation(ownership !== undefined && ownership !== 'BucketOwnerEnforced', 'rule.object_ownership', `${ownership}: object ACLs are honored, so access is not decided by policies alone`);
  },
});

const SG_ADMIN_PORTS = rule({
  id: 'AWS-SG-ADMIN-PORTS-OPEN',
  severity: 'error',
  title: 'No security group opens SSH or RDP to the internet',
  explanation:
    'Port 22 (SSH) and 3389 (RDP) open to `0.0.0.0/0` or `::/0` are scanned and brute-forced within minutes of going up, and a port range or protocol `-1` that includes them counts. Remove the rule (`ingress.cidr_blocks`, `cidr_ipv4`/`cidr_ipv6` of `aws_vpc_security_group_ingress_rule`) and use Session Manager, or allow only a known address range.',
  controls: ['CKV_AWS_24', 'CKV_AWS_25', 'CIS AWS 3.0.0 5.2', 'CIS AWS 3.0.0 5.3'],
  types: SG_TYPES,
  check: (r) =>
    unique(
      ingressRules(r).flatMap((ingress) => {
        const opened = isAnywhere(ingress.cidr) ? reach(ingress) : undefined;
        if (!opened) return [];
        const ports = ADMIN_PORTS.filter((p) => (opened.protocol === 'all' || p.protocols.includes(opened.protocol)) && opened.from <= p.port && p.port <= opened.to);
        return violation(ports.length > 0, ingress.attribute, `${ingress.cidr} reaches ${ports.map((p) => `${p.port} (${p.name})`).join(' and ')} through ${describeReach(opened)}`);
      }),
    ),
});

const SG_ALL_PORTS = rule({
  id: 'AWS-SG-ALL-PORTS-OPEN',
  severity: 'error',
  title: 'No security group opens every port to the internet',
  explanation:
    'An ingress rule for protocol `-1`, or for TCP or UDP ports 0 to 65535, from `0.0.0.0/0` or `::/0` exposes every service on the instances, including ones never meant to be public. Open only the ports that serve (`from_port`/`to_port` and `protocol` of the rule), or admit another security group (`referenced_security_group_id`, `security_groups`) instead of the internet.',
  controls: ['CKV_AWS_277'],
  types: SG_TYPES,
  check: (r) =>
    unique(
      ingressRules(r).flatMap((ingress) => {
        const opened = isAnywhere(ingress.cidr) ? reach(ingress) : undefined;
        return violation(opened !== undefined && opened.from <= 1 && opened.to >= 65535, ingress.attribute, `${ingress.cidr} reaches ${opened ? describeReach(opened) : ''}`);
      }),
    ),
});

const EC2_IMDSV2 = rule({
  id: 'AWS-EC2-IMDSV2',
  severity: 'error',
  title: 'Instances require IMDSv2',
  explanation:
    'With IMDSv1 allowed, a server-side request forgery in the app can read the instance role\'s credentials from the metadata service with a plain GET. Set `metadata_options { http_tokens = "required" }` on the launch template or instance (cdktf `metadataOptions.httpTokens`); leaving it out means `optional`.',
  controls: ['CKV_AWS_79', 'CIS AWS 3.0.0 5.6'],
  types: ['aws_launch_template', 'aws_instance', 'aws_launch_configuration'],
  check: (r) => {
    const options = one(r.config, 'metadata_options');
    if (literal(options?.http_endpoint) === 'disabled') return [];
    const tokens = options?.http_tokens;
    if (isExpression(tokens) || tokens === 'required') return [];
    return violation(true, 'metadata_options.http_tokens', `${absent(tokens) ? 'absent (optional by default)' : String(tokens)}: IMDSv1 answers without a session token, so an SSRF can read the instance role's credentials`);
  },
});

/** The EBS volumes a launch template, instance, launch configuration or volume declares, with their argument. */
function ebsVolumes(r: ModelResource): { readonly attribute: string; readonly name: string; readonly encrypted: unknown; readonly fromSnapshot: boolean; readonly declared: boolean }[] {
  const c = r.config;
  switch (r.type) {
    case 'aws_ebs_volume':
      return [{ attribute: 'encrypted', name: 'the volume', encrypted: c.encrypted, fromSnapshot: !absent(c.snapshot_id), declared: true }];
    case 'aws_launch_template': {
      const volumes = nestedBlocks(c, 'block_device_mappings').flatMap((b) => {
        const ebs = one(b, 'ebs');
        return ebs ? [{ attribute: 'block_device_mappings.ebs.encrypted', name: `${String(b.device_name ?? 'a device')}`, encrypted: ebs.encrypted, fromSnapshot: !absent(ebs.snapshot_id), declared: true }] : [];
      });
      // No EBS mapping at all: the root volume is the image's, as for an instance without root_block_device.
      return volumes.length > 0 ? volumes : [{ attribute: 'block_device_mappings', name: 'the root volume', encrypted: undefined, fromSnapshot: false, declared: false }];
    }
    default: {
      const root = one(c, 'root_block_device');
      // An instance launched from a template without its own root_block_device gets the template's: judged there.
      const fromTemplate = r.type === 'aws_instance' && root === undefined && nestedBlocks(c, 'launch_template').length > 0;
      return [
        ...(fromTemplate ? [] : [{ attribute: 'root_block_device.encrypted', name: 'the root volume', encrypted: root?.encrypted, fromSnapshot: false, declared: root !== undefined }]),
        ...nestedBlocks(c, 'ebs_block_device').map((b) => ({ attribute: 'ebs_block_device.encrypted', name: String(b.device_name ?? 'a device'), encrypted: b.encrypted, fromSnapshot: !absent(b.snapshot_id), declared: true })),
      ];
    }
  }
}

const EBS_ENCRYPTION = rule({
  id: 'AWS-EBS-ENCRYPTION',
  severity: 'error',
  title: 'EBS volumes are encrypted',
  explanation:
    'An unencrypted volume, and every snapshot of it, holds the server\'s disk in clear on AWS storage. Set `encrypted = true` on `aws_ebs_volume`, in `ebs` of the launch template\'s `block_device_mappings` (cdktf `blockDeviceMappings[].ebs.encrypted: "true"`, what `ServerGroup` does) and in `root_block_device`/`ebs_block_device` of an instance, or turn on `aws_ebs_encryption_by_default` for the account and region. A launch template without an EBS mapping, like an instance without `root_block_device`, is reported as absent: its root volume is the image\'s, encrypted only if the image\'s snapshot is or the account encrypts by default, which an account setting made outside the stack does and the synth cannot see (then suppress the rule with that reason).',
  controls: ['CKV_AWS_3', 'CKV_AWS_8', 'CIS AWS 3.0.0 2.2.1'],
  types: ['aws_launch_template', 'aws_instance', 'aws_launch_configuration', 'aws_ebs_volume'],
  check: (r, stack) => {
    if (stack.ofType('aws_ebs_encryption_by_default').some((d) => flag(d.config.enabled) !== false)) return [];
    return unique(
      ebsVolumes(r).flatMap((v) =>
        violation(!v.fromSnapshot && flag(v.encrypted) !== true && !isExpression(v.encrypted), v.attribute, v.declared ? `${notTrue(v.encrypted)} for ${v.name}: it is stored unencrypted unless the account encrypts EBS by default` : `absent: ${v.name} is created from the image unencrypted unless the account encrypts EBS by default`),
      ),
    );
  },
});

const EC2_PUBLIC_IP = rule({
  id: 'AWS-EC2-PUBLIC-IP',
  severity: 'warning',
  title: 'Instances get no public IP address',
  explanation:
    'An instance with a public address is reachable from the internet wherever its security groups allow, and it bypasses the load balancer and the NAT gateway. Run instances in private subnets with `associate_public_ip_address = false` (in `network_interfaces` of a launch template) and publish them through a load balancer.',
  controls: ['CKV_AWS_88'],
  types: ['aws_launch_template', 'aws_instance', 'aws_launch_configuration'],
  check: (r) => {
    if (r.type === 'aws_launch_template') {
      return unique(nestedBlocks(r.config, 'network_interfaces').flatMap((n) => violation(flag(n.associate_public_ip_address) === true, 'network_interfaces.associate_public_ip_address', 'true: instances get a public address')));
    }
    return violation(flag(r.config.associate_public_ip_address) === true, 'associate_public_ip_address', 'true: the instance gets a public address');
  },
});

const VPC_SUBNET_PUBLIC_IP = rule({
  id: 'AWS-VPC-SUBNET-PUBLIC-IP',
  severity: 'warning',
  title: 'Subnets do not give instances public addresses by default',
  explanation:
    'With `map_public_ip_on_launch = true` every instance launched in the subnet gets a public address unless it asks not to. Leave it false (the default; cdktf `mapPublicIpOnLaunch: false`) and give public addresses only to what needs one: load balancers and NAT gateways get theirs without it.',
  controls: ['CKV_AWS_130'],
  types: ['aws_subnet'],
  check: (r) => violation(flag(r.config.map_public_ip_on_launch) === true, 'map_public_ip_on_launch', 'true: every instance launched here gets a public address'),
});

const ALB_HTTPS_REDIRECT = rule({
  id: 'AWS-ALB-HTTPS-REDIRECT',
  severity: 'error',
  title: 'HTTP listeners redirect to HTTPS',
  explanation:
    'An HTTP listener that forwards requests serves the app, its cookies and tokens in clear text. Make the listener\'s `default_action` a `redirect` with `protocol = "HTTPS"` (and `status_code = "HTTP_301"`), or a `fixed-response` (such as a 403) that serves nothing, and attach forwarding rules to the HTTPS listener only.',
  controls: ['CKV_AWS_2', 'CKV2_AWS_20'],
  types: ['aws_lb_listener', 'aws_alb_listener'],
  check: (r, stack) => {
    if (listenerProtocol(r, stack) !== 'HTTP') return [];
    const actions = nestedBlocks(r.config, 'default_action');
    if (actions.some((a) => isExpression(a.type))) return [];
    // Redirected to HTTPS, or answered with a fixed response: nothing of the app is served over HTTP.
    const servesNothing = (a: Config) => a.type === 'fixed-response' || (a.type === 'redirect' && (literal(one(a, 'redirect')?.protocol) === 'HTTPS' || isExpression(one(a, 'redirect')?.protocol)));
    const forwardingRules = [...stack.referrers(r, 'aws_lb_listener_rule', 'listener_arn'), ...stack.referrers(r, 'aws_alb_listener_rule', 'listener_arn')].filter((rule) =>
      nestedBlocks(rule.config, 'action').some((a) => !isExpression(a.type) && a.type !== 'redirect' && a.type !== 'fixed-response'),
    );
    return [
      ...violation(actions.length === 0 || !actions.every(servesNothing), 'default_action', `${actions.map((a) => String(a.type)).join(', ') || 'none'}: plain HTTP is served, not redirected to HTTPS`),
      ...forwardingRules.map((rule) => ({ attribute: 'default_action', problem: `${rule.address} forwards plain HTTP requests from this listener` })),
    ];
  },
});

const ALB_TLS_POLICY = rule({
  id: 'AWS-ALB-TLS-POLICY',
  severity: 'error',
  title: 'HTTPS and TLS listeners accept TLS 1.2 and newer only',
  explanation:
    'Older security policies, and the provider\'s default `ELBSecurityPolicy-2016-08`, still accept TLS 1.0 and 1.1 and weak ciphers. Set `ssl_policy` (cdktf `sslPolicy`) to `ELBSecurityPolicy-TLS13-1-2-2021-06` (what `AppLoadBalancer` uses) or another TLS 1.2+ policy: `ELBSecurityPolicy-TLS13-1-2-*`, `ELBSecurityPolicy-TLS13-1-3-*`, `ELBSecurityPolicy-TLS-1-2-*`, `ELBSecurityPolicy-FS-1-2-*`.',
  controls: ['CKV_AWS_103'],
  types: ['aws_lb_listener', 'aws_alb_listener'],
  check: (r, stack) => {
    const protocol = listenerProtocol(r, stack);
    if (protocol !== 'HTTPS' && protocol !== 'TLS') return [];
    const policy = r.config.ssl_policy;
    if (isExpression(policy)) return [];
    if (absent(policy)) return violation(true, 'ssl_policy', 'absent: AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1');
    return violation(!STRONG_SSL_POLICY.test(String(policy)), 'ssl_policy', `${String(policy)}: accepts TLS versions below 1.2`);
  },
});

const isApplicationLb = (r: ModelResource): boolean => lbType(r) === 'application';

const ALB_DROP_INVALID_HEADERS = rule({
  id: 'AWS-ALB-DROP-INVALID-HEADERS',
  severity: 'warning',
  title: 'Application load balancers drop invalid header fields',
  explanation:
    'Header names with invalid characters pass through to the servers unless dropped, which opens the way to request smuggling and header injection against them. Set `drop_invalid_header_fields = true` on the `aws_lb` (cdktf `dropInvalidHeaderFields`, what `AppLoadBalancer` does).',
  controls: ['CKV_AWS_131'],
  types: ['aws_lb', 'aws_alb'],
  check: (r) => {
    const v = r.config.drop_invalid_header_fields;
    return violation(isApplicationLb(r) && flag(v) !== true && !isExpression(v), 'drop_invalid_header_fields', `${notTrue(v)}: invalid header fields reach the servers`);
  },
});

const ALB_ACCESS_LOGS = rule({
  id: 'AWS-ALB-ACCESS-LOGS',
  severity: 'warning',
  title: 'Load balancers write access logs',
  explanation:
    'Without access logs there is no record of the requests the load balancer received: who called, what was refused, what failed. Add `access_logs { bucket = ..., enabled = true }` to the `aws_lb` (cdktf `accessLogs`), with a bucket whose policy lets the region\'s Elastic Load Balancing write to it.',
  controls: ['CKV_AWS_91'],
  types: ['aws_lb', 'aws_alb'],
  check: (r) => {
    const logs = one(r.config, 'access_logs');
    const enabled = logs?.enabled;
    if (isExpression(enabled) || lbType(r) === 'gateway') return [];
    return violation(flag(enabled) !== true, logs ? 'access_logs.enabled' : 'access_logs', logs ? `${notTrue(enabled)}: requests are not logged` : 'absent: requests are not logged');
  },
});

const ALB_DELETION_PROTECTION = rule({
  id: 'AWS-ALB-DELETION-PROTECTION',
  severity: 'warning',
  title: 'Production load balancers have deletion protection',
  explanation:
    'Deleting a production load balancer takes every host it serves offline until it is re-created and DNS follows. Set `enable_deletion_protection = true` on the `aws_lb` (cdktf `enableDeletionProtection`, `AppLoadBalancerProps.deletionProtection`), and turn it off in a separate apply when it really is to go.',
  controls: ['CKV_AWS_150'],
  types: ['aws_lb', 'aws_alb'],
  check: (r) => {
    const v = r.config.enable_deletion_protection;
    return violation(isProduction(r) && flag(v) !== true && !isExpression(v), 'enable_deletion_protection', `${notTrue(v)}: a destroy or a replacement takes production offline`);
  },
});

const CLOUDFRONT_HTTPS = rule({
  id: 'AWS-CLOUDFRONT-HTTPS',
  severity: 'error',
  title: 'CloudFront serves viewers over HTTPS only',
  explanation:
    'With `viewer_protocol_policy = "allow-all"` viewers may fetch over plain HTTP, where content and cookies can be read and changed on the way. Set it to `redirect-to-https` (or `https-only`) in `default_cache_behavior` and every `ordered_cache_behavior` (cdktf `viewerProtocolPolicy`).',
  controls: ['CKV_AWS_34'],
  types: ['aws_cloudfront_distribution'],
  check: (r) => [
    ...violation(one(r.config, 'default_cache_behavior')?.viewer_protocol_policy === 'allow-all', 'default_cache_behavior.viewer_protocol_policy', 'allow-all: viewers may use plain HTTP'),
    ...nestedBlocks(r.config, 'ordered_cache_behavior').flatMap((b) => violation(b.viewer_protocol_policy === 'allow-all', 'ordered_cache_behavior.viewer_protocol_policy', `allow-all for ${String(b.path_pattern)}: viewers may use plain HTTP`)),
  ],
});

/** CloudFront minimum protocol versions of TLS 1.2 with the 2021 ciphers or newer. */
function strongViewerTls(version: string): boolean {
  const m = /^TLSv1\.([23])_(\d{4})$/.exec(version);
  return m !== null && (m[1] === '3' || Number(m[2]) >= 2021);
}

const CLOUDFRONT_TLS = rule({
  id: 'AWS-CLOUDFRONT-TLS',
  severity: 'error',
  title: 'CloudFront accepts TLS 1.2 (2021 ciphers) and newer only',
  explanation:
    'A `minimum_protocol_version` below `TLSv1.2_2021` (the provider\'s default is `TLSv1`) lets viewers negotiate TLS 1.0, 1.1 or weak ciphers. Serve the distribution with an ACM certificate (`viewer_certificate.acm_certificate_arn`, `ssl_support_method = "sni-only"`) and `minimum_protocol_version = "TLSv1.2_2021"` or newer; the default `*.cloudfront.net` certificate (`cloudfront_default_certificate = true`) cannot be given a minimum version and always accepts TLS 1.0.',
  controls: ['CKV_AWS_174', 'CKV2_AWS_42'],
  types: ['aws_cloudfront_distribution'],
  check: (r) => {
    const cert = one(r.config, 'viewer_certificate');
    if (!cert) return violation(true, 'viewer_certificate', 'absent: the default certificate accepts TLS 1.0');
    if (flag(cert.cloudfront_default_certificate) === true) {
      return violation(true, 'viewer_certificate.cloudfront_default_certificate', 'true: the *.cloudfront.net certificate accepts TLS 1.0 and takes no minimum protocol version; use an ACM certificate with minimum_protocol_version TLSv1.2_2021');
    }
    const version = cert.minimum_protocol_version;
    if (isExpression(version)) return [];
    return violation(absent(version) || !strongViewerTls(String(version)), 'viewer_certificate.minimum_protocol_version', `${absent(version) ? 'absent (TLSv1 by default)' : String(version)}: viewers may negotiate TLS below 1.2 or weak ciphers`);
  },
});

const CLOUDFRONT_LOGGING = rule({
  id: 'AWS-CLOUDFRONT-LOGGING',
  severity: 'warning',
  title: 'CloudFront distributions log their requests',
  explanation:
    'Without access logs there is no record of who fetched what through the distribution. Add `logging_config { bucket = ... }` (standard logging to S3) or a CloudWatch log delivery (`aws_cloudwatch_log_delivery_source` with the distribution\'s ARN as `resource_arn`).',
  controls: ['CKV_AWS_86'],
  types: ['aws_cloudfront_distribution'],
  check: (r, stack) => {
    if (one(r.config, 'logging_config') || stack.referrers(r, 'aws_cloudwatch_log_delivery_source').length > 0) return [];
    return violation(true, 'logging_config', 'absent: requests are not logged');
  },
});

const ELASTICACHE_TRANSIT_ENCRYPTION = rule({
  id: 'AWS-ELASTICACHE-TRANSIT-ENCRYPTION',
  severity: 'error',
  title: 'ElastiCache encrypts connections',
  explanation:
    'Without in-transit encryption, cached data and any AUTH token cross the network in clear text (the provider\'s default is false). Set `transit_encryption_enabled = true` on the `aws_elasticache_replication_group` (cdktf `transitEncryptionEnabled`, what `RedisCache` does) with `transit_encryption_mode = "required"`, and connect with TLS (`SERVERPOD_REDIS_REQUIRE_SSL=true`).',
  controls: ['CKV_AWS_30'],
  types: ['aws_elasticache_replication_group'],
  check: (r) => {
    const enabled = r.config.transit_encryption_enabled;
    if (isExpression(enabled)) return [];
    if (flag(enabled) !== true) return violation(true, 'transit_encryption_enabled', `${notTrue(enabled)}: clients connect without TLS`);
    return violation(literal(r.config.transit_encryption_mode) === 'preferred', 'transit_encryption_mode', 'preferred: clients may still connect without TLS');
  },
});

const ELASTICACHE_AT_REST_ENCRYPTION = rule({
  id: 'AWS-ELASTICACHE-AT-REST-ENCRYPTION',
  severity: 'error',
  title: 'ElastiCache encrypts data at rest',
  explanation:
    'For the redis engine the provider leaves `at_rest_encryption_enabled` false, so swap files, backups and snapshots are stored unencrypted. Set `at_rest_encryption_enabled = true` (cdktf `atRestEncryptionEnabled: "true"`); it can only be set when the replication group is created.',
  controls: ['CKV_AWS_29'],
  types: ['aws_elasticache_replication_group'],
  check: (r) => {
    const v = r.config.at_rest_encryption_enabled;
    if (isExpression(v) || (absent(v) && literal(r.config.engine) === 'valkey')) return [];
    return violation(flag(v) !== true, 'at_rest_encryption_enabled', `${notTrue(v)}: backups and snapshots of the cache are unencrypted`);
  },
});

const ELASTICACHE_AUTH = rule({
  id: 'AWS-ELASTICACHE-AUTH',
  severity: 'warning',
  title: 'ElastiCache requires clients to authenticate',
  explanation:
    'Without an AUTH token or RBAC users, anything that reaches the port (a compromised instance in an allowed security group) reads and writes every key. Set `auth_token` (with transit encryption) or `user_group_ids` for RBAC on the `aws_elasticache_replication_group`, keeping the token in Secrets Manager.',
  controls: ['CKV_AWS_31'],
  types: ['aws_elasticache_replication_group'],
  check: (r) => {
    const token = r.config.auth_token;
    const groups = r.config.user_group_ids;
    const hasGroups = isExpression(groups) || (Array.isArray(groups) && groups.length > 0);
    return violation((absent(token) || token === '') && !hasGroups, 'auth_token', 'absent, and no user_group_ids: any client that reaches the port may read and write every key');
  },
});

const IAM_WILDCARD_ACTION = rule({
  id: 'AWS-IAM-WILDCARD-ACTION',
  severity: 'error',
  title: 'IAM policies do not allow every action of a service',
  explanation:
    'An Allow of `"*"` or `"<service>:*"` (or an Allow with `NotAction`) grants actions nobody reviewed, often including ones that escalate privileges or delete data. List the actions the principal needs in `Action` of the policy document (`policy` of `aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy`).',
  controls: ['CKV_AWS_62', 'CKV_AWS_63', 'CIS AWS 3.0.0 1.16'],
  types: IAM_POLICY_TYPES,
  check: (r, stack) =>
    identityPolicies(r).flatMap(({ attribute, value }) =>
      (statementsOf(value, stack) ?? []).flatMap((s, i) => {
        if (!isAllow(s)) return [];
        const wildcards = elements(s.Action).filter(isActionWildcard);
        return [
          ...violation(wildcards.length > 0, attribute, `${statementName(s, i)} allows ${wildcards.map((a) => `"${a}"`).join(', ')}${wildcards.includes('*') ? ': every action of every service' : ': every action of the service'}`),
          ...violation(s.NotAction !== undefined, attribute, `${statementName(s, i)} allows every action except its NotAction`),
        ];
      }),
    ),
});

const IAM_WILDCARD_RESOURCE = rule({
  id: 'AWS-IAM-WILDCARD-RESOURCE',
  severity: 'warning',
  title: 'IAM policies scope actions to resources',
  explanation:
    'An Allow on `Resource: "*"`, or with `NotResource` (every resource but those listed), reaches every resource of its kind in the account, today\'s and tomorrow\'s, for actions that could be limited to a few ARNs. Name the ARNs in `Resource`; actions that take no resource (such as `ecr:GetAuthorizationToken`, `ssmmessages:*`, `ec2:Describe*`) are exempt.',
  controls: ['CKV_AWS_355'],
  types: IAM_POLICY_TYPES,
  check: (r, stack) =>
    identityPolicies(r).flatMap(({ attribute, value }) =>
      (statementsOf(value, stack) ?? []).flatMap((s, i) => {
        const notResource = s.NotResource !== undefined && s.NotResource !== null;
        if (!isAllow(s) || (!elements(s.Resource).includes('*') && !notResource)) return [];
        if (s.NotAction !== undefined) return violation(true, attribute, `${statementName(s, i)} allows every action but its NotAction on ${notResource ? 'every resource but its NotResource' : 'every resource ("*")'}`);
        const scoped = elements(s.Action).filter((a) => !isExpression(a) && !isResourceless(a));
        return violation(scoped.length > 0, attribute, `${statementName(s, i)} allows ${scoped.join(', ')} on ${notResource ? 'every resource but its NotResource' : 'every resource ("*")'}`);
      }),
    ),
});

/**
 * IAM and STS actions that let the holder give itself, or a resource it controls, more permissions: pass a role to a
 * service, edit or attach policies, mint credentials for another user, assume roles. Lowercase.
 */
const ESCALATION_ACTIONS = [
  'iam:PassRole',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPermissionsBoundary',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:AddUserToGroup',
  'iam:UpdateAssumeRolePolicy',
  'sts:AssumeRole',
];

/** The actions of `candidates` an action pattern of a policy (`iam:Pass*`, `iam:*Role*`, `iam:PassRole`) matches. */
function matchingActions(pattern: string, candidates: readonly string[]): string[] {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`, 'i');
  return candidates.filter((c) => re.test(c));
}

/** Every resource, or every IAM role, user, group or policy of an account (`arn:aws:iam::123456789012:role/*`). */
const isBroadIamResource = (resource: string): boolean => resource === '*' || /^arn:[^:]*:(iam|sts)::[^:]*:(\*|(role|user|group|policy)\/\*)$/i.test(resource);

/** Whether a statement only applies when the created or changed identity gets a given permissions boundary. */
function requiresBoundary(s: PolicyStatement): boolean {
  if (s.Condition === null || typeof s.Condition !== 'object') return false;
  return Object.entries(s.Condition).some(([operator, byKey]) => isPositiveOperator(operator) && byKey !== null && typeof byKey === 'object' && Object.keys(byKey).some((k) => k.toLowerCase() === 'iam:permissionsboundary'));
}

const IAM_PRIVILEGE_ESCALATION = rule({
  id: 'AWS-IAM-PRIVILEGE-ESCALATION',
  severity: 'error',
  title: 'IAM policies grant no privilege-escalation actions on every resource',
  explanation:
    'An Allow of `iam:PassRole`, `iam:Put*Policy`, `iam:Attach*Policy`, `iam:CreatePolicyVersion`, `iam:CreateAccessKey`, `sts:AssumeRole` and the like on `Resource: "*"` (or every role or user of the account, or with `NotResource`) lets the holder hand itself any permission, through an administrator\'s role or a policy it writes; a pattern such as `iam:Pass*`, `iam:Create*` or `iam:*Role*` counts when it matches one. Name the roles, users or policies in `Resource` (for `iam:PassRole`, the one role the service needs, with an `iam:PassedToService` condition), or require a permissions boundary with an `iam:PermissionsBoundary` condition. Whole-service wildcards (`iam:*`, `*`) are reported by AWS-IAM-WILDCARD-ACTION instead.',
  controls: ['CKV_AWS_286', 'CKV_AWS_287', 'CKV_AWS_289'],
  types: IAM_POLICY_TYPES,
  check: (r, stack) =>
    identityPolicies(r).flatMap(({ attribute, value }) =>
      (statementsOf(value, stack) ?? []).flatMap((s, i) => {
        const notResource = s.NotResource !== undefined && s.NotResource !== null;
        if (!isAllow(s) || s.NotAction !== undefined || requiresBoundary(s)) return [];
        if (!notResource && !elements(s.Resource).some((x) => !isExpression(x) && isBroadIamResource(x))) return [];
        const found = elements(s.Action)
          .filter((a) => !isExpression(a) && !isActionWildcard(a))
          .map((a) => ({ action: a, matches: matchingActions(a, ESCALATION_ACTIONS) }))
          .filter((m) => m.matches.length > 0);
        const described = found.map((m) => (m.matches.length === 1 && m.matches[0].toLowerCase() === m.action.toLowerCase() ? m.action : `${m.action} (${m.matches.join(', ')})`));
        return violation(found.length > 0, attribute, `${statementName(s, i)} allows ${described.join(', ')} on ${notResource ? 'every resource but its NotResource' : 'every resource, role or user'}: the holder can give itself any permission`);
      }),
    ),
});

/** AWS managed policies that make their holder an administrator, or nearly one. */
const ADMIN_MANAGED_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'];

/** The administrator managed policy an ARN argument names (literally, with any partition, or by `data.aws_iam_policy`). */
function adminPolicy(value: unknown, stack: StackModel): string | undefined {
  if (typeof value !== 'string') return undefined;
  const arn = /^arn:(?:aws[a-z-]*|\$\{[^}]+\}):iam::aws:policy\/([A-Za-z]+)$/.exec(value.trim());
  if (arn) return ADMIN_MANAGED_POLICIES.find((p) => p === arn[1]);
  const data = /^\$\{data\.aws_iam_policy\.([A-Za-z0-9_-]+)\.arn\}$/.exec(value.trim());
  const source = data ? stack.json.data?.aws_iam_policy?.[data[1]] : undefined;
  if (!source) return undefined;
  if (literal(source.arn)) return adminPolicy(source.arn, stack);
  return ADMIN_MANAGED_POLICIES.find((p) => p === literal(source.name));
}

const IAM_ADMIN_POLICY = rule({
  id: 'AWS-IAM-ADMIN-POLICY',
  severity: 'error',
  title: 'No role, user or group is given an administrator managed policy',
  explanation:
    'Attaching the AWS managed `AdministratorAccess`, `PowerUserAccess` or `IAMFullAccess` policy gives every action on every resource (`IAMFullAccess` gets there by editing IAM), so whoever gets hold of the role, user or group owns the account. Attach a policy listing the actions and resources the workload needs instead, in `policy_arn` of `aws_iam_role_policy_attachment`, `aws_iam_user_policy_attachment`, `aws_iam_group_policy_attachment` or `aws_iam_policy_attachment`, or in `managed_policy_arns` of `aws_iam_role`.',
  controls: ['CKV_AWS_274', 'CIS AWS 3.0.0 1.16'],
  types: [
    'aws_iam_role_policy_attachment',
    'aws_iam_user_policy_attachment',
    'aws_iam_group_policy_attachment',
    'aws_iam_policy_attachment',
    'aws_iam_role',
    'aws_iam_role_policy_attachments_exclusive',
    'aws_iam_user_policy_attachments_exclusive',
    'aws_iam_group_policy_attachments_exclusive',
  ],
  check: (r, stack) => {
    const attribute = r.type === 'aws_iam_role' ? 'managed_policy_arns' : r.type.endsWith('_exclusive') ? 'policy_arns' : 'policy_arn';
    const arns = Array.isArray(r.config[attribute]) ? (r.config[attribute] as unknown[]) : [r.config[attribute]];
    return unique(arns.flatMap((arn) => {
      const name = adminPolicy(arn, stack);
      return violation(name !== undefined, attribute, `${name} attached: ${name === 'IAMFullAccess' ? 'the holder can grant itself any permission' : 'the holder may do nearly anything in the account'}`);
    }));
  },
});

const IAM_USER_POLICY = rule({
  id: 'AWS-IAM-USER-POLICY',
  severity: 'warning',
  title: 'IAM users get no policies of their own',
  explanation:
    'Policies attached to IAM users directly are hard to review and tend to outlive the need; an IAM user usually also means long-lived keys. Give workloads roles (an instance profile, OIDC federation), and people permissions through groups or IAM Identity Center, instead of `aws_iam_user_policy` or `aws_iam_user_policy_attachment`.',
  controls: ['CKV_AWS_40', 'CIS AWS 3.0.0 1.15'],
  types: ['aws_iam_user_policy', 'aws_iam_user_policy_attachment', 'aws_iam_policy_attachment'],
  check: (r) => {
    if (r.type === 'aws_iam_policy_attachment') {
      const users = r.config.users;
      return violation(isExpression(users) || (Array.isArray(users) && users.length > 0), 'users', 'the policy is attached to IAM users directly');
    }
    return violation(true, 'user', 'a policy attached to an IAM user directly');
  },
});

const IAM_ACCESS_KEY = rule({
  id: 'AWS-IAM-ACCESS-KEY',
  severity: 'warning',
  title: 'No long-lived IAM access keys',
  explanation:
    'An `aws_iam_access_key` is a credential that works from anywhere until someone deletes it, and its secret is kept in the Terraform state. Prefer roles with temporary credentials (instance profiles, OIDC); where a client can only sign with a key pair, scope its user to the minimum, keep the secret in Secrets Manager and rotate it.',
  controls: [],
  types: ['aws_iam_access_key'],
  check: () => violation(true, 'user', 'a long-lived access key whose secret is in the Terraform state'),
});

const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
const GITHUB_SUB_KEY = /^token\.actions\.githubusercontent\.com(?:\/[A-Za-z0-9_-]+)?:sub$/i;
const GITHUB_ABUSABLE_CLAIMS = ['workflow', 'environment', 'ref', 'context', 'head_ref', 'base_ref'];

/** Whether a `Federated` principal is GitHub's OIDC provider: its ARN, or a reference to the stack's provider for it. */
function isGitHubFederation(federated: unknown, stack: StackModel): boolean {
  const items = Array.isArray(federated) ? federated : [federated];
  return items.some((f) => {
    if (typeof f !== 'string') return false;
    if (f.includes(`oidc-provider/${GITHUB_OIDC_HOST}`)) return true;
    const provider = stack.referenced(f);
    return provider?.type === 'aws_iam_openid_connect_provider' && (literal(provider.config.url) ?? '').includes(GITHUB_OIDC_HOST);
  });
}

/** What is wrong with a `:sub` condition value (checkov CKV_AWS_358's reading), or undefined when it is safe. */
function unsafeSubject(value: string): string | undefined {
  if (value === '*') return '"*" admits every repository';
  const claims = value.split(':');
  if (claims.length === 1) return `"${value}" names no claim value`;
  if (claims[1] === '*' || claims[1] === '') return `"${value}" admits any ${claims[0]}`;
  if (GITHUB_ABUSABLE_CLAIMS.some((c) => claims[0].startsWith(c))) return `"${value}" starts with the ${claims[0]} claim, which other repositories can match`;
  if (claims[0] === 'repo' && !/^(\$\{)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\})?\/[^/]+/.test(claims[1])) return `"${value}" does not name one owner/repository`;
  return undefined;
}

/** The `:sub` conditions of a statement trusting GitHub Actions: values under positive operators, and the other operators used on it. */
interface GitHubSubjects {
  readonly positive: readonly { readonly operator: string; readonly value: unknown }[];
  readonly negative: readonly string[];
}

/** The `:sub` conditions of an Allow statement that trusts GitHub's OIDC provider; undefined for any other statement. */
function gitHubSubjects(s: PolicyStatement, stack: StackModel): GitHubSubjects | undefined {
  const federated = s.Principal && typeof s.Principal === 'object' ? (s.Principal as Record<string, unknown>).Federated : undefined;
  if (!isAllow(s) || !isGitHubFederation(federated, stack)) return undefined;
  const positive: { operator: string; value: unknown }[] = [];
  const negative: string[] = [];
  if (s.Condition === null || typeof s.Condition !== 'object') return { positive, negative };
  for (const [operator, byKey] of Object.entries(s.Condition)) {
    if (byKey === null || typeof byKey !== 'object') continue;
    for (const [key, value] of Object.entries(byKey)) {
      if (!GITHUB_SUB_KEY.test(key)) continue;
      if (isPositiveOperator(operator)) positive.push(...(Array.isArray(value) ? value : [value]).map((v) => ({ operator, value: v })));
      else negative.push(operator);
    }
  }
  return { positive, negative };
}

const IAM_GITHUB_OIDC_SUBJECT = rule({
  id: 'AWS-IAM-GITHUB-OIDC-SUBJECT',
  severity: 'error',
  title: 'Roles trusting GitHub Actions name the repository',
  explanation:
    'A trust policy for `token.actions.githubusercontent.com` without a `StringEquals` or `StringLike` condition on `token.actions.githubusercontent.com:sub` lets a workflow of any GitHub repository assume the role; a `StringNotEquals`/`StringNotLike` (or `...IfExists`) condition on it only keeps out the repositories it lists. Add `StringLike` (or `StringEquals`) `token.actions.githubusercontent.com:sub` = `repo:<owner>/<repo>:ref:refs/heads/main` (or `:environment:<name>`) to `assume_role_policy`, as `GitHubDeployRole` does.',
  controls: ['CKV_AWS_358', 'CKV_AWS_393'],
  types: ['aws_iam_role'],
  check: (r, stack) =>
    (statementsOf(r.config.assume_role_policy, stack) ?? []).flatMap((s, i) => {
      const subjects = gitHubSubjects(s, stack);
      if (!subjects) return [];
      if (subjects.positive.length === 0) {
        const negated = [...new Set(subjects.negative)];
        return violation(
          true,
          'assume_role_policy',
          negated.length > 0
            ? `${statementName(s, i)} trusts GitHub Actions with only ${negated.join(', ')} on token.actions.githubusercontent.com:sub: every repository it does not list may assume the role`
            : `${statementName(s, i)} trusts GitHub Actions with no token.actions.githubusercontent.com:sub condition: any repository's workflow may assume the role`,
        );
      }
      return unique(subjects.positive.flatMap(({ value: v }) => {
        if (typeof v !== 'string' || isExpression(v)) return [];
        const unsafe = unsafeSubject(v);
        return violation(unsafe !== undefined, 'assume_role_policy', `${statementName(s, i)} trusts GitHub Actions with sub ${unsafe}`);
      }));
    }),
});

/** `repo:<owner>/<pattern>...` where the repository name holds a wildcard: some or all repositories of one owner. */
const ORG_WIDE_SUBJECT = /^repo:[A-Za-z0-9_.-]+\/([^:]*[*?][^:]*)(:|$)/;

const IAM_GITHUB_OIDC_ORG_WIDE = rule({
  id: 'AWS-IAM-GITHUB-OIDC-ORG-WIDE',
  severity: 'warning',
  title: 'Roles trusting GitHub Actions name one repository, not every repository of an owner',
  explanation:
    'A `:sub` pattern such as `repo:my-org/*` (or `repo:my-org/app-*`) lets the workflows of every matching repository of the owner assume the role, including any repository a member creates later, so whoever may create a repository or push a workflow to one gets the role\'s permissions. Name the repository (`repo:my-org/app:ref:refs/heads/main`, `:environment:production`), or keep an owner-wide role to read-only permissions.',
  controls: [],
  types: ['aws_iam_role'],
  check: (r, stack) =>
    (statementsOf(r.config.assume_role_policy, stack) ?? []).flatMap((s, i) =>
      unique((gitHubSubjects(s, stack)?.positive ?? []).flatMap(({ operator, value: v }) => {
        // Only a pattern operator reads `*` as a wildcard; AWS-IAM-GITHUB-OIDC-SUBJECT judges what no repository may match.
        if (typeof v !== 'string' || isExpression(v) || !/like$/i.test(operator) || unsafeSubject(v) !== undefined) return [];
        return violation(ORG_WIDE_SUBJECT.test(v), 'assume_role_policy', `${statementName(s, i)} trusts GitHub Actions with sub "${v}": any repository of the owner matching it may assume the role`);
      })),
    ),
});

const IAM_ROLE_TRUST_PUBLIC = rule({
  id: 'AWS-IAM-ROLE-TRUST-PUBLIC',
  severity: 'error',
  title: 'Role trust policies do not let any AWS principal assume the role',
  explanation:
    'A trust policy (`assume_role_policy`) with an Allow for `Principal` `"*"` or `{"AWS": "*"}`, or with a `NotPrincipal`, lets a principal of any AWS account in the world assume the role and use its permissions, unless a condition ties it to one account or organization. Name the principals (an account or role ARN, `{"Service": "ec2.amazonaws.com"}`, a `Federated` provider), or add `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `aws:PrincipalArn` under `StringEquals` or `ArnLike`.',
  controls: ['CKV_AWS_60'],
  types: ['aws_iam_role'],
  check: (r, stack) =>
    (statementsOf(r.config.assume_role_policy, stack) ?? []).flatMap((s, i) =>
      violation(isAllow(s) && reachesAnyone(s) && !narrows(s.Condition), 'assume_role_policy', `${statementName(s, i)} lets ${whoItReaches(s)} assume the role, with no condition that ties it to an account or organization`),
    ),
});

/** The resource-based policy argument of each resource type the public-policy rule reads. */
const RESOURCE_POLICY_TYPES = [
  'aws_sqs_queue_policy',
  'aws_sqs_queue',
  'aws_sns_topic_policy',
  'aws_sns_topic',
  'aws_kms_key',
  'aws_kms_key_policy',
  'aws_ecr_repository_policy',
  'aws_secretsmanager_secret_policy',
  'aws_secretsmanager_secret',
];

const RESOURCE_POLICY_PUBLIC = rule({
  id: 'AWS-RESOURCE-POLICY-PUBLIC',
  severity: 'error',
  title: 'Queues, topics, keys, repositories, secrets and functions are not open to everyone',
  explanation:
    'An Allow for `Principal` `"*"` (or `{"AWS": "*"}`, or with a `NotPrincipal`) in the `policy` of an SQS queue, SNS topic, KMS key, ECR repository or Secrets Manager secret, or an `aws_lambda_permission` with `principal = "*"`, lets any AWS account, or anyone on the internet, use it unless a condition ties it to one source. Name the principal (an account or role ARN, a service such as `{"Service": "events.amazonaws.com"}`), or add a condition such as `aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID` or `kms:CallerAccount` under `StringEquals` or `ArnLike` (for a Lambda permission, `source_arn`, `source_account` or `principal_org_id`).',
  controls: ['CKV_AWS_168', 'CKV_AWS_169', 'CKV_AWS_33', 'CKV_AWS_32', 'CKV_AWS_301'],
  types: [...RESOURCE_POLICY_TYPES, 'aws_lambda_permission'],
  check: (r, stack) => {
    const c = r.config;
    if (r.type === 'aws_lambda_permission') {
      const tied = ['source_arn', 'source_account', 'principal_org_id'].some((k) => !absent(c[k]) && c[k] !== '' && c[k] !== '*');
      return violation(literal(c.principal) === '*' && !tied, 'principal', `"*": anyone may ${literal(c.action) ?? 'invoke the function'}${literal(c.function_url_auth_type) === 'NONE' ? ' through its public function URL' : ''}, with no source_arn, source_account or principal_org_id`);
    }
    return (statementsOf(c.policy, stack) ?? []).flatMap((s, i) =>
      violation(isAllow(s) && reachesAnyone(s) && !narrows(s.Condition), 'policy', `${statementName(s, i)} allows ${actionsOf(s)} to ${whoItReaches(s)} with no condition that ties it to a source, account or organization`),
    );
  },
});

const ECR_SCAN_ON_PUSH = rule({
  id: 'AWS-ECR-SCAN-ON-PUSH',
  severity: 'warning',
  title: 'ECR repositories scan images on push',
  explanation:
    'Without scanning, images with known vulnerabilities are pushed and run without anyone being told. Set `image_scanning_configuration { scan_on_push = true }` on the `aws_ecr_repository` (cdktf `imageScanningConfiguration`, what `ContainerRepository` does), or enhanced scanning for the registry (`aws_ecr_registry_scanning_configuration`).',
  controls: ['CKV_AWS_163'],
  types: ['aws_ecr_repository'],
  check: (r, stack) => {
    if (stack.ofType('aws_ecr_registry_scanning_configuration').length > 0) return [];
    const v = one(r.config, 'image_scanning_configuration')?.scan_on_push;
    return violation(flag(v) !== true && !isExpression(v), 'image_scanning_configuration.scan_on_push', `${notTrue(v)}: pushed images are not scanned for known vulnerabilities`);
  },
});

const ECR_TAG_IMMUTABLE = rule({
  id: 'AWS-ECR-TAG-IMMUTABLE',
  severity: 'warning',
  title: 'ECR image tags are immutable',
  explanation:
    'A mutable tag can be moved to another image, so what a tag ran yesterday is not what it runs today, and a push with the registry\'s credentials can replace a production image. Set `image_tag_mutability = "IMMUTABLE"` (cdktf `imageTagMutability`, `ContainerRepositoryProps.mutableTags: false`) and deploy by version tag or digest.',
  controls: ['CKV_AWS_51'],
  types: ['aws_ecr_repository'],
  check: (r) => {
    const v = r.config.image_tag_mutability;
    if (isExpression(v)) return [];
    return violation(absent(v) || String(v).startsWith('MUTABLE'), 'image_tag_mutability', `${absent(v) ? 'absent (MUTABLE by default)' : String(v)}: a tag can be moved to another image`);
  },
});

const LOGS_RETENTION = rule({
  id: 'AWS-LOGS-RETENTION',
  severity: 'warning',
  title: 'CloudWatch log groups have a retention period',
  explanation:
    'A log group without `retention_in_days` keeps every event forever: the cost grows without bound and personal data in logs is never deleted. Set `retention_in_days` (cdktf `retentionInDays`) to how long the logs are needed, such as 30, 90 or 365.',
  controls: ['CKV_AWS_66'],
  types: ['aws_cloudwatch_log_group'],
  check: (r) => {
    const v = r.config.retention_in_days;
    return violation(absent(v) || whole(v) === 0, 'retention_in_days', `${absent(v) ? 'absent' : '0'}: events are kept forever`);
  },
});

const VPC_FLOW_LOGS = rule({
  id: 'AWS-VPC-FLOW-LOGS',
  severity: 'warning',
  title: 'VPCs record flow logs',
  explanation:
    'Without flow logs there is no record of the connections made in and out of the VPC, which an investigation of a compromised instance needs. Add an `aws_flow_log` with `vpc_id` set to the VPC (cdktf `FlowLog`), sending at least rejected traffic to CloudWatch Logs or S3.',
  controls: ['CKV2_AWS_11', 'CIS AWS 3.0.0 3.7'],
  types: ['aws_vpc'],
  check: (r, stack) => violation(stack.referrers(r, 'aws_flow_log').length === 0, 'aws_flow_log', 'none refers to the VPC: its traffic is not recorded'),
});

const SECRET_LITERAL = rule({
  id: 'AWS-SECRET-LITERAL',
  severity: 'warning',
  title: 'Secret values are not written into the configuration',
  explanation:
    'A literal `secret_string` of `aws_secretsmanager_secret_version`, or `value` of a SecureString `aws_ssm_parameter`, is in the source, the synthesized JSON and the Terraform state, so everyone who reads any of them has the secret. Create the secret empty and put its value out of band (`aws secretsmanager put-secret-value`), generate it at apply (`random_password`, `manage_master_user_password`), or pass a reference to another resource.',
  controls: [],
  types: ['aws_secretsmanager_secret_version', 'aws_ssm_parameter'],
  check: (r) => {
    const c = r.config;
    const keys = r.type === 'aws_ssm_parameter' ? (literal(c.type) === 'SecureString' ? ['value', 'value_wo'] : []) : ['secret_string', 'secret_string_wo', 'secret_binary'];
    return keys.flatMap((k) => violation(literal(c[k]) !== undefined && literal(c[k]) !== '', k, 'a literal value: the secret is in the source, the synthesized JSON and the state'));
  },
});

/** The variables a workload sets to literal secrets: each as its own argument (`user_data.DATABASE_URL`), with why. */
function literalSecretVariables(r: ModelResource, stack: StackModel): RuleViolation[] {
  const c = r.config;
  const each = (prefix: string, found: Iterable<[string, string | undefined]>) =>
    [...found].flatMap(([name, problem]) => (problem ? [{ attribute: `${prefix}.${name}`, problem }] : []));
  switch (r.type) {
    case 'aws_launch_template':
    case 'aws_instance':
    case 'aws_launch_configuration': {
      const plain = r.type === 'aws_launch_template' ? undefined : userDataText(c.user_data, stack, false);
      const encoded = userDataText(r.type === 'aws_launch_template' ? c.user_data : c.user_data_base64, stack, true);
      return [
        ...(plain ? each('user_data', literalSecretsInScript(plain)) : []),
        ...(encoded ? each(r.type === 'aws_launch_template' ? 'user_data' : 'user_data_base64', literalSecretsInScript(encoded)) : []),
      ];
    }
    case 'aws_lambda_function': {
      const variables = one(c, 'environment')?.variables;
      if (!variables || typeof variables !== 'object') return [];
      return each('environment.variables', Object.entries(variables as Record<string, unknown>).map(([k, v]) => [k, secretProblem(k, v)]));
    }
    case 'aws_ecs_task_definition': {
      const text = literal(c.container_definitions);
      if (!text) return [];
      let containers: unknown;
      try {
        containers = JSON.parse(text);
      } catch {
        return [];
      }
      const found = (Array.isArray(containers) ? containers : []).flatMap((container) =>
        (Array.isArray(container?.environment) ? container.environment : [])
          .filter((e: { name?: unknown }) => typeof e?.name === 'string')
          .map((e: { name: string; value?: unknown }): [string, string | undefined] => [e.name, secretProblem(e.name, e.value)]),
      );
      return each('container_definitions', found);
    }
    default:
      return [];
  }
}

const SECRET_IN_ENVIRONMENT = rule({
  id: 'AWS-SECRET-IN-ENVIRONMENT',
  severity: 'error',
  title: 'Boot scripts and environments hold no literal secrets',
  explanation:
    'A password, token or key (by the variable\'s name, or a value shaped like a live credential or a URL with `user:password@`) written into user data, a Lambda environment or an ECS container definition is readable by anyone who can describe the resource (user data is only base64), and is kept in the synthesized JSON and the state; paths, ARNs, numbers, public or publishable keys, and settings about a secret (`_ARN`, `_ID`, `_NAME`, `_URL`, `_POLICY`, `_ENDPOINT`, `_MAX_AGE`...) are not reported. Keep the value in Secrets Manager or SSM Parameter Store and fetch it at start (what this package\'s boot scripts do), or use ECS `secrets` / `valueFrom` instead of `environment`. Each finding names the variable (`user_data.DATABASE_URL`), so a suppression can cover that one variable with `attributes`.',
  controls: ['CKV_AWS_46', 'CKV_AWS_45'],
  types: ['aws_launch_template', 'aws_instance', 'aws_launch_configuration', 'aws_lambda_function', 'aws_ecs_task_definition'],
  check: (r, stack) => unique(literalSecretVariables(r, stack)),
});

/** The AWS rules. */
export const AWS_RULES: readonly GuardrailRule[] = [
  RDS_PUBLIC,
  RDS_STORAGE_ENCRYPTION,
  RDS_BACKUPS,
  RDS_DELETION_PROTECTION,
  RDS_FINAL_SNAPSHOT,
  RDS_MULTI_AZ,
  RDS_FORCE_SSL,
  RDS_MINOR_UPGRADES,
  S3_PUBLIC_ACCESS_BLOCK,
  S3_PUBLIC_POLICY,
  S3_PUBLIC_ACL,
  S3_TLS_ONLY,
  S3_VERSIONING,
  S3_ACCESS_LOGS,
  S3_ACLS_ENABLED,
  SG_ADMIN_PORTS,
  SG_ALL_PORTS,
  EC2_IMDSV2,
  EBS_ENCRYPTION,
  EC2_PUBLIC_IP,
  VPC_SUBNET_PUBLIC_IP,
  ALB_HTTPS_REDIRECT,
  ALB_TLS_POLICY,
  ALB_DROP_INVALID_HEADERS,
  ALB_ACCESS_LOGS,
  ALB_DELETION_PROTECTION,
  CLOUDFRONT_HTTPS,
  CLOUDFRONT_TLS,
  CLOUDFRONT_LOGGING,
  ELASTICACHE_TRANSIT_ENCRYPTION,
  ELASTICACHE_AT_REST_ENCRYPTION,
  ELASTICACHE_AUTH,
  IAM_WILDCARD_ACTION,
  IAM_WILDCARD_RESOURCE,
  IAM_PRIVILEGE_ESCALATION,
  IAM_ADMIN_POLICY,
  IAM_USER_POLICY,
  IAM_ACCESS_KEY,
  IAM_GITHUB_OIDC_SUBJECT,
  IAM_GITHUB_OIDC_ORG_WIDE,
  IAM_ROLE_TRUST_PUBLIC,
  RESOURCE_POLICY_PUBLIC,
  ECR_SCAN_ON_PUSH,
  ECR_TAG_IMMUTABLE,
  LOGS_RETENTION,
  VPC_FLOW_LOGS,
  SECRET_LITERAL,
  SECRET_IN_ENVIRONMENT,
];
