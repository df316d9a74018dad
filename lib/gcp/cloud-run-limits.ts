// Cloud Run's sizing rules, shared by the constructs and the config schema (no provider imports here, so the
// config can use them without loading the Google provider).
import { imageRegistryKind } from '../app/image';

/** Memory sizes Cloud Run accepts here. */
export const CLOUD_RUN_MEMORY = ['512Mi', '1Gi', '2Gi', '4Gi', '8Gi', '16Gi', '32Gi'] as const;
/** One of `CLOUD_RUN_MEMORY`. */
export type CloudRunMemory = (typeof CLOUD_RUN_MEMORY)[number];
/** CPU counts per instance. */
export const CLOUD_RUN_CPU = ['1', '2', '4', '8'] as const;
/** One of `CLOUD_RUN_CPU`. */
export type CloudRunCpu = (typeof CLOUD_RUN_CPU)[number];

function mib(memory: CloudRunMemory): number {
  return memory.endsWith('Gi') ? Number(memory.slice(0, -2)) * 1024 : Number(memory.slice(0, -2));
}

/**
 * Why a CPU/memory pair is refused, or undefined when Cloud Run accepts it: 2 CPUs need at least 1Gi, 4 need
 * 2Gi, 8 need 4Gi; more than 4Gi needs 2 CPUs, more than 8Gi needs 4, more than 16Gi needs 8.
 */
export function cpuMemoryProblem(cpu: CloudRunCpu, memory: CloudRunMemory): string | undefined {
  const minMemory: Record<CloudRunCpu, CloudRunMemory> = { '1': '512Mi', '2': '1Gi', '4': '2Gi', '8': '4Gi' };
  if (mib(memory) < mib(minMemory[cpu])) return `at least ${minMemory[cpu]} with ${cpu} CPUs`;
  const minCpu = mib(memory) > 16384 ? 8 : mib(memory) > 8192 ? 4 : mib(memory) > 4096 ? 2 : 1;
  if (Number(cpu) < minCpu) return `at most ${Number(cpu) === 1 ? '4Gi' : Number(cpu) === 2 ? '8Gi' : '16Gi'} with ${cpu} CPU(s) (${memory} needs ${minCpu})`;
  return undefined;
}

/** A five-field cron expression with plausible field contents. */
export function isCron(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[\d*/,\-A-Za-z?]+$/.test(f));
}

/** Regions where Cloud Run domain mappings are offered. */
export const DOMAIN_MAPPING_REGIONS: readonly string[] = [
  'asia-east1',
  'asia-northeast1',
  'asia-southeast1',
  'europe-north1',
  'europe-west1',
  'europe-west4',
  'us-central1',
  'us-east1',
  'us-east4',
  'us-west1',
];

/**
 * Why Cloud Run cannot run an image from elsewhere (completing "expected ..."), or undefined: it pulls from Artifact
 * Registry (with the `gcr.io` hosts it serves) and public images on Docker Hub and GitHub's registry; any other
 * registry needs an Artifact Registry remote repository in front of it (cloud.google.com/run/docs/deploying,
 * "Supported container registries and images").
 */
export function cloudRunImageProblem(reference: string): string | undefined {
  if (imageRegistryKind(reference) !== 'other') return undefined;
  return 'an image Cloud Run can pull: one in Artifact Registry (<location>-docker.pkg.dev, gcr.io), or a public one on docker.io or ghcr.io; for another registry put an Artifact Registry remote repository in front of it and name the image through that';
}
