import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';
import { ProblemCollector } from '../validation';
import { BUILD_TIME_STRATEGIES, MUTABLE_STRATEGIES, RenderingStrategy, perseusTargetProblems } from './perseus-strategies';
import { AppProfile, MUTABLE_STORE_KINDS, MutableStoreKind } from './profile';

/** A mutable store a platform provisions next to the server (see `AppProfileProps.mutableData`). */
export interface MutableStoreOptions {
  /** `bucket` (object storage), `redis`, or `postgres`. */
  readonly kind: MutableStoreKind;
  /**
   * Region (or bucket location) the store lives in. Keep it the servers' region: every request that touches the
   * store pays the round trip to it.
   * @default - the servers' region
   */
  readonly region?: string;
}

/** What a store outside the servers' region costs, in the words of Perseus' deployment guide. */
export function storeLatencyCost(serverRegion: string, storeRegion: string): string {
  return (
    `the mutable store is in ${storeRegion} but the server runs in ${serverRegion}: every request for a revalidating or ` +
    'incrementally generated page goes to the store and back (four trips instead of two), and each of those trips now ' +
    'crosses regions, adding tens to hundreds of milliseconds to time to first byte'
  );
}

/**
 * Whether a store sits in the servers' region. Locations compare case-insensitively, so a bucket location
 * `US-CENTRAL1` matches `us-central1`; a multi-region (`US`, `EU`) or dual-region location does not: it is
 * not pinned next to the server.
 */
export function sameRegion(serverRegion: string, storeRegion: string): boolean {
  return serverRegion.toLowerCase() === storeRegion.toLowerCase();
}

const REGION = /^[a-z]{2,}(-[a-z]+)+-?[0-9]+$/;
const BUCKET_LOCATION = /^([a-z]{2,}(-[a-z]+)+-?[0-9]+|[a-z]{2,}[0-9]*)$/i;

/** The filesystem a platform gives the server. */
export type ServerFilesystem = 'read-only' | 'writable';

export interface MutableStoreCheck {
  readonly profile: AppProfile;
  /** The platform's filesystem: Cloud Run's is `read-only` (in memory, per instance); clusters' is `writable`. */
  readonly filesystem: ServerFilesystem;
  readonly serverRegion: string;
  readonly store?: MutableStoreOptions;
  /** Most instances one environment may run, for the shared-copy warning on clusters. */
  readonly maxInstances: number;
}

function strategiesOf(profile: AppProfile): readonly RenderingStrategy[] | undefined {
  const strategies = (profile as { strategies?: readonly RenderingStrategy[] }).strategies;
  return Array.isArray(strategies) ? strategies : undefined;
}

/**
 * Checks a platform's mutable store against the profile: problems go into `problems` (a profile with mutable
 * data on a read-only filesystem without a store; a store outside the servers' region for a latency-sensitive
 * profile); what only costs time or money becomes a synth warning on `scope`.
 */
export function checkMutableStore(scope: IConstruct, problems: ProblemCollector, check: MutableStoreCheck): void {
  const { profile, store, serverRegion } = check;
  // cdktf prints the construct path beside each warning; the class name says which pattern spoke.
  const label = scope.constructor.name;
  if (store) {
    problems.check(MUTABLE_STORE_KINDS.includes(store.kind), 'mutableStore.kind', store.kind, `one of ${MUTABLE_STORE_KINDS.join(', ')}`);
    if (store.region !== undefined) {
      // Redis and databases live in one region; a bucket may also be a multi- or dual-region location (US, EU, NAM4).
      const ok = store.kind === 'bucket' ? BUCKET_LOCATION.test(store.region) : REGION.test(store.region);
      problems.check(ok, 'mutableStore.region', store.region, store.kind === 'bucket' ? 'a region such as us-central1, or a bucket location such as US or EU' : `a region such as us-central1 (a ${store.kind} store lives in one region)`);
    }
  }
  const strategies = strategiesOf(profile);
  if (check.filesystem === 'read-only') {
    if (strategies) {
      for (const p of perseusTargetProblems(strategies, 'read-only-filesystem', store?.kind)) problems.add({ field: p.field, value: p.value, expected: p.allowed });
    } else if (profile.mutableData && !store) {
      problems.add({
        field: 'mutableStore',
        value: undefined,
        expected: `a mutable store (bucket, redis or postgres): the profile "${profile.name}" changes data while it runs (mutableData), and this filesystem is lost when an instance stops`,
      });
    }
  }
  if (store && !profile.mutableData) {
    const why = strategies ? `its strategies (${strategies.join(', ') || 'none'}) never write Perseus' mutable store` : 'it has no mutableData';
    Annotations.of(scope).addWarning(`${label}: a ${store.kind} mutable store is provisioned for "${profile.name}", but ${why}; it only adds cost. Remove mutableStore.`);
  }
  if (strategies && strategies.every((s) => BUILD_TIME_STRATEGIES.includes(s))) {
    Annotations.of(scope).addWarning(`${label}: "${profile.name}" uses only build-time strategies; a static export (\`perseus deploy -e\`) on a static site (GcpStaticSite, AwsStaticSite) needs no server at all.`);
  }
  if (store?.region !== undefined && !sameRegion(serverRegion, store.region)) {
    const cost = storeLatencyCost(serverRegion, store.region);
    if (profile.latencySensitive) {
      problems.check(false, 'mutableStore.region', store.region, `${serverRegion}, the servers' region, for a latency-sensitive app: ${cost}`);
    } else {
      Annotations.of(scope).addWarning(`${label}: ${cost}. Put the store in ${serverRegion}, or accept the latency.`);
    }
  }
  if (check.filesystem === 'writable' && profile.mutableData && !store && check.maxInstances > 1) {
    const pages = strategies ? strategies.filter((s) => MUTABLE_STRATEGIES.includes(s)).join(' and ') : 'mutable data';
    Annotations.of(scope).addWarning(
      `${label}: up to ${check.maxInstances} instances each keep their own mutable store on disk, so pages using ${pages} can differ between instances ` +
        'until each one revalidates or generates them, and a replaced instance starts empty. Set mutableStore for one store the instances share.',
    );
  }
}
