import { ContainerEnvironment, SecretRef } from './profile';

/**
 * Put this in `RuntimeContext.serverId` when each machine must get its own id: the boot script replaces it
 * with what `serverIdCommand` prints on that machine (its instance id or name).
 */
export const SERVER_ID_FROM_MACHINE = '__SERVER_ID_FROM_MACHINE__';

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
  /** Shell command printing one secret's value (run as root at boot, output never logged). */
  readonly secretCommand: (ref: SecretRef) => string;
  /** Shell lines that let docker pull from the registry. */
  readonly registryLogin: readonly string[];
  /** Extra `docker run` flags (log driver, ...). @default [] */
  readonly dockerFlags?: readonly string[];
  /** Shell lines run first (waiting for the network, installing docker, ...). @default [] */
  readonly prelude?: readonly string[];
}

/** Quotes a string for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/**
 * The machine's boot script, the same on every cloud: write the environment to a root-only file on tmpfs
 * (secrets fetched now, never stored in the template or the Terraform JSON), log in to the registry, and run
 * the container with `--restart=always`, replacing any copy from an earlier boot.
 */
export function renderBootScript(o: BootScriptOptions): string {
  const envFile = `/run/${o.containerName}/container.env`;
  const lines: string[] = ['#!/bin/bash', 'set -euo pipefail', ...(o.prelude ?? [])];
  lines.push(`mkdir -p /run/${o.containerName}`, 'umask 077', `: > ${envFile}`);
  const usesServerId = Object.values(o.environment.plain).some((v) => v.includes(SERVER_ID_FROM_MACHINE));
  if (usesServerId) lines.push(`SERVER_ID="$(${o.serverIdCommand})"`);
  for (const [name, value] of Object.entries(o.environment.plain)) {
    if (/[\r\n]/.test(value)) throw new Error(`Environment variable ${name} holds a line break; docker env files cannot carry it`);
    if (value.includes(SERVER_ID_FROM_MACHINE)) {
      const parts = `${name}=${value}`.split(SERVER_ID_FROM_MACHINE).map((part) => (part ? shellQuote(part) : ''));
      lines.push(`printf '%s\\n' ${parts.join('"$SERVER_ID"')} >> ${envFile}`);
    } else {
      lines.push(`printf '%s\\n' ${shellQuote(`${name}=${value}`)} >> ${envFile}`);
    }
  }
  for (const [name, ref] of Object.entries(o.environment.secrets)) {
    // An assignment, so a failed fetch stops the script (set -e does not see failures inside printf's arguments).
    lines.push(`SECRET_VALUE="$(${o.secretCommand(ref)})"`, `printf '%s=%s\\n' ${shellQuote(name)} "$SECRET_VALUE" >> ${envFile}`);
  }
  lines.push('unset SECRET_VALUE', ...o.registryLogin);
  lines.push(`docker pull ${shellQuote(o.image)}`);
  lines.push(`docker rm -f ${shellQuote(o.containerName)} >/dev/null 2>&1 || true`);
  const run = [
    'docker run -d',
    `--name ${shellQuote(o.containerName)}`,
    '--restart=always',
    `--env-file ${envFile}`,
    ...o.ports.map((p) => `-p ${p}:${p}`),
    ...(o.dockerFlags ?? []),
    shellQuote(o.image),
    ...(o.args ?? []).map(shellQuote),
  ];
  lines.push(run.join(' '));
  return `${lines.join('\n')}\n`;
}
