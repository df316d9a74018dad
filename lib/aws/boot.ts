import { BootScriptOptions, renderBootScript, shellQuote } from '../app/boot-script';
import { ContainerEnvironment, SecretRef } from '../app/profile';

export { escapeTemplate } from '../terraform-strings';

/** Where one logical secret lives in Secrets Manager. */
export interface SecretLocation {
  /** ARN (or name) of the secret. */
  readonly arn: string;
  /**
   * Key to read when the SecretString is JSON (RDS-managed secrets hold `{"username":..,"password":..}`).
   * @default - the whole SecretString
   */
  readonly jsonKey?: string;
  /**
   * The secret is created empty and the first server to boot gives it a random value of this many letters and
   * digits. Every server writes with the same client request token, so a second writer is refused and reads
   * the first one's value.
   * @default - not generated: the secret must have a value
   */
  readonly generateLength?: number;
}

/** How the instance judges that its server is alive (see `AwsBootScriptOptions.liveness`). */
export interface LivenessWatch {
  /** Container port to probe. */
  readonly port: number;
  /**
   * HTTP path answered while the process is alive: any answer below 400 counts (`curl -f`).
   * @default - a TCP connect to the container's own address
   */
  readonly path?: string;
  /** Seconds between probes. */
  readonly intervalSec: number;
  /** Seconds before a probe counts as failed. */
  readonly timeoutSec: number;
  /** Consecutive failed probes, after the server once answered, that make the instance unhealthy. */
  readonly failures: number;
  /** Seconds after boot within which a server that never answered is left alone (pull, start, migrations). */
  readonly graceSec: number;
  /** The instance's Auto Scaling group. */
  readonly autoScalingGroupName: string;
}

/** What `awsBootScript` writes: the container, its secrets, and the watches around it. */
export interface AwsBootScriptOptions {
  /** Container name on the instance. */
  readonly containerName: string;
  /** Image to run (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`, may be a token). */
  readonly image: string;
  /**
   * ECR registry host to log in to (`<account>.dkr.ecr.<region>.amazonaws.com`, may be a token).
   * @default - no login: an image the instance pulls anonymously (a public image)
   */
  readonly registryHost?: string;
  /** The AWS region. */
  readonly region: string;
  /** The profile's environment for this instance; secrets are read from Secrets Manager at boot. */
  readonly environment: ContainerEnvironment;
  /** Container ports published on the same host port. */
  readonly ports: readonly number[];
  /** @default [] */
  readonly args?: readonly string[];
  /** Secrets Manager location per logical secret name the environment refers to. */
  readonly secrets: Readonly<Record<string, SecretLocation>>;
  /** CloudWatch log group the container logs to (awslogs driver). */
  readonly logGroupName: string;
  /**
   * A secret that rotates (the RDS-managed database password): a systemd timer checks its current version
   * every 10 minutes and, once it changed, starts an instance refresh of the group, so every server boots again
   * with the new value while the group keeps full capacity. It compares with the version read in the same call
   * as the value the container got, never with a later one.
   * @default - no watch
   */
  readonly rotationWatch?: {
    /** The rotating secret. */
    readonly secretArn: string;
    /** The group to refresh once it changed. */
    readonly autoScalingGroupName: string;
  };
  /**
   * Liveness: a service, installed before anything else at boot, that probes the server on the instance and
   * marks the instance unhealthy in its Auto Scaling group when it never came up within the grace period or
   * stopped answering. The group itself uses EC2 health checks, so a failing readiness check (the load
   * balancer's, which follows the database) only stops traffic, never replaces the servers.
   * @default - no liveness watch
   */
  readonly liveness?: LivenessWatch;
  /**
   * Readiness at launch: once the server answers every readiness check with exactly 200 (the target groups' matcher:
   * a redirect is not ready), the script completes the group's launch lifecycle hook, so the instance enters
   * service (and a refresh counts it) only when ready. It stops trying at `graceSec` of uptime; the hook then
   * abandons the instance.
   * @default - no hook to complete
   */
  readonly launchReadiness?: LaunchReadiness;
}

/** What `AwsBootScriptOptions.launchReadiness` checks and completes. */
export interface LaunchReadiness {
  /** Each port and its readiness path. */
  readonly checks: readonly {
    /** Container port. */
    readonly port: number;
    /** HTTP path that must answer 200 (no other status counts). */
    readonly path: string;
  }[];
  /** Seconds between rounds of checks. */
  readonly intervalSec: number;
  /** Seconds before one check counts as failed. */
  readonly timeoutSec: number;
  /** Seconds of uptime after which the script stops trying (the hook then abandons the instance). */
  readonly graceSec: number;
  /** The launch lifecycle hook to complete. */
  readonly hookName: string;
  /** The instance's Auto Scaling group. */
  readonly autoScalingGroupName: string;
}

/**
 * IMDSv2 command printing the instance id: a session token first (IMDSv1 is off on these instances).
 * Written without `${`, which Terraform would read as interpolation.
 */
export const IMDS_INSTANCE_ID_COMMAND =
  'TOKEN="$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H \'X-aws-ec2-metadata-token-ttl-seconds: 60\')" && ' +
  'curl -fsS -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id';

/** Path of the host's failure reporter (`hostReportLines`), by container name. */
export function hostReportPath(name: string): string {
  return `/usr/local/bin/${name}-report`;
}

/** Where the boot script notes the version of each secret it read, one `<id> <VersionId>` line a read (tmpfs, root only). */
function secretVersionsFile(name: string): string {
  return `/run/${name}/secret-versions`;
}

/**
 * The host's failure reporter, a script the boot script and the watches call with one message: it goes to the
 * journal and, as one event, to the stream `host/<instance id>` of the environment's log group, beside the
 * container's logs, where operators look (nobody reads an instance's journal). It never fails its caller: with
 * CloudWatch out of reach the message is only in the journal. The message reaches python's JSON encoding as an
 * argument, never through the shell. Written small (EC2 takes 16 KiB of user data): the instance id is
 * cloud-init's copy, the log group named once.
 */
function hostReportLines(name: string, region: string, logGroupName: string): string[] {
  const bin = hostReportPath(name);
  // Bytes that are not UTF-8 (a log line cut mid-character) are replaced: CloudWatch refuses the event otherwise.
  const event = shellQuote('import json,os,sys,time;m=os.fsencode(sys.argv[1]).decode("utf-8","replace");print(json.dumps([{"timestamp":int(time.time()*1e3),"message":m}]))');
  return [
    `cat > ${bin} <<'REPORT'`,
    '#!/bin/bash',
    `logger -t ${name} -- "$1"`,
    'i="$(cat /var/lib/cloud/data/instance-id)" || i=unknown',
    `a=(--region ${region} --log-group-name ${shellQuote(logGroupName)} --log-stream-name "host/$i" --cli-connect-timeout 5)`,
    // Refused once the stream exists: expected.
    'aws logs create-log-stream "${a[@]}" >/dev/null 2>&1',
    `e="$(python3 -c ${event} "$1")" && aws logs put-log-events "\${a[@]}" --log-events "$e" >/dev/null 2>&1`,
    'exit 0',
    'REPORT',
    `chmod 755 ${bin}`,
  ];
}

/**
 * Shell functions that read Secrets Manager, defined once at the top of the script so each secret costs one short
 * line (EC2 takes 16 KiB of user data). JSON output decoded by python3 (on Amazon Linux 2023), so a value reaches
 * the file byte for byte: the text output would add a line break.
 * - `sm_value <id>`: the SecretString; `sm_key <id> <key>`: one key of the JSON object it holds (`sm_dec` decodes).
 *   Each read gets the VersionId in the same call and appends `<id> <version>` to `secretVersionsFile`.
 * - `sm_first <id> <token> <length>`: the value, or, when the secret has none yet, a random one of that many
 *   letters and digits, written first with the client request token (a second writer is refused and reads the
 *   first one's value). Only a secret with no value gets one: any other failure (throttling, IAM not there yet)
 *   stops the boot rather than risk replacing a live value.
 */
function secretFunctions(region: string, name: string): string[] {
  const get = `aws secretsmanager get-secret-value --region ${region} --secret-id "$1" --query '[SecretString,VersionId]' --output json`;
  // Arguments: the versions file, the secret id, the key if any.
  const decode = shellQuote('import json, sys; v, n = json.load(sys.stdin); f, i, *k = sys.argv[1:]; open(f, "a").write(f"{i} {n}\\n"); sys.stdout.write(str(json.loads(v)[k[0]] if k else v))');
  const generate = shellQuote("import secrets, string, sys; a = string.ascii_letters + string.digits; print(''.join(secrets.choice(a) for _ in range(int(sys.argv[1]))))");
  return [
    `sm_json() { ${get}; }`,
    `sm_dec() { python3 -c ${decode} ${secretVersionsFile(name)} "$@"; }`,
    'sm_value() { sm_json "$1" | sm_dec "$@"; }',
    'sm_key() { sm_value "$@"; }',
    'sm_first() {',
    '  local errf out first',
    '  errf="$(mktemp)"',
    `  if out="$(sm_json "$1" 2>"$errf")"; then printf '%s' "$out" | sm_dec "$1"; return; fi`,
    '  grep -q ResourceNotFoundException "$errf" || { cat "$errf" >&2; return 1; }',
    `  first="$(python3 -c ${generate} "$3")"`,
    '  [ -n "$first" ] || return 1',
    // A refusal (another server wrote first, or no permission) shows in the read below, which stops the boot (reported).
    `  aws secretsmanager put-secret-value --region ${region} --secret-id "$1" --client-request-token "$2" --secret-string "$first" >/dev/null 2>&1 || true`,
    '  sm_value "$1"',
    '}',
  ];
}

/**
 * The boot script of an Amazon Linux 2023 server: start the liveness watch, install and start Docker
 * (retrying while the network comes up), read each secret from Secrets Manager with the preinstalled AWS CLI,
 * log in to ECR with the instance role, and run the container with `--restart=always`, its logs going to
 * CloudWatch. Built on the shared `renderBootScript`, so every cloud's machines boot the same way.
 */
export function awsBootScript(o: AwsBootScriptOptions): string {
  const region = shellQuote(o.region);
  const secretCommand = (ref: SecretRef): string => {
    const location = o.secrets[ref.secret];
    if (!location) throw new Error(`No Secrets Manager secret is known for "${ref.secret}"; known: ${Object.keys(o.secrets).join(', ') || 'none'}`);
    const id = shellQuote(location.arn);
    if (location.generateLength !== undefined) {
      const token = `cdktf-serverpod-first-value-${ref.secret}`.padEnd(32, '0').slice(0, 64);
      return `sm_first ${id} ${shellQuote(token)} ${location.generateLength}`;
    }
    return location.jsonKey === undefined ? `sm_value ${id}` : `sm_key ${id} ${shellQuote(location.jsonKey)}`;
  };
  const options: BootScriptOptions = {
    containerName: o.containerName,
    image: o.image,
    environment: o.environment,
    ports: o.ports,
    args: o.args,
    serverIdCommand: IMDS_INSTANCE_ID_COMMAND,
    secretCommand,
    registryLogin: o.registryHost === undefined ? [] : [`aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${shellQuote(o.registryHost)}`],
    // Non-blocking: in the default blocking mode a container does not start (at boot, or restarting after a crash)
    // while CloudWatch Logs is out of reach; lines past the buffer are dropped instead.
    dockerFlags: ['--log-driver=awslogs', `--log-opt awslogs-region=${region}`, `--log-opt awslogs-group=${shellQuote(o.logGroupName)}`, '--log-opt mode=non-blocking', '--log-opt max-buffer-size=4m'],
    prelude: [
      ...hostReportLines(o.containerName, region, o.logGroupName),
      // A boot that stops (a secret not readable, no image to pull) says where, with cloud-init's last lines.
      `trap '${hostReportPath(o.containerName)} "boot stopped (exit $?) at line $LINENO: $BASH_COMMAND; $(tail -n5 /var/log/cloud-init-output.log)"' ERR`,
      // First, so an instance whose boot fails below is still found and replaced.
      ...(o.liveness ? livenessWatchLines(o.containerName, region, o.liveness) : []),
      'for attempt in 1 2 3 4 5 6 7 8 9 10; do dnf install -y docker && break; sleep 15; done',
      'systemctl enable --now docker',
      ...secretFunctions(region, o.containerName),
    ],
    epilogue: [
      ...(o.launchReadiness ? launchReadinessLines(o.containerName, region, o.launchReadiness) : []),
      ...(o.rotationWatch ? rotationWatchLines(o.containerName, region, o.rotationWatch) : []),
    ],
  };
  return renderBootScript(options);
}

/** A GET of the server on this instance that succeeds only on a 200 answer within the timeout (the target groups' matcher). */
function readyProbe(port: number, path: string, timeoutSec: number): string {
  // curl -f would pass a redirect too; -w prints 000 when there is no answer.
  return `[ "$(curl -sS -o /dev/null -w '%{http_code}' -m ${timeoutSec} ${shellQuote(`http://127.0.0.1:${port}${path}`)})" = 200 ]`;
}

/**
 * The liveness probe. With a path: a GET that succeeds on any answer below 400 within the timeout. Without: a TCP
 * connect to the container's own address. Not to 127.0.0.1: Docker's userland proxy accepts there for the published
 * port whether or not the server inside listens. Not an HTTP request either: before /livez, Serverpod's GET / runs
 * its database check, and a slow database would time the probe out: liveness must not follow the database.
 */
function aliveProbe(name: string, watch: LivenessWatch): string {
  const t = watch.timeoutSec;
  if (watch.path) return `curl -fsS -o /dev/null -m ${t} ${shellQuote(`http://127.0.0.1:${watch.port}${watch.path}`)}`;
  const ip = `timeout ${t} docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' ${shellQuote(name)}`;
  return `ip="$(${ip})" && timeout ${t} bash -c "</dev/tcp/$ip/${watch.port}"`;
}

/** Writes a unit file from its lines. */
function unitFile(path: string, lines: readonly string[]): string {
  return `printf '%s\\n' ${lines.map(shellQuote).join(' ')} > ${path}`;
}

/**
 * The liveness watch: a script and a service that runs it, written and started by the boot script. It marks this
 * instance unhealthy in its Auto Scaling group when the server never came up within the grace period, or stopped
 * answering after it had; the group then replaces it. (Comments stay here: the script's bytes count in user data.)
 */
function livenessWatchLines(name: string, region: string, watch: LivenessWatch): string[] {
  const bin = `/usr/local/bin/${name}-liveness`;
  const report = hostReportPath(name);
  const probe = aliveProbe(name, watch);
  return [
    `cat > ${bin} <<'WATCH'`,
    '#!/bin/bash',
    'set -uo pipefail',
    'alive=0; failures=0; marked=0',
    `while sleep ${watch.intervalSec}; do`,
    `  if ${probe}; then alive=1; failures=0; continue; fi`,
    '  failures=$((failures + 1))',
    '  uptime="$(cut -d. -f1 /proc/uptime)"',
    `  if [ "$alive" = 0 ] && [ "$uptime" -lt ${watch.graceSec} ]; then continue; fi`,
    `  if [ "$alive" = 1 ] && [ "$failures" -lt ${watch.failures} ]; then continue; fi`,
    // Read each time: after a reboot the network may not have been up at the first try.
    `  instance="$(${IMDS_INSTANCE_ID_COMMAND})" || instance=''`,
    // The watch keeps its own grace period; the group's would make the call a silent no-op at the boundary. It
    // goes on marking until the instance is gone: reported once, a refusal (a dead server left in service) each time.
    `  if out="$(aws autoscaling set-instance-health --region ${region} --instance-id "$instance" --health-status Unhealthy --no-should-respect-grace-period 2>&1)"`,
    `  then [ "$marked" = 1 ] || ${report} "port ${watch.port} not alive (answered before: $alive, failed probes: $failures): marked $instance unhealthy"; marked=1`,
    `  else ${report} "port ${watch.port} not alive; marking $instance unhealthy failed, retrying: $out"; fi`,
    'done',
    'WATCH',
    `chmod 755 ${bin}`,
    unitFile(`/etc/systemd/system/${name}-liveness.service`, [
      '[Unit]',
      'Description=Replace this instance when its server is not alive',
      'Wants=network-online.target',
      'After=network-online.target',
      '[Service]',
      `ExecStart=${bin}`,
      'Restart=on-failure',
      'RestartSec=10',
      '[Install]',
      'WantedBy=multi-user.target',
    ]),
    'systemctl daemon-reload',
    `systemctl enable --now ${name}-liveness.service`,
  ];
}

/** Waits until every readiness check answers 200, then lets the instance enter service (`LaunchReadiness`). */
function launchReadinessLines(name: string, region: string, r: LaunchReadiness): string[] {
  const report = hostReportPath(name);
  const ready = r.checks.map((c) => readyProbe(c.port, c.path, r.timeoutSec)).join(' && ');
  const complete =
    `aws autoscaling complete-lifecycle-action --region ${region} --lifecycle-hook-name ${shellQuote(r.hookName)} ` +
    `--auto-scaling-group-name ${shellQuote(r.autoScalingGroupName)} --instance-id "$(${IMDS_INSTANCE_ID_COMMAND})" --lifecycle-action-result CONTINUE`;
  return [
    // The launch lifecycle hook waits for this, and abandons the instance if it never comes.
    '# In service only once ready.',
    "out=''",
    `while [ "$(cut -d. -f1 /proc/uptime)" -lt ${r.graceSec} ]; do`,
    `  if ${ready}; then out="$(${complete} 2>&1)" && { out=ok; break; }; fi`,
    `  sleep ${r.intervalSec}`,
    'done',
    // Otherwise silent: the hook abandons the instance and the group launches another, again and again.
    `[ "$out" = ok ] || ${report} "not in service ${r.graceSec}s after boot, the launch hook abandons this instance: \${out:-the server is not ready}"`,
  ];
}

/** The rotation watch: a script, a oneshot service and a timer, written by the boot script. */
function rotationWatchLines(name: string, region: string, watch: { secretArn: string; autoScalingGroupName: string }): string[] {
  const version = `aws secretsmanager get-secret-value --region ${region} --secret-id ${shellQuote(watch.secretArn)} --query VersionId --output text`;
  const state = `/var/lib/${name}/watched-secret-version`;
  const bin = `/usr/local/bin/${name}-rotation-watch`;
  const unit = `${name}-rotation-watch`;
  const report = hostReportPath(name);
  return [
    `mkdir -p /var/lib/${name}`,
    // The version the container's password was read with, in the same call: a rotation since then is seen at once.
    `v="$(awk -v i=${shellQuote(watch.secretArn)} '$1 == i { v = $2 } END { print v }' ${secretVersionsFile(name)})" || v=''`,
    `[ -z "$v" ] || echo "$v" > ${state}`,
    `cat > ${bin} <<'WATCH'`,
    '#!/bin/bash',
    'set -euo pipefail',
    // A watch that cannot read the version would miss the rotation: the servers keep the old password.
    // Runs every 10 minutes: its temporary file goes with it.
    'err="$(mktemp)"; trap \'rm -f "$err"\' EXIT',
    `now="$(${version} 2>"$err")" || { ${report} "rotation watch: cannot read the database password's version: $(cat "$err")"; exit 1; }`,
    // Seeded by the boot script; without it (not read at boot), the first run records the version current then.
    `s=${state}`,
    '[ -f "$s" ] || { echo "$now" > "$s"; exit 0; }',
    '[ "$now" = "$(cat "$s")" ] && exit 0',
    // The secret rotated: servers read it at boot, so replace them all, keeping full capacity.
    `if ! out="$(aws autoscaling start-instance-refresh --region ${region} --auto-scaling-group-name ${shellQuote(watch.autoScalingGroupName)} --preferences '{"MinHealthyPercentage":100,"MaxHealthyPercentage":200}' 2>&1)"; then`,
    // A refresh already running (another server saw the rotation first) is the expected refusal; anything else is reported.
    '  case "$out" in *InstanceRefreshInProgress*) exit 0 ;; esac',
    `  ${report} "could not start an instance refresh after the database password rotated: $out"`,
    '  exit 1',
    'fi',
    'WATCH',
    `chmod 755 ${bin}`,
    // Not fatal: the container already runs, and the timer tries again.
    `${bin} || true`,
    unitFile(`/etc/systemd/system/${unit}.service`, ['[Unit]', 'Description=Replace the servers when their database password rotates', '[Service]', 'Type=oneshot', `ExecStart=${bin}`]),
    unitFile(`/etc/systemd/system/${unit}.timer`, ['[Timer]', 'OnBootSec=10min', 'OnUnitActiveSec=10min', '[Install]', 'WantedBy=timers.target']),
    'systemctl daemon-reload',
    `systemctl enable --now ${unit}.timer`,
  ];
}
