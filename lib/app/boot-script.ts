import { gzipSync } from 'zlib';
import { Fn, Token } from 'cdktf';
import { tokenParts } from '../terraform-strings';
import { ProblemCollector } from '../validation';
import { ContainerEnvironment, SecretRef } from './profile';
import { DOCKER_CLI_VARIABLE, ENV_VAR_NAME } from './environment';

/**
 * Put this in `RuntimeContext.serverId` when each machine must get its own id: the boot script replaces it
 * with what `serverIdCommand` prints on that machine (its instance id or name).
 */
export const SERVER_ID_FROM_MACHINE = '__SERVER_ID_FROM_MACHINE__';

export { DOCKER_CLI_VARIABLE } from './environment';

/** What `renderBootScript` writes: the container, its environment, and the platform's shell lines around it. */
export interface BootScriptOptions {
  /** Container name on the machine. */
  readonly containerName: string;
  /** Image reference to pull and run. */
  readonly image: string;
  /** The profile's environment for this machine; secrets are fetched at boot by `secretCommand`. */
  readonly environment: ContainerEnvironment;
  /** Container ports published on the same host port. */
  readonly ports: readonly number[];
  /** Container arguments. @default [] */
  readonly args?: readonly string[];
  /** Shell command printing this machine's id, for `SERVER_ID_FROM_MACHINE`. */
  readonly serverIdCommand: string;
  /**
   * Shell command writing one secret's value to stdout byte for byte (run as root at boot, output never
   * logged): line breaks and a final newline are part of the value.
   */
  readonly secretCommand: (ref: SecretRef) => string;
  /** Shell lines that let docker pull from the registry. */
  readonly registryLogin: readonly string[];
  /** Extra `docker run` flags (log driver, ...). @default [] */
  readonly dockerFlags?: readonly string[];
  /** Shell lines run first (waiting for the network, installing docker, a liveness watch, ...). @default [] */
  readonly prelude?: readonly string[];
  /** Shell lines run after the container started. @default [] */
  readonly epilogue?: readonly string[];
}

/**
 * Refuses a boot script over a platform's size limit (EC2 user data, a Compute Engine metadata value), counted
 * after Terraform fills in its references: each at `tokenBytes` (a Secrets Manager ARN of a long key is about 180
 * characters). Names the environment, the part a user grows, and how much of the script it takes.
 */
export function bootScriptSizeProblems(
  problems: ProblemCollector,
  script: string,
  environment: ContainerEnvironment,
  limit: {
    /** The platform's limit in bytes. */
    readonly bytes: number;
    /** Whose limit it is, for the message (`EC2 user data, 16 KiB`). */
    readonly why: string;
    /**
     * Bytes each Terraform reference stands for once filled in.
     * @default 200
     */
    readonly tokenBytes?: number;
    /**
     * The platform receives the script gzipped (Terraform's `base64gzip`), so the limit is on the compressed size.
     * @default false
     */
    readonly gzip?: boolean;
  },
): void {
  // A reference is filled with text that does not compress (an ARN's ids hardly do), so the estimate errs high.
  let references = 0;
  const filled = script.replace(/\$\{TfToken\[[^\]]+\]\}/g, () => incompressible(limit.tokenBytes ?? 200, ++references));
  const bytes = limit.gzip ? gzippedBytes(filled) : Buffer.byteLength(filled, 'utf8');
  const plainBytes = Object.values(environment.plain).reduce((sum, v) => sum + Math.ceil(Buffer.byteLength(v, 'utf8') / 3) * 4, 0);
  problems.check(
    bytes <= limit.bytes,
    'profile.environment',
    `a boot script of about ${bytes} bytes${limit.gzip ? ' gzipped' : ''}, ${plainBytes} of them the environment's values (base64${limit.gzip ? ', before compression' : ''})`,
    `a boot script of at most ${limit.bytes} bytes (${limit.why}): shorten the environment values, move large ones to secrets, or declare fewer secrets`,
  );
}

/** Size of `text` gzipped as Terraform's `base64gzip` does (Go's default level, 6), before the base64. */
export function gzippedBytes(text: string): number {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 6 }).length;
}

/** `length` letters and digits from a pseudo-random sequence (one per `seed`): text gzip cannot shrink much. */
function incompressible(length: number, seed: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let text = '';
  for (let i = 0; i < length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    text += alphabet[(seed >>> 16) % alphabet.length];
  }
  return text;
}

/** Quotes a string for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/**
 * A shell word that prints `value` exactly: literal text travels base64-encoded (letters, digits, `+/=`: never
 * shell or template syntax), a cdktf token through Terraform's `base64encode`, so no value, whatever it holds,
 * is parsed by the shell or by Terraform.
 */
function printExactly(value: string): string {
  // Each part alone: cdktf writes the literal text of a mixed token string into the function call unescaped.
  const words = tokenParts(value).map((p) => {
    const encoded = p.token ? Fn.base64encode(p.text) : Buffer.from(p.text, 'utf8').toString('base64');
    return `printf '%s' '${encoded}' | base64 -d`;
  });
  if (words.length <= 1) return words[0] ?? "printf ''";
  return `{ ${words.map((w) => `${w}; `).join('')}}`;
}

/**
 * The machine's boot script, the same on every cloud. Each variable of the container is written to its own
 * root-only file on tmpfs (`/run/<name>/env/<NAME>`): plain values decoded from base64, secrets fetched now (never
 * stored in the template or the Terraform JSON). `docker run` then receives them through its own environment
 * (`-e NAME`), which carries any value byte for byte, line breaks included, unlike `--env-file`. The script logs
 * in to the registry and runs the container with `--restart=always`, replacing any copy from an earlier boot.
 * The constructs writing it escape its literal `${` and `%{` (`literalStrings`); tokens stay references.
 */
export function renderBootScript(o: BootScriptOptions): string {
  const names = [...Object.keys(o.environment.plain), ...Object.keys(o.environment.secrets)];
  const bad = names.filter((n) => !ENV_VAR_NAME.test(n) || DOCKER_CLI_VARIABLE.test(n));
  if (bad.length) throw new Error(`Container variables ${bad.join(', ')} cannot be passed: names must be letters, digits and _, and not ones the Docker CLI process reads (DOCKER_*, GO runtime settings, LD_*, HOME, PATH, TMPDIR)`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`Container variable ${dup} is both plain and secret`);

  const dir = `/run/${o.containerName}`;
  const envDir = `${dir}/env`;
  const lines: string[] = ['#!/bin/bash', 'set -euo pipefail', ...(o.prelude ?? [])];
  lines.push('umask 077', `rm -rf ${envDir}`, `mkdir -p ${envDir}`);
  const usesServerId = Object.values(o.environment.plain).some((v) => v.includes(SERVER_ID_FROM_MACHINE));
  if (usesServerId) lines.push(`SERVER_ID="$(${o.serverIdCommand})"`);
  for (const [name, value] of Object.entries(o.environment.plain)) {
    if (!Token.isUnresolved(value) && value.includes(SERVER_ID_FROM_MACHINE)) {
      const parts = value.split(SERVER_ID_FROM_MACHINE).map((part) => (part ? `${printExactly(part)}; ` : ''));
      lines.push(`{ ${parts.join(`printf '%s' "$SERVER_ID"; `)}} > ${envDir}/${name}`);
    } else {
      lines.push(`${printExactly(value)} > ${envDir}/${name}`);
    }
  }
  for (const [name, ref] of Object.entries(o.environment.secrets)) {
    // A failed fetch stops the script (set -e, pipefail) before anything runs.
    lines.push(`{ ${o.secretCommand(ref)}; } > ${envDir}/${name}`);
  }
  lines.push(...o.registryLogin);
  // A registry's passing 5xx or 429 (Docker Hub limits anonymous pulls per address) must not fail the boot, which
  // would replace the instance and pull again: five tries, 10 to 50 s apart, then the last try's error stops it.
  lines.push(`for attempt in 1 2 3 4 5; do docker pull ${shellQuote(o.image)} && break; sleep $((attempt * 10)); done`);
  lines.push(`docker image inspect ${shellQuote(o.image)} >/dev/null`);
  lines.push(`docker rm -f ${shellQuote(o.containerName)} >/dev/null 2>&1 || true`);
  lines.push(
    // Each value goes into docker's own environment (read -d '' keeps line breaks and a final newline); env -i keeps
    // the boot script's variables out of it.
    'docker_bin="$(command -v docker)"',
    'cli_env=(PATH="$PATH" HOME=/root)',
    'if [ -n "${DOCKER_CONFIG:-}" ]; then cli_env+=(DOCKER_CONFIG="$DOCKER_CONFIG"); fi',
    'container_env=()',
    `for name in ${names.join(' ')}; do`,
    `  value=''; IFS= read -r -d '' value < ${envDir}/"$name" || true`,
    '  container_env+=("$name=$value")',
    'done',
    'unset value',
  );
  const run = [
    'env -i "${cli_env[@]}" "${container_env[@]}"',
    '"$docker_bin" run -d',
    `--name ${shellQuote(o.containerName)}`,
    '--restart=always',
    ...names.map((n) => `-e ${n}`),
    ...o.ports.map((p) => `-p ${p}:${p}`),
    ...(o.dockerFlags ?? []),
    shellQuote(o.image),
    ...(o.args ?? []).map(shellQuote),
  ];
  lines.push(run.join(' '));
  lines.push(...(o.epilogue ?? []));
  return `${lines.join('\n')}\n`;
}
