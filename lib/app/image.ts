import { RULES } from '../rules';
import { ProblemCollector } from '../validation';
import { holdsTokenEncoding } from '../terraform-strings';

/**
 * Images from a registry other than the stack's own (`app.image` in deploy.yaml, the patterns' `image` prop). The
 * reference reaches Terraform JSON and the machines' boot scripts, so it is held to Docker's reference grammar
 * (`RULES.imageReference`: no `$`, braces, quotes, spaces or line breaks) and, beyond it, to a registry host and
 * a tag or digest: without a host Docker silently reads the first path part as a Docker Hub user, and an untagged
 * reference is `:latest`, which moves under a running deployment (each new server could pull another build).
 */
export const IMAGE_REFERENCE_EXPECTED =
  'a full image reference with its registry host and a tag or digest, such as ghcr.io/my-org/server:1.2 or docker.io/library/nginx:1.27 (registry/path:tag or registry/path@sha256:<64 hex digits>; lowercase path)';

/** Where an image comes from, as the platforms tell registries apart. */
export type ImageRegistryKind = 'artifact-registry' | 'docker-hub' | 'ghcr' | 'other';

/** Docker Hub under its names (`docker.io` is how Docker writes it; the others are the same registry). */
const DOCKER_HUB_HOSTS: readonly string[] = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'];

/**
 * The registry host of a reference with one (`ghcr.io` of `ghcr.io/org/app:1.2`), lowercased: the first path part
 * when it holds a `.` or a `:` (a port), as Docker decides; undefined when there is none.
 */
export function imageRegistryHost(reference: string): string | undefined {
  const slash = reference.indexOf('/');
  if (slash < 0) return undefined;
  const first = reference.slice(0, slash);
  return first.includes('.') || first.includes(':') ? first.toLowerCase() : undefined;
}

/**
 * The kind of registry a reference's host is: Artifact Registry (`<location>-docker.pkg.dev`, and the `gcr.io`
 * hosts it serves), Docker Hub, GitHub's (`ghcr.io`), or another.
 */
export function imageRegistryKind(reference: string): ImageRegistryKind {
  const host = (imageRegistryHost(reference) ?? 'docker.io').replace(/:\d+$/, '');
  if (/^([a-z0-9-]+-)?docker\.pkg\.dev$/.test(host) || /^([a-z0-9-]+\.)?gcr\.io$/.test(host)) return 'artifact-registry';
  if (DOCKER_HUB_HOSTS.includes(host)) return 'docker-hub';
  if (host === 'ghcr.io') return 'ghcr';
  return 'other';
}

/** Why a reference is refused (completing "expected ..."), or undefined when it is a full, pinned reference. */
export function imageReferenceProblem(reference: string): string | undefined {
  if (!RULES.imageReference.pattern.test(reference) || holdsTokenEncoding(reference)) return IMAGE_REFERENCE_EXPECTED;
  if (imageRegistryHost(reference) === undefined) return `${IMAGE_REFERENCE_EXPECTED}: name the registry (docker.io/library/nginx:1.27, not nginx:1.27)`;
  const last = reference.slice(reference.lastIndexOf('/') + 1);
  if (!last.includes(':') && !last.includes('@')) return `${IMAGE_REFERENCE_EXPECTED}: add a tag or digest (without one Docker pulls :latest, which changes under a running deployment)`;
  return undefined;
}

/**
 * Records a problem under `image` when a reference is given and is not a full image reference, or when `more` (a
 * platform's own rule, such as Cloud Run's registries) refuses it.
 */
export function imageProblems(problems: ProblemCollector, reference: string | undefined, more?: (reference: string) => string | undefined): void {
  if (reference === undefined) return;
  const problem = imageReferenceProblem(reference) ?? more?.(reference);
  problems.check(problem === undefined, 'image', reference, problem ?? '');
}
