import { gzipSync } from 'zlib';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { spawnSync } from 'child_process';
import { Server, createServer } from 'net';
import { shellQuote } from '../lib/app/boot-script';
import { awsBootScript } from '../lib/aws/boot';
import { DOCKER_STUB, DockerRun, Resolve, dockerCliVariables, dockerRun, fakeReference, renderTemplate, runScript, stubCalls } from './helpers/boot';
import { StackJson, resourcesOfType, synthBundled } from './helpers/synth';

// ---------------------------------------------------------------------------------------------------------------
// renderTemplate: the stand-in for Terraform's template evaluation the script tests rely on.
// ---------------------------------------------------------------------------------------------------------------

describe('renderTemplate (test helper)', () => {
  it('unescapes $${ and %%{ and leaves other text alone', () => {
    expect(renderTemplate('a $${HOME} b %%{ if } $$ %% $x {y} "q" \\n')).toBe('a ${HOME} b %{ if } $$ %% $x {y} "q" \\n');
  });

  it('resolves bare references, with a deterministic fake by default', () => {
    expect(renderTemplate('h=${aws_db_instance.y.address};')).toBe('h=fake-aws-db-instance-y-address;');
    expect(renderTemplate('${ aws_db_instance.x.master_user_secret[0].secret_arn }')).toBe('fake-aws-db-instance-x-master-user-secret-0-secret-arn');
    expect(renderTemplate('${local.x}', (ref) => `<${ref}>`)).toBe('<local.x>');
  });

  it('evaluates base64encode of a reference or of a quoted template with escapes', () => {
    expect(renderTemplate('${base64encode(local.x)}', () => 'héllo')).toBe(Buffer.from('héllo').toString('base64'));
    expect(renderTemplate('${base64encode("a\\"b\\\\c}{ $${x} ${local.y}")}', () => 'Y')).toBe(Buffer.from('a"b\\c}{ ${x} Y').toString('base64'));
  });

  it('takes the first part of element(split("/", X), 0)', () => {
    expect(renderTemplate('${element(split("/", aws_ecr_repository.r.repository_url), 0)}', () => '1.dkr.ecr/shop')).toBe('1.dkr.ecr');
  });

  it('throws on anything else, naming the expression', () => {
    expect(() => renderTemplate('x ${upper(local.a)} y')).toThrow('${upper(local.a)}');
    expect(() => renderTemplate('${local.a + 1}')).toThrow('${local.a + 1}');
    expect(() => renderTemplate('${"}" == local.a}')).toThrow('${"}" == local.a}');
    expect(() => renderTemplate('%{ if true }x%{ endif }')).toThrow('%{ if true }');
    expect(() => renderTemplate('${base64encode("%{ for x in y }")}')).toThrow('%{ for x in y }');
    expect(() => renderTemplate('${local.a')).toThrow('Unterminated interpolation');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The bundled cluster stacks, synthesized with hostile values, and their boot scripts run for real.
// ---------------------------------------------------------------------------------------------------------------

/** Where the hostile values would create files if any shell ran them. */
const MARKERS = mkdtempSync(join(tmpdir(), 'boot-markers-'));

/** `app.environment`: every value must reach the container byte for byte, none may run or be evaluated. */
const HOSTILE: Record<string, string> = {
  QUOTES: `'a"b`,
  SUBSHELL: `$(touch ${MARKERS}/subshell)`,
  BACKTICK: `\`touch ${MARKERS}/backtick\``,
  // Literally $ { " \ u 0 0 2 7 " }: Terraform would make a ' of it if it read it as an expression.
  INTERPOLATION: '${"\\u0027"}',
  DIRECTIVE: '%{ if true }x%{ endif }',
  BACKSLASH: 'a\\b\\\\c\\n',
  // Line breaks are refused in plain values (config error); the multi-line secrets below carry them.
  DOLLARS: '$HOME $$ $1 ${PATH}',
  EMPTY: '',
  UNICODE: 'zoë ✓',
};

/** A service-account key: several lines, literal \n escapes inside, and no final newline. */
const SERVICE_ACCOUNT_KEY = [
  '{',
  '  "type": "service_account",',
  '  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n",',
  '  "client_email": "app@shop-prod.iam.gserviceaccount.com",',
  '  "display_name": "Zoë\'s key ✓"',
  '}',
].join('\n');
/** A PEM with its final newline. */
const PEM = `-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU+/Ab==\n$(touch ${MARKERS}/pem) 'q'\n-----END CERTIFICATE-----\n`;
const DATABASE_PASSWORD = `db'pw"$(touch ${MARKERS}/db)`;

const CONFIG = {
  project: 'shop',
  domain: 'shop.example',
  environments: ['production'],
  database: true,
  storage: true,
  redis: true,
  secrets: { googleServiceAccountKey: 'empty', pemKey: { value: 'empty', variable: 'TLS_PEM' } },
  app: { environment: HOSTILE },
  stacks: { 'cluster-gcp': { project: 'shop-prod' }, 'cluster-aws': {}, 'serverless-gcp': { project: 'shop-prod' } },
};

/**
 * What the container gets on both clusters, besides the machine id, the data hosts and the cloud's own passwords:
 * the hostile values, Serverpod's settings for these hosts, and the secrets read at boot.
 */
const SHARED_ENV = {
  ...HOSTILE,
  runmode: 'production',
  logging: 'normal',
  role: 'monolith',
  SERVERPOD_API_SERVER_PORT: '8080',
  SERVERPOD_API_SERVER_PUBLIC_HOST: 'api.shop.example',
  SERVERPOD_API_SERVER_PUBLIC_PORT: '443',
  SERVERPOD_API_SERVER_PUBLIC_SCHEME: 'https',
  SERVERPOD_INSIGHTS_SERVER_PORT: '8081',
  SERVERPOD_INSIGHTS_SERVER_PUBLIC_HOST: 'insights.shop.example',
  SERVERPOD_INSIGHTS_SERVER_PUBLIC_PORT: '443',
  SERVERPOD_INSIGHTS_SERVER_PUBLIC_SCHEME: 'https',
  SERVERPOD_WEB_SERVER_PORT: '8082',
  SERVERPOD_WEB_SERVER_PUBLIC_HOST: 'app.shop.example',
  SERVERPOD_WEB_SERVER_PUBLIC_PORT: '443',
  SERVERPOD_WEB_SERVER_PUBLIC_SCHEME: 'https',
  SERVERPOD_DATABASE_PORT: '5432',
  SERVERPOD_DATABASE_NAME: 'serverpod',
  SERVERPOD_DATABASE_USER: 'postgres',
  SERVERPOD_DATABASE_REQUIRE_SSL: 'true',
  SERVERPOD_DATABASE_IS_UNIX_SOCKET: 'false',
  SERVERPOD_DATABASE_MAX_CONNECTION_COUNT: expect.stringMatching(/^[1-9][0-9]*$/),
  SERVERPOD_APPLY_MIGRATIONS: 'true',
  SERVERPOD_REDIS_ENABLED: 'true',
  SERVERPOD_REDIS_PORT: '6379',
  SERVERPOD_PASSWORD_database: DATABASE_PASSWORD,
  SERVERPOD_PASSWORD_googleServiceAccountKey: SERVICE_ACCOUNT_KEY,
  TLS_PEM: PEM,
};

let stacks: Record<string, StackJson>;
beforeAll(() => {
  // JSON is YAML: the config goes through the same parser and schema as deploy.yaml.
  const synthesized = synthBundled(JSON.stringify(CONFIG));
  expect(synthesized.config.app.environment).toEqual(HOSTILE);
  stacks = synthesized.stacks;
});

/** Asserts no hostile value ran: no marker file exists. */
function expectNoMarkers(): void {
  for (const marker of ['subshell', 'backtick', 'db', 'pem']) expect(existsSync(join(MARKERS, marker))).toBe(false);
}

/** The container environment of a run that must have succeeded. */
function containerRun(run: { dir: string; status: number | null; stderr: string }): DockerRun {
  if (run.status !== 0) throw new Error(`the boot script failed (${run.status}):\n${run.stderr}`);
  const docker = dockerRun(run.dir);
  if (!docker) throw new Error('docker run was never called');
  return docker;
}

/** The commands of the stubbed calls, in order. */
const commands = (dir: string) => stubCalls(dir).map((c) => c.split(' ')[0]);

// ---------------------------------------------------------------------------------------------------------------
// cluster-gcp: Container-Optimized OS, the metadata server and Secret Manager.
// ---------------------------------------------------------------------------------------------------------------

/** Secret Manager's content, by secret id in project shop-prod. */
const GCP_SECRETS: Record<string, string> = {
  'shop-production-database-password': DATABASE_PASSWORD,
  'shop-production-redis-auth': 'redis-auth-0f3c',
  'shop-production-service-secret': 'service-secret-32-characters-xyz',
  'shop-production-jwt-hmac-sha512-private-key': 'J'.repeat(64),
  'shop-production-jwt-refresh-token-hash-pepper': 'refresh-pepper-abc',
  'shop-production-email-secret-hash-pepper': 'email-pepper-def',
  'shop-production-google-service-account-key': SERVICE_ACCOUNT_KEY,
  'shop-production-pem-key': PEM,
  'shop-production-storage-hmac-access-id': 'GOOG1EHMACACCESSID',
  'shop-production-storage-hmac-secret': 'hmac/secret+key=',
};

/** curl as COS's startup script uses it: the metadata server (token, name) and Secret Manager's REST API. */
function gcpCurlStub(unreadable: readonly string[] = []): string {
  const secretCases = Object.entries(GCP_SECRETS)
    .filter(([id]) => !unreadable.includes(id))
    .map(([id, value]) => {
      // Pretty-printed with a checksum field after the data, as the API answers.
      const body = JSON.stringify({ name: `projects/123456789/secrets/${id}/versions/3`, payload: { data: Buffer.from(value).toString('base64'), dataCrc32c: '3141592653' } }, null, 2);
      return `  ${shellQuote(`https://secretmanager.googleapis.com/v1/projects/shop-prod/secrets/${id}/versions/latest:access`)}) printf '%s\\n' ${shellQuote(body)} ;;`;
    });
  return [
    'for a in "$@"; do case "$a" in http*://*) url="$a" ;; "Metadata-Flavor: Google") flavor=1 ;; "Authorization: Bearer tok") bearer=1 ;; esac; done',
    'case "$url" in',
    '  http://metadata.google.internal/*) [ -n "${flavor:-}" ] || exit 22 ;;',
    '  https://secretmanager.googleapis.com/*) [ -n "${bearer:-}" ] || exit 22 ;;',
    'esac',
    'case "$url" in',
    `  http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token) printf '%s' '{"access_token":"tok","expires_in":3599,"token_type":"Bearer"}' ;;`,
    '  http://metadata.google.internal/computeMetadata/v1/instance/name) printf vm-1 ;;',
    ...secretCases,
    '  *) exit 22 ;;',
    'esac',
  ].join('\n');
}

function gcpStartupScript(): string {
  const templates = resourcesOfType(stacks['cluster-gcp'], 'google_compute_instance_template');
  expect(templates).toHaveLength(1);
  return templates[0].metadata['startup-script'];
}

function runGcp(unreadable: readonly string[] = []) {
  return runScript(renderTemplate(gcpStartupScript()), { stubs: { curl: gcpCurlStub(unreadable), docker: DOCKER_STUB }, rewrite: [['/run/', 'run']] });
}

describe('cluster-gcp boot script, run', () => {
  let run: ReturnType<typeof runGcp>;
  let docker: DockerRun;
  beforeAll(() => {
    run = runGcp();
    docker = containerRun(run);
  });

  it('gives the container exactly its variables: passwords, settings, multi-line secrets and hostile values', () => {
    expect(docker.containerEnv).toEqual({
      ...SHARED_ENV,
      serverid: 'vm-1',
      SERVERPOD_DATABASE_HOST: 'database.private-production.shop.example',
      SERVERPOD_REDIS_HOST: 'redis.private-production.shop.example',
      SERVERPOD_REDIS_REQUIRE_SSL: 'false',
      SERVERPOD_PASSWORD_redis: 'redis-auth-0f3c',
      SERVERPOD_SERVICE_SECRET: 'service-secret-32-characters-xyz',
      SERVERPOD_PASSWORD_jwtHmacSha512PrivateKey: 'J'.repeat(64),
      SERVERPOD_PASSWORD_jwtRefreshTokenHashPepper: 'refresh-pepper-abc',
      SERVERPOD_PASSWORD_emailSecretHashPepper: 'email-pepper-def',
      SERVERPOD_PASSWORD_HMACAccessKeyId: 'GOOG1EHMACACCESSID',
      SERVERPOD_PASSWORD_HMACSecretKey: 'hmac/secret+key=',
    });
  });

  it('runs nothing but curl and docker, and no hostile value as a command', () => {
    expectNoMarkers();
    expect(new Set(commands(run.dir))).toEqual(new Set(['curl', 'docker']));
    expect(stubCalls(run.dir).filter((c) => c.startsWith('docker ')).map((c) => c.split(' ')[1])).toEqual(['login', 'pull', 'image', 'rm', 'run']);
  });

  it('logs in with the metadata token and runs the image with a restart policy, the ports and rotated log files', () => {
    expect(readFileSync(join(run.dir, 'docker-login.stdin'), 'utf8')).toMatch(/^tok\n?$/);
    expect(stubCalls(run.dir)).toContain('docker login -u oauth2accesstoken --password-stdin https://us-central1-docker.pkg.dev');
    const image = 'us-central1-docker.pkg.dev/shop-prod/shop-images/shop:production';
    expect(stubCalls(run.dir)).toContain(`docker pull ${image}`);
    expect(docker.argv.slice(0, 5)).toEqual(['run', '-d', '--name', 'shop', '--restart=always']);
    // Files COS's logging agent ships: the gcplogs driver fails a container's start while Cloud Logging is out of reach.
    expect(docker.argv.slice(-12)).toEqual(['-p', '8080:8080', '-p', '8081:8081', '-p', '8082:8082', '--log-driver=json-file', '--log-opt', 'max-size=10m', '--log-opt', 'max-file=5', image]);
  });

  it('hands docker only its own settings besides the container variables', () => {
    expect(dockerCliVariables(docker)).toEqual(['DOCKER_CONFIG', 'HOME', 'PATH']);
    expect(docker.env.DOCKER_CONFIG).toBe(join(run.dir, 'run', 'shop', 'docker'));
  });

  it('keeps the variable files readable by root only', () => {
    expect(statSync(join(run.dir, 'run', 'shop', 'env', 'TLS_PEM')).mode & 0o077).toBe(0);
    expect(readFileSync(join(run.dir, 'run', 'shop', 'env', 'TLS_PEM'), 'utf8')).toBe(PEM);
  });

  describe('when a secret cannot be read', () => {
    let failed: ReturnType<typeof runGcp>;
    beforeAll(() => {
      failed = runGcp(['shop-production-pem-key']);
    });

    it('stops before docker runs', () => {
      expect(failed.status).not.toBe(0);
      expect(dockerRun(failed.dir)).toBeUndefined();
      expect(stubCalls(failed.dir).filter((c) => c.startsWith('docker '))).toEqual([]);
    });

    it('says which secret it could not read', () => {
      // gcp_secret prints this when Secret Manager answers without data; a refused or missing secret (curl -f
      // fails, silently with -s) must say it too, or the serial console shows only an exit status.
      expect(failed.stderr).toContain('secret shop-production-pem-key could not be read');
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// cluster-aws: Amazon Linux 2023, IMDSv2, Secrets Manager through the AWS CLI.
// ---------------------------------------------------------------------------------------------------------------

const ACCOUNT = '123456789012';
const secretArn = (name: string) => `arn:aws:secretsmanager:us-west-2:${ACCOUNT}:secret:${name}-Ab12Cd`;
const RDS_SECRET_ARN = secretArn('rds!db-0a1b2c3d');
const ECR_REPOSITORY = `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/shop`;

/** Secrets Manager's content by secret name; the generated secrets have no value until a server puts one. */
const AWS_SECRETS: Record<string, string> = {
  'shop-production-secrets/googleServiceAccountKey': SERVICE_ACCOUNT_KEY,
  'shop-production-secrets/pemKey': PEM,
  'shop-production-secrets/AWSAccessKeyId': 'AKIAEXAMPLEKEYID0001',
  'shop-production-secrets/AWSSecretKey': 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const AWS_GENERATED: Record<string, number> = { serviceSecret: 32, jwtHmacSha512PrivateKey: 64, jwtRefreshTokenHashPepper: 32, emailSecretHashPepper: 32 };

/** Terraform's values for the stack's references: secrets by their name in the JSON, the rest fixed or fake. */
function awsResolve(json: StackJson): Resolve {
  return (ref) => {
    const secret = /^aws_secretsmanager_secret\.([^.]+)\.arn$/.exec(ref);
    // A server secret is named by prefix (Terraform adds a unique suffix): its base name stands for it here.
    const body = secret && json.resource.aws_secretsmanager_secret[secret[1]];
    if (body) return secretArn(body.name ?? body.name_prefix.replace(/-$/, ''));
    if (/^aws_db_instance\.[^.]+\.master_user_secret\[0\]\.secret_arn$/.test(ref)) return RDS_SECRET_ARN;
    if (/^aws_ecr_repository\.[^.]+\.repository_url$/.test(ref)) return ECR_REPOSITORY;
    return fakeReference(ref);
  };
}

const hex = (s: string) => Buffer.from(s).toString('hex');

interface AwsStubOptions {
  /** Secret ARNs whose reads fail with AccessDeniedException. */
  readonly denied?: readonly string[];
  /** Where put values are kept, one file a secret. @default <temp dir>/aws-put */
  readonly store?: string;
  /** The RDS secret's VersionId read with its value (the boot script's read). @default 'rds-version-1' */
  readonly rdsVersion?: string;
  /** Its VersionId read alone (the rotation watch's read), as if it rotated in between. @default rdsVersion */
  readonly rdsCurrentVersion?: string;
}

/**
 * The AWS CLI: get-secret-value prints the SecretString and VersionId as a JSON list, pretty-printed as the CLI
 * does (a generated secret without a value fails with ResourceNotFoundException until a put-secret-value, which it
 * records), VersionId alone as text; ECR and Auto Scaling answer. `denied` ARNs fail with AccessDeniedException.
 */
function awsCliStub({ denied = [], store, rdsVersion = 'rds-version-1', rdsCurrentVersion = rdsVersion }: AwsStubOptions): string {
  const listed = (value: string, version: string) => JSON.stringify([value, version], null, 4);
  const known = [
    ...Object.entries(AWS_SECRETS).map(([name, value]) => [secretArn(name), listed(value, 'v1')]),
    [RDS_SECRET_ARN, listed(JSON.stringify({ username: 'postgres', password: DATABASE_PASSWORD }), rdsVersion)],
  ];
  return [
    'opt() { local want="$1"; shift; while [ $# -gt 0 ]; do if [ "$1" = "$want" ]; then printf \'%s\' "$2"; return 0; fi; shift; done; return 1; }',
    'id="$(opt --secret-id "$@" || true)"',
    `store=${store ? shellQuote(store) : '"$STUB_DIR/aws-put"'}`,
    'put="$store/$(printf \'%s\' "$id" | od -An -tx1 | tr -d \' \\n\')"',
    'case "$1 $2" in',
    '  "secretsmanager get-secret-value")',
    '    case "$id" in',
    ...denied.map((arn) => `      ${shellQuote(arn)}) echo "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: not authorized" >&2; exit 254 ;;`),
    '      *) ;;',
    '    esac',
    `    if [ "$(opt --query "$@")" = VersionId ]; then echo ${shellQuote(rdsCurrentVersion)}; exit 0; fi`,
    '    [ "$(opt --query "$@")" = "[SecretString,VersionId]" ] && [ "$(opt --output "$@")" = json ] || exit 1',
    `    if [ -f "$put" ]; then python3 -c 'import json, sys; print(json.dumps([open(sys.argv[1]).read(), "put-1"], indent=4))' "$put"; exit 0; fi`,
    '    case "$id" in',
    ...known.map(([arn, json]) => `      ${shellQuote(arn)}) printf '%s\\n' ${shellQuote(json)} ;;`),
    `      *) echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" >&2; exit 254 ;;`,
    '    esac ;;',
    '  "secretsmanager put-secret-value")',
    '    token="$(opt --client-request-token "$@")"',
    '    [ "${#token}" -ge 32 ] && [ "${#token}" -le 64 ] || { echo "ValidationException: ClientRequestToken must be 32 to 64 characters" >&2; exit 252; }',
    '    [ -f "$put" ] && { echo "ResourceExistsException" >&2; exit 254; }',
    '    mkdir -p "$store" && opt --secret-string "$@" > "$put" ;;',
    '  "ecr get-login-password") echo ecr-token ;;',
    '  "autoscaling "*) ;;',
    '  *) echo "aws stub: unexpected $*" >&2; exit 1 ;;',
    'esac',
  ].join('\n');
}

/** curl against IMDSv2: a session token, then the instance id with it. */
const IMDS_CURL_STUB = [
  'for a in "$@"; do case "$a" in http://*) url="$a" ;; PUT) put=1 ;; "X-aws-ec2-metadata-token: imds-token") token=1 ;; esac; done',
  'case "$url" in',
  '  http://169.254.169.254/latest/api/token) [ -n "${put:-}" ] || exit 22; printf imds-token ;;',
  '  http://169.254.169.254/latest/meta-data/instance-id) [ -n "${token:-}" ] || exit 22; printf i-0abc123def4567890 ;;',
  '  *) exit 22 ;;',
  'esac',
].join('\n');

/** dnf notes whether the liveness watch was in place when docker was installed. */
const DNF_STUB = '[ -x "$STUB_DIR/usr/local/bin/shop-liveness" ] && [ -f "$STUB_DIR/etc/systemd/system/shop-liveness.service" ] && touch "$STUB_DIR/liveness-before-docker"; exit 0';

/** The launch template's user data (`base64gzip(local.x)`: the local's value, which cloud-init unpacks), as Terraform renders it. */
function awsUserData(json: StackJson = stacks['cluster-aws']): string {
  const templates = resourcesOfType(json, 'aws_launch_template');
  expect(templates).toHaveLength(1);
  const local = /^\$\{base64gzip\(local\.([A-Za-z0-9_]+)\)\}$/.exec(templates[0].user_data);
  expect(local).not.toBeNull();
  return renderTemplate(json.locals[local![1]], awsResolve(json));
}

function runAws(aws: AwsStubOptions = {}) {
  return runScript(awsUserData(), {
    stubs: { aws: awsCliStub(aws), curl: IMDS_CURL_STUB, dnf: DNF_STUB, systemctl: '', docker: DOCKER_STUB },
    rewrite: [
      ['/run/', 'run'],
      ['/usr/local/bin/', 'usr/local/bin'],
      ['/etc/systemd/system/', 'etc/systemd/system'],
      ['/var/lib/', 'var/lib'],
    ],
  });
}

describe('cluster-aws boot script, run', () => {
  let run: ReturnType<typeof runAws>;
  let docker: DockerRun;
  const generated: Record<string, string> = {};
  beforeAll(() => {
    run = runAws();
    docker = containerRun(run);
    for (const key of Object.keys(AWS_GENERATED)) {
      const file = join(run.dir, 'aws-put', hex(secretArn(`shop-production-secrets/${key}`)));
      generated[key] = existsSync(file) ? readFileSync(file, 'utf8') : `(no value was put for ${key})`;
    }
  });

  it('generates the template passwords once, letters and digits of the right length', () => {
    for (const [key, length] of Object.entries(AWS_GENERATED)) expect(generated[key]).toMatch(new RegExp(`^[A-Za-z0-9]{${length}}$`));
    expect(new Set(Object.values(generated)).size).toBe(4);
  });

  it('gives the container exactly its variables: passwords, settings, multi-line secrets and hostile values', () => {
    expect(docker.containerEnv).toEqual({
      ...SHARED_ENV,
      serverid: 'i-0abc123def4567890',
      // The references, as the fake resolver gives them: the values went through Terraform's base64encode.
      SERVERPOD_DATABASE_HOST: expect.stringMatching(/^fake-aws-db-instance-production-Database-[0-9A-F]+-address$/),
      SERVERPOD_REDIS_HOST: expect.stringMatching(/^fake-aws-elasticache-replication-group-production-Redis-[0-9A-F]+-primary-endpoint-address$/),
      SERVERPOD_REDIS_REQUIRE_SSL: 'true',
      // ElastiCache here has TLS and no AUTH token. Serverpod 3 will not start Redis without a password: Redis's
      // `default` user, which has none and takes any.
      SERVERPOD_REDIS_USER: 'default',
      SERVERPOD_PASSWORD_redis: 'no-auth-token',
      SERVERPOD_SERVICE_SECRET: generated.serviceSecret,
      SERVERPOD_PASSWORD_jwtHmacSha512PrivateKey: generated.jwtHmacSha512PrivateKey,
      SERVERPOD_PASSWORD_jwtRefreshTokenHashPepper: generated.jwtRefreshTokenHashPepper,
      SERVERPOD_PASSWORD_emailSecretHashPepper: generated.emailSecretHashPepper,
      SERVERPOD_PASSWORD_AWSAccessKeyId: 'AKIAEXAMPLEKEYID0001',
      SERVERPOD_PASSWORD_AWSSecretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    });
  });

  it('runs only the expected commands, and no hostile value as a command', () => {
    expectNoMarkers();
    expect(new Set(commands(run.dir))).toEqual(new Set(['aws', 'curl', 'dnf', 'systemctl', 'docker']));
    expect(stubCalls(run.dir).filter((c) => c.startsWith('docker ')).map((c) => c.split(' ')[1])).toEqual(['login', 'pull', 'image', 'rm', 'run']);
    expect(dockerCliVariables(docker)).toEqual(['HOME', 'PATH']);
  });

  it('installs the liveness watch before docker, and the rotation watch after the container started', () => {
    const calls = stubCalls(run.dir);
    const at = (call: string) => {
      const i = calls.indexOf(call);
      if (i < 0) throw new Error(`${call} was not called; calls:\n${calls.join('\n')}`);
      return i;
    };
    expect(existsSync(join(run.dir, 'liveness-before-docker'))).toBe(true);
    expect(at('systemctl enable --now shop-liveness.service')).toBeLessThan(at('dnf install -y docker'));
    expect(at('dnf install -y docker')).toBeLessThan(at('systemctl enable --now docker'));
    expect(at('systemctl enable --now docker')).toBeLessThan(calls.findIndex((c) => c.startsWith('docker run ')));
    expect(calls.findIndex((c) => c.startsWith('docker run '))).toBeLessThan(at('systemctl enable --now shop-rotation-watch.timer'));
    expect(readFileSync(join(run.dir, 'etc/systemd/system/shop-liveness.service'), 'utf8')).toContain(`ExecStart=${join(run.dir, 'usr/local/bin/shop-liveness')}\n`);
    expect(readFileSync(join(run.dir, 'etc/systemd/system/shop-rotation-watch.timer'), 'utf8')).toContain('OnUnitActiveSec=10min\n');
    expect(readFileSync(join(run.dir, 'var/lib/shop/watched-secret-version'), 'utf8')).toBe('rds-version-1\n');
    // Both watch scripts are written whole: bash can parse them.
    for (const watch of ['shop-liveness', 'shop-rotation-watch']) {
      expect(spawnSync('bash', ['-n', join(run.dir, 'usr/local/bin', watch)]).status).toBe(0);
    }
    expect(readFileSync(join(run.dir, 'usr/local/bin/shop-rotation-watch'), 'utf8')).toContain(`--secret-id '${RDS_SECRET_ARN}'`);
  });

  it('logs in to ECR with the instance role and runs the image with awslogs', () => {
    expect(readFileSync(join(run.dir, 'docker-login.stdin'), 'utf8')).toMatch(/^ecr-token\n?$/);
    expect(stubCalls(run.dir)).toContain(`docker login --username AWS --password-stdin ${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com`);
    expect(docker.argv.slice(0, 5)).toEqual(['run', '-d', '--name', 'shop', '--restart=always']);
    expect(docker.argv.at(-1)).toBe(`${ECR_REPOSITORY}:production`);
    expect(docker.argv).toEqual(expect.arrayContaining(['--log-driver=awslogs', 'awslogs-region=us-west-2']));
    // A CloudWatch Logs blip at boot or at a restart must not keep the container from starting.
    expect(docker.argv.join(' ')).toContain('--log-opt mode=non-blocking --log-opt max-buffer-size=4m');
  });

  it('reads the database password and its version in one call, and starts the rotation watch from that version', () => {
    const rdsReads = stubCalls(run.dir).filter((c) => c.startsWith('aws secretsmanager get-secret-value') && c.includes(RDS_SECRET_ARN));
    expect(rdsReads.map((c) => c.replace(/.* --query /, ''))).toEqual(['[SecretString,VersionId] --output json', 'VersionId --output text']);
    expect(stubCalls(run.dir).filter((c) => c.startsWith('aws autoscaling start-instance-refresh'))).toEqual([]);
    // Rotated between the boot's read and the watch's first run: the server holds version A, so the watch starts
    // from A and sees the rotation at once (recording B, it would never refresh this server).
    const rotated = runAws({ rdsVersion: 'rds-version-A', rdsCurrentVersion: 'rds-version-B' });
    expect(containerRun(rotated).containerEnv.SERVERPOD_PASSWORD_database).toBe(DATABASE_PASSWORD);
    expect(readFileSync(join(rotated.dir, 'var/lib/shop/watched-secret-version'), 'utf8')).toBe('rds-version-A\n');
    expect(stubCalls(rotated.dir).filter((c) => c.startsWith('aws autoscaling start-instance-refresh'))).toHaveLength(1);
  });

  it('reads the value another server put, and puts none of its own', () => {
    // A second boot against the same secret store: every generated secret already has its value.
    const again = runAws({ store: join(run.dir, 'aws-put') });
    const env = containerRun(again).containerEnv;
    expect(env.SERVERPOD_SERVICE_SECRET).toBe(generated.serviceSecret);
    expect(env.SERVERPOD_PASSWORD_jwtHmacSha512PrivateKey).toBe(generated.jwtHmacSha512PrivateKey);
    expect(stubCalls(again.dir).filter((c) => c.includes('put-secret-value'))).toEqual([]);
  });

  it.each([
    ['a generated secret', secretArn('shop-production-secrets/serviceSecret')],
    ['a declared secret', secretArn('shop-production-secrets/pemKey')],
    ['the RDS-managed password', RDS_SECRET_ARN],
  ])('stops before docker runs when %s is refused', (_what, arn) => {
    const failed = runAws({ denied: [arn] });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('AccessDeniedException');
    expect(dockerRun(failed.dir)).toBeUndefined();
    // Secrets read before the refused one may have been generated; the refused one never is.
    expect(stubCalls(failed.dir).filter((c) => c.startsWith('docker ') || (c.includes('put-secret-value') && c.includes(arn)))).toEqual([]);
  });
});

describe('cluster-aws launch readiness, run', () => {
  /**
   * The user data's readiness loop, from 60 s of uptime (grace: 300 s, a round every 10 s): each readiness check
   * answers `code(url)`, as curl prints it with `-w '%{http_code}'`; each sleep moves the uptime on.
   */
  function runReadiness(code: (url: string) => string) {
    const lines = awsUserData().split('\n');
    const start = lines.findIndex((l) => l.startsWith('# In service only once ready'));
    const loop = lines.slice(start, lines.indexOf('done', start) + 1).join('\n');
    // No answer (000): curl fails, connection refused.
    const answers = ['http://127.0.0.1:8080/readyz', 'http://127.0.0.1:8081/readyz', 'http://127.0.0.1:8082/'].map((url) => `  ${url}) printf ${code(url)}; [ ${code(url)} != 000 ] || exit 7 ;;`);
    const curl = [
      'for a in "$@"; do case "$a" in http://127.0.0.1:*) probe="$a" ;; esac; done',
      // Only with the status printed: Terraform's %%{ must have become %{.
      'if [ -n "${probe:-}" ]; then case " $* " in *" -w %{http_code} "*) ;; *) exit 2 ;; esac; case "$probe" in',
      ...answers,
      '  *) printf 000; exit 7 ;;',
      'esac; exit 0; fi',
      IMDS_CURL_STUB,
    ].join('\n');
    const sleep = 'echo $(( $(cut -d. -f1 "$STUB_DIR/proc/uptime") + $1 )).0 > "$STUB_DIR/proc/uptime"';
    const run = runScript(`set -euo pipefail\nprintf '60.0 0.0\\n' > /proc/uptime\n${loop}`, { stubs: { curl, aws: '', sleep }, rewrite: [['/proc/', 'proc']] });
    expect(run.status).toBe(0);
    const calls = stubCalls(run.dir);
    return {
      probes: calls.filter((c) => c.startsWith('curl ') && c.includes('127.0.0.1')).map((c) => c.split(' ').at(-1)),
      completions: calls.filter((c) => c.startsWith('aws autoscaling complete-lifecycle-action')),
    };
  }

  it('completes the launch hook once every readiness check answers 200', () => {
    const { probes, completions } = runReadiness(() => '200');
    expect(probes).toEqual(['http://127.0.0.1:8080/readyz', 'http://127.0.0.1:8081/readyz', 'http://127.0.0.1:8082/']);
    expect(completions).toHaveLength(1);
    expect(completions[0]).toContain('--instance-id i-0abc123def4567890 --lifecycle-action-result CONTINUE');
  });

  it.each([
    ['302', 'http://127.0.0.1:8080/readyz'],
    ['302', 'http://127.0.0.1:8082/'],
    ['204', 'http://127.0.0.1:8081/readyz'],
    ['000', 'http://127.0.0.1:8080/readyz'],
  ])('never completes the hook while a readiness check answers %s (%s): the target groups route on 200 only', (answer, url) => {
    const { probes, completions } = runReadiness((u) => (u === url ? answer : '200'));
    expect(completions).toEqual([]);
    // A round every 10 s from 60 s to the grace period at 300 s.
    expect(probes.filter((p) => p === url)).toHaveLength(24);
  });
});

describe('cluster-aws liveness by TCP (no liveness path: Serverpod before 3.3), run', () => {
  // 127.0.0.1 stands for Docker's userland proxy, which accepts on the published port whether or not the server in
  // the container listens; 127.0.0.2 for the container's own address, where only the server accepts.
  let proxy: Server;
  let server: Server;
  let port: number;
  const listen = (host: string, at: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer().once('error', reject);
      s.listen(at, host, () => resolve(s));
    });
  beforeAll(async () => {
    proxy = await listen('127.0.0.1', 0);
    port = (proxy.address() as { port: number }).port;
    server = await listen('127.0.0.2', port);
  });
  afterAll(() => {
    proxy.close();
    server.close();
  });

  /** The watch, three probes long, past the grace period, with `docker inspect` giving the container's address. */
  function runWatch(containerIp: string) {
    const script = awsBootScript({
      containerName: 'shop',
      image: 'shop:1',
      region: 'us-west-2',
      environment: { plain: {}, secrets: {} },
      ports: [port],
      secrets: {},
      logGroupName: 'shop-logs',
      liveness: { port, intervalSec: 10, timeoutSec: 2, failures: 2, graceSec: 300, autoScalingGroupName: 'shop-servers' },
    });
    const lines = script.split('\n');
    const start = lines.indexOf("cat > /usr/local/bin/shop-liveness <<'WATCH'") + 1;
    const watch = lines.slice(start, lines.indexOf('WATCH', start)).join('\n').split('/usr/local/bin/shop-report').join('shop-report');
    const run = runScript(`printf '100000.0 0.0\\n' > /proc/uptime\n${watch}`, {
      stubs: {
        docker: `[ "$1" = inspect ] && printf '%s\\n' ${shellQuote(containerIp)}`,
        curl: IMDS_CURL_STUB,
        aws: '',
        'shop-report': '',
        sleep: 'n="$(cat "$STUB_DIR/ticks" 2>/dev/null || echo 0)"; [ "$n" -ge 3 ] && exit 1; echo $((n + 1)) > "$STUB_DIR/ticks"',
      },
      rewrite: [['/proc/', 'proc']],
    });
    const calls = stubCalls(run.dir);
    return { inspects: calls.filter((c) => c.startsWith('docker inspect')), marks: calls.filter((c) => c.startsWith('aws autoscaling set-instance-health')) };
  }

  it('counts a server listening in its container as alive', () => {
    const { inspects, marks } = runWatch('127.0.0.2');
    expect(inspects).toEqual(Array(3).fill('docker inspect -f {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}} shop'));
    expect(marks).toEqual([]);
  });

  it('counts a server that never listened as dead, though the published port accepts', () => {
    // The published port does accept: the old probe, a connect to 127.0.0.1, called this server alive.
    expect(spawnSync('bash', ['-c', `</dev/tcp/127.0.0.1/${port}`]).status).toBe(0);
    expect(runWatch('127.0.0.3').marks).toHaveLength(3);
  });

  it('counts a container without an address (stopped, restarting) as dead', () => {
    expect(runWatch('').marks).toHaveLength(3);
  });
});

describe('cluster-aws user data size', () => {
  it('fits EC2\'s 16 KiB once Terraform has put the ARNs in, whenever synth accepts it', () => {
    // Sixteen declared secrets with 40-character keys: the script names each secret's ARN, which is much longer in
    // the user data EC2 receives than the cdktf token the size check measures.
    const secrets = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`key${i}`.padEnd(40, 'x'), 'empty']));
    let json: StackJson;
    try {
      json = synthBundled(JSON.stringify({ project: 'shop', domain: 'shop.example', redis: true, secrets, stacks: { 'cluster-aws': {} } })).stacks['cluster-aws'];
    } catch (e) {
      expect((e as Error).message).toContain("16 KiB, EC2's user data limit");
      return;
    }
    // EC2 counts the user data gzipped, as the launch template sends it (Terraform's base64gzip, Go's level 6).
    expect(gzipSync(Buffer.from(awsUserData(json), 'utf8'), { level: 6 }).length).toBeLessThanOrEqual(16384);
  });

  it('takes a script past 16 KiB uncompressed that fits once gzipped, and refuses one that does not fit gzipped', () => {
    // The longest domain and sixteen secrets with long keys: a script of about 20 KB that gzips to a third of that.
    const domain = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), `${'d'.repeat(40)}.com`].join('.');
    const secrets = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`key${i}`.padEnd(40, 'x'), 'empty']));
    const long = synthBundled(JSON.stringify({ project: 'shop', domain, redis: true, storage: true, secrets, stacks: { 'cluster-aws': {} } })).stacks['cluster-aws'];
    expect(Buffer.byteLength(awsUserData(long))).toBeGreaterThan(16384);
    // Values that do not compress (random text) still meet the limit at synth, with the field named.
    let random = '';
    for (let i = 0; random.length < 20000; i++) random += Math.imul(i + 1, 2654435761).toString(36);
    const environment = { BLOB_A: random.slice(0, 9000), BLOB_B: random.slice(9000, 18000) };
    expect(() => synthBundled(JSON.stringify({ project: 'shop', domain: 'shop.example', app: { environment }, stacks: { 'cluster-aws': {} } }))).toThrow(/16 KiB, EC2's user data limit, counted gzipped/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// serverless-gcp: no script; Cloud Run reads the JSON.
// ---------------------------------------------------------------------------------------------------------------

describe('serverless-gcp containers', () => {
  const byName = (type: string) => Object.entries<Record<string, any>>(stacks['serverless-gcp'].resource[type]);
  const container = (type: string, part: string) => {
    const found = byName(type).filter(([name]) => name.includes(part));
    expect(found).toHaveLength(1);
    const body = found[0][1];
    return (body.template.containers ?? body.template.template.containers)[0];
  };
  const plainEnv = (c: Record<string, any>) => Object.fromEntries(c.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));

  it('runs migrations with the image\'s own command, as the maintenance role', () => {
    const job = container('google_cloud_run_v2_job', 'Migrations');
    expect(job.command).toBeUndefined();
    expect(plainEnv(job)).toMatchObject({ role: 'maintenance', SERVERPOD_APPLY_MIGRATIONS: 'true' });
  });

  it('probes liveness at /livez on api and insights, not on web; startup by TCP', () => {
    for (const [part, port] of [['Service-api', 8080], ['Service-insights', 8081], ['Service-web', 8082]] as const) {
      const c = container('google_cloud_run_v2_service', part);
      expect(c.startup_probe).toMatchObject({ tcp_socket: { port } });
      expect(c.startup_probe.http_get).toBeUndefined();
      if (part === 'Service-web') expect(c.liveness_probe).toBeUndefined();
      else expect(c.liveness_probe).toMatchObject({ http_get: { path: '/livez', port } });
    }
  });

  it('hands every hostile value to Cloud Run as it was written, once Terraform has read the JSON', () => {
    for (const [part, type] of [['Migrations', 'google_cloud_run_v2_job'], ['Service-api', 'google_cloud_run_v2_service']] as const) {
      const env = plainEnv(container(type, part));
      for (const [name, value] of Object.entries(HOSTILE)) expect([name, renderTemplate(env[name])]).toEqual([name, value]);
    }
  });
});
