import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';
import { ProblemCollector } from '../validation';
import { BUILD_TIME_STRATEGIES, MUTABLE_STRATEGIES, RenderingStrategy } from './perseus-strategies';
import { AppProfile, MUTABLE_STORE_KINDS, MutableStoreKind } from './profile';

/**
 * A mutable store a platform provisions next to the server (see `AppProfileProps.mutableData`). For Perseus it is
 * only a place and its credentials: Perseus 0.4 ships one store, the filesystem (`FsMutableStore` over
 * `dist/mutable`), so the app uses a bucket, Redis or Postgres only through a `MutableStore` of its own
 * (docs/perseus.md).
 */
export interface MutableStoreOptions {
  /** `bucket` (object storage), `redis`, or `postgres`. */
  readonly kind: MutableStoreKind;
  /**
   * Region (or bucket location) the store lives in. Keep it the servers' region: a first load of a revalidating
   * page reads about five keys from it one after another, each paying the round trip.
   * @default - the servers' region
   */
  readonly region?: string;
}

/**
 * Store reads one first load (server-rendered) of a revalidating or incrementally generated page makes, one after
 * another (Perseus v0.4.2, packages/perseus/src/turbine/serve.rs): `<page>.revld.txt` (is it due?), `.json` (the
 * state), `.head.html`, `.html` and `.widgets.json` (the prerendered page); an incremental page reads its `.json`
 * once more first. A page that revalidates then also writes five (turbine/build.rs).
 */
export const STORE_READS_PER_FIRST_LOAD = 5;

/** What a store outside the servers' region costs: Perseus 0.4 reads it about five times per first load, in sequence. */
export function storeLatencyCost(serverRegion: string, storeRegion: string): string {
  return (
    `the mutable store is in ${storeRegion} but the server runs in ${serverRegion}: a first load of a revalidating or ` +
    `incrementally generated page reads about ${STORE_READS_PER_FIRST_LOAD} keys from the store one after another (and writes as many when it revalidates), ` +
    'and each of those round trips now crosses regions, adding about five times the round trip between the regions (tens to hundreds of milliseconds) to time to first byte'
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

/**
 * The filesystem a platform gives the server: `writable`, lasting as long as the container (the clusters' disks);
 * `in-memory`, writable but held in the instance's memory and lost when it stops (Cloud Run:
 * https://cloud.google.com/run/docs/container-contract#filesystem); `read-only`, where nothing can be written.
 */
export type ServerFilesystem = 'read-only' | 'in-memory' | 'writable';

/** What `checkMutableStore` judges: the profile, the platform it runs on, and the store it gets. */
export interface MutableStoreCheck {
  /** The app that runs. */
  readonly profile: AppProfile;
  /** The platform's filesystem: Cloud Run's is `in-memory` (per instance); clusters' is `writable`. */
  readonly filesystem: ServerFilesystem;
  /** The region the servers run in. */
  readonly serverRegion: string;
  /**
   * The store the platform provisions.
   * @default - none: the servers keep mutable data on their own filesystem
   */
  readonly store?: MutableStoreOptions;
  /** Most instances one environment may run, for the per-instance copy warnings. */
  readonly maxInstances: number;
}

function strategiesOf(profile: AppProfile): readonly RenderingStrategy[] | undefined {
  const strategies = (profile as { strategies?: readonly RenderingStrategy[] }).strategies;
  return Array.isArray(strategies) ? strategies : undefined;
}

/** What each instance does with Perseus' own filesystem store, in words for a warning (no leading capital). */
function perInstanceCopies(check: MutableStoreCheck, pages: string): string {
  const n = check.maxInstances;
  const unit = check.filesystem === 'writable' ? 'server' : 'instance';
  const who = n > 1 ? `each of up to ${n} ${unit}s keeps its own copy` : `the one ${unit} keeps its copy`;
  // perseus deploy copies dist/mutable into pkg/ (perseus-cli v0.4.2 src/deploy.rs), so an instance starts from the build's pages.
  const where =
    check.filesystem === 'writable'
      ? "in Perseus' filesystem store (FsMutableStore, dist/mutable on its disk), starting from the build's copy in the image"
      : "in Perseus' filesystem store (FsMutableStore, dist/mutable), starting from the build's copy in the image; on Cloud Run that " +
        "filesystem is the instance's memory, so the pages it writes (about the rendered page and its state, per page and locale; " +
        'incrementally generated pages add up with every new path) count against its memory limit and are lost when it stops';
  const differ = n > 1 ? `; pages using ${pages} can differ between ${unit}s until each one revalidates or generates them` : '';
  const replaced = check.filesystem === 'writable' ? `, and a replaced ${unit} starts again from the build's copy` : '';
  return `${who} ${where}${differ}${replaced}`;
}

/**
 * Checks a platform's mutable store against the profile: problems go into `problems` (mutable data on a
 * read-only filesystem without a store; an app of its own with mutable data on an in-memory filesystem without
 * one; a store outside the servers' region for a latency-sensitive profile); what only costs time, memory or
 * money, or depends on the app's code, becomes one synth warning on `scope`. A Perseus app that revalidates or
 * generates incrementally on Cloud Run without a store is a warning: Perseus' filesystem store works there, one
 * copy per instance, in memory. A store provisioned for Perseus is a warning too until the profile says
 * `implementsMutableStore`: Perseus 0.4 ships only the filesystem store (packages/perseus/src/stores/mutable.rs).
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
  const mutable = strategies ? strategies.filter((s) => MUTABLE_STRATEGIES.includes(s)) : [];
  const pages = strategies ? mutable.join(' and ') : 'mutable data';
  if (!store && check.filesystem === 'read-only' && (strategies ? mutable.length > 0 : profile.mutableData)) {
    // Perseus' filesystem store cannot write here: every page that revalidates or generates incrementally would fail.
    const what = strategies ? `the app uses ${pages}, which write page data while the server runs, and Perseus' only own store is the filesystem` : `the profile "${profile.name}" changes data while it runs (mutableData)`;
    problems.add({ field: 'mutableStore', value: undefined, expected: `a mutable store (bucket, redis or postgres): ${what}, which is read-only here` });
  } else if (!store && check.filesystem === 'in-memory' && !strategies && profile.mutableData) {
    // An app of its own may keep data that exists nowhere else; Perseus' pages are rebuilt from the image (below, a warning).
    problems.add({
      field: 'mutableStore',
      value: undefined,
      expected: `a mutable store (bucket, redis or postgres): the profile "${profile.name}" changes data while it runs (mutableData), and this filesystem is lost when an instance stops`,
    });
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
  if (strategies && mutable.length > 0 && check.filesystem !== 'read-only') {
    // One warning at most: either the store is not used yet, or there is none and each instance has its own copy.
    const implemented = (profile as { implementsMutableStore?: boolean }).implementsMutableStore === true;
    if (store && !implemented) {
      Annotations.of(scope).addWarning(
        `${label}: the ${store.kind} mutable store provisioned for "${profile.name}" is used only by app code that implements Perseus' MutableStore over it ` +
          "(PerseusAppWithMutableStore, reading the PERSEUS_STORE_* variables; Perseus ships only the filesystem store; docs/perseus.md). " +
          `Until the app does, ${perInstanceCopies(check, pages)}, as without a store. Once it does, set implementsMutableStore in perseusProfile().`,
      );
    } else if (!store && (check.filesystem === 'in-memory' || check.maxInstances > 1)) {
      Annotations.of(scope).addWarning(
        `${label}: ${perInstanceCopies(check, pages)}. For ${check.maxInstances > 1 ? 'one copy they all share' : 'a copy that outlives the instance'}, set mutableStore and implement Perseus' MutableStore over it in the app ` +
          '(Perseus ships only the filesystem store; docs/perseus.md).',
      );
    }
  } else if (!strategies && check.filesystem === 'writable' && profile.mutableData && !store && check.maxInstances > 1) {
    Annotations.of(scope).addWarning(
      `${label}: up to ${check.maxInstances} instances each keep their own copy of the data "${profile.name}" changes while it runs (mutableData) on their own disk, ` +
        'so it can differ between instances, and a replaced instance starts again from its image. Set mutableStore for one store the instances share.',
    );
  }
}
