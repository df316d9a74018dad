import { Token } from 'cdktf';
import { BootScriptOptions, renderBootScript, shellQuote } from '../app/boot-script';
import { ContainerEnvironment, SecretRef } from '../app/profile';

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
   * The secret is created empty and the first server to boot gives it a random value. Every server writes with
   * the same client request token, so a second writer is refused and reads the first one's value.
   * @default false
   */
  readonly generateIfMissing?: boolean;
}

export interface AwsBootScriptOptions {
  /** Container name on the instance. */
  readonly containerName: string;
  /** Image to run (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`, may be a token). */
  readonly image: string;
  /** ECR registry host to log in to (`<account>.dkr.ecr.<region>.amazonaws.com`, may be a token). */
  readonly registryHost: string;
  readonly region: string;
  readonly environment: ContainerEnvironment;
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
   * with the new value while the group keeps full capacity.
   * @default - no watch
   */
  readonly rotationWatch?: { readonly secretArn: string; readonly autoScalingGroupName: string };
}

/**
 * IMDSv2 command printing the instance id: a session token first (IMDSv1 is off on these instances).
 * Written without `${`, which Terraform would read as interpolation.
 */
export const IMDS_INSTANCE_ID_COMMAND =
  'TOKEN="$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H \'X-aws-ec2-metadata-token-ttl-seconds: 60\')" && ' +
  'curl -fsS -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id';

/**
 * The boot script of an Amazon Linux 2023 server: install and start Docker (retrying while the network comes
 * up), read each secret from Secrets Manager with the preinstalled AWS CLI, log in to ECR with the instance
 * role, and run the container with `--restart=always`, its logs going to CloudWatch. Built on the shared
 * `renderBootScript`, so every cloud's machines boot the same way.
 */
export function awsBootScript(o: AwsBootScriptOptions): string {
  const region = shellQuote(o.region);
  const secretCommand = (ref: SecretRef): string => {
    const location = o.secrets[ref.secret];
    if (!location) throw new Error(`No Secrets Manager secret is known for "${ref.secret}"; known: ${Object.keys(o.secrets).join(', ') || 'none'}`);
    const get = `aws secretsmanager get-secret-value --region ${region} --secret-id ${shellQuote(location.arn)} --query SecretString --output text`;
    if (location.generateIfMissing) {
      const token = `cdktf-serverpod-first-value-${ref.secret}`.padEnd(32, '0').slice(0, 64);
      // Only a secret with no value yet gets one: any other failure (throttling, IAM not there yet) stops the
      // boot rather than risk replacing a live value. The value is checked before it is written.
      const put = `aws secretsmanager put-secret-value --region ${region} --secret-id ${shellQuote(location.arn)} --client-request-token ${shellQuote(token)} --secret-string "$first"`;
      return `{ errf="$(mktemp)"; if out="$(${get} 2>"$errf")"; then printf '%s\\n' "$out"; elif grep -q ResourceNotFoundException "$errf"; then first="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"; [ -n "$first" ] || exit 1; ${put} >/dev/null 2>&1 || true; ${get}; else cat "$errf" >&2; exit 1; fi; }`;
    }
    if (!location.jsonKey) return get;
    return `${get} | python3 -c ${shellQuote(`import json, sys; print(json.load(sys.stdin)[${JSON.stringify(location.jsonKey)}])`)}`;
  };
  // The script becomes a Terraform string template: literal `${` and `%{` in values must not interpolate.
  const plain = Object.fromEntries(Object.entries(o.environment.plain).map(([k, v]) => [k, Token.isUnresolved(v) ? v : escapeTemplate(v)]));
  const options: BootScriptOptions = {
    containerName: o.containerName,
    image: o.image,
    environment: { plain, secrets: o.environment.secrets },
    ports: o.ports,
    args: o.args,
    serverIdCommand: IMDS_INSTANCE_ID_COMMAND,
    secretCommand,
    registryLogin: [`aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${shellQuote(o.registryHost)}`],
    dockerFlags: ['--log-driver=awslogs', `--log-opt awslogs-region=${region}`, `--log-opt awslogs-group=${shellQuote(o.logGroupName)}`],
    prelude: [
      'for attempt in 1 2 3 4 5 6 7 8 9 10; do dnf install -y docker && break; sleep 15; done',
      'systemctl enable --now docker',
    ],
  };
  const script = renderBootScript(options);
  return o.rotationWatch ? script + rotationWatchLines(o.containerName, region, o.rotationWatch) : script;
}

/** The rotation watch: a script, a oneshot service and a timer, written by the boot script. */
function rotationWatchLines(name: string, region: string, watch: { secretArn: string; autoScalingGroupName: string }): string {
  const version = `aws secretsmanager get-secret-value --region ${region} --secret-id ${shellQuote(watch.secretArn)} --query VersionId --output text`;
  const state = `/var/lib/${name}/watched-secret-version`;
  const bin = `/usr/local/bin/${name}-rotation-watch`;
  const unit = `${name}-rotation-watch`;
  return [
    `mkdir -p /var/lib/${name}`,
    `${version} > ${state}`,
    `cat > ${bin} <<'WATCH'`,
    '#!/bin/bash',
    'set -euo pipefail',
    `now="$(${version})"`,
    `[ "$now" = "$(cat ${state})" ] && exit 0`,
    '# The secret rotated: servers read it at boot, so replace them all, keeping full capacity.',
    `aws autoscaling start-instance-refresh --region ${region} --auto-scaling-group-name ${shellQuote(watch.autoScalingGroupName)} --preferences '{"MinHealthyPercentage":100,"MaxHealthyPercentage":200}' >/dev/null 2>&1 || true`,
    'WATCH',
    `chmod 755 ${bin}`,
    `printf '%s\\n' '[Unit]' 'Description=Replace the servers when their database password rotates' '[Service]' 'Type=oneshot' 'ExecStart=${bin}' > /etc/systemd/system/${unit}.service`,
    `printf '%s\\n' '[Timer]' 'OnBootSec=10min' 'OnUnitActiveSec=10min' '[Install]' 'WantedBy=timers.target' > /etc/systemd/system/${unit}.timer`,
    'systemctl daemon-reload',
    `systemctl enable --now ${unit}.timer`,
    '',
  ].join('\n');
}

/** Escapes Terraform template sequences (`${` and `%{`) in a literal. */
export function escapeTemplate(value: string): string {
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
