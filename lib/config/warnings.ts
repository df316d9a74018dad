import { AppProfile } from '../app/profile';
import { environmentHosts } from '../hosts';
import { ENVIRONMENT_NAMES } from '../naming';
import { isWritten, rawInputOf } from './load';
import { appProfileFromConfig } from './profile';
import { DeployConfig, STACK_IDS, StackId } from './schema';

/** A setting in the config file that does not do what it says; the synth goes on. */
export interface ConfigWarning {
  /** The deploy.yaml field, dotted: `stacks.cluster-gcp.redisTier`. */
  readonly field: string;
  /** The stack the field belongs to. @default - none: a top-level field */
  readonly stack?: StackId;
  /** What is wrong, completing `<field>: ` (`has no effect, as redis is false`). */
  readonly message: string;
}

type Path = readonly (string | number)[];

/**
 * What the synth warns about in the config: stacks that would publish the same hosts (see `sharedHosts`), and
 * settings the file writes that have no effect: Redis, storage and database settings with that part off, sizes and
 * `database.<env>` entries of an environment not in `environments`, web, Insights and maintenance settings of an app
 * without that server, state backends no enabled stack uses. Only what the file (or an environment override)
 * writes is reported, never a default, so the settings part needs a config the loader returned (lib/config/load.ts);
 * a stack with `enabled: false` is left alone (its entry is kept to switch it back on).
 *
 * `profile` is the app the stacks run (`appProfileFromConfig(config)` unless given).
 */
export function configWarnings(config: DeployConfig, profile?: AppProfile): ConfigWarning[] {
  const app = profile ?? appProfileFromConfig(config);
  return [...sharedHosts(config, app), ...noEffectWarnings(config, app)];
}

/** The domain a stack publishes its hosts under: its own, else the top-level one. */
export function stackDomain(config: DeployConfig, id: StackId): string {
  return config.stacks[id]?.domain ?? config.domain;
}

/**
 * Enabled stacks that would publish the same hosts. Each creates a DNS zone for its domain (Cloud DNS or Route 53)
 * with records for its hosts, and certificates validated through them; a domain is delegated to one zone, so only
 * one of the stacks can serve those hosts, whatever the clouds. Fine to synthesize side by side, not to deploy.
 */
function sharedHosts(config: DeployConfig, app: AppProfile): ConfigWarning[] {
  const published: [StackId, Set<string>][] = [];
  for (const id of STACK_IDS) {
    const stack = config.stacks[id];
    if (!stack?.enabled) continue;
    // Cloud Run domain mappings publish neither storage. nor the bare domain.
    const lb = !(id === 'serverless-gcp' && config.stacks[id]!.domains === 'domain-mappings');
    const options = { storage: config.storage && lb, webOnTopDomain: config.webOnTopDomain && lb };
    published.push([id, new Set(config.environments.flatMap((env) => environmentHosts(app, stackDomain(config, id), env, options).all))]);
  }
  const warnings: ConfigWarning[] = [];
  published.forEach(([id, hosts], i) => {
    for (const [earlier, theirs] of published.slice(0, i)) {
      const shared = [...hosts].filter((host) => theirs.has(host));
      if (shared.length === 0) continue;
      const more = shared.length > 1 ? ` and ${shared.length - 1} more host${shared.length > 2 ? 's' : ''}` : '';
      warnings.push({
        field: config.stacks[id]!.domain === undefined ? 'domain' : `stacks.${id}.domain`,
        stack: id,
        message: `${earlier} and ${id} both publish ${shared[0]}${more}, each in its own DNS zone, and a domain is delegated to one zone: deploy one of them, or give one its own domain (stacks.${id}.domain)`,
      });
      break;
    }
  });
  return warnings;
}

function noEffectWarnings(config: DeployConfig, app: AppProfile): ConfigWarning[] {
  const raw = rawInputOf(config);
  if (raw === undefined) return [];
  const warnings: ConfigWarning[] = [];
  const warn = (path: Path, message: string, stack?: StackId) => {
    if (isWritten(raw, path)) warnings.push({ field: path.join('.'), stack, message });
  };
  const noEffect = (path: Path, why: string, stack?: StackId) => warn(path, `has no effect, as ${why}`, stack);

  // What the stacks build, decided as the patterns decide it (a store-only database or Redis takes the settings too).
  const preset = config.app.preset;
  const storeIs = (kind: string) => config.mutableStore === kind;
  const database = (app.usesDatabase && config.database) || storeIs('postgres');
  const redis = (app.usesRedis && config.redis) || storeIs('redis');
  const whyNo = (part: 'database' | 'redis', on: boolean, uses: boolean, store: string) => {
    const forStore = preset === 'perseus' ? ` (mutableStore: ${store} adds one for the store)` : '';
    return !on ? `${part} is false${forStore}` : !uses ? `the ${preset} preset uses no ${part === 'redis' ? 'Redis' : 'database'}${forStore}` : '';
  };
  const noDatabase = whyNo('database', config.database, app.usesDatabase, 'postgres');
  const noRedis = whyNo('redis', config.redis, app.usesRedis, 'redis');
  const web = app.ports.some((p) => p.name === 'web');
  const noWeb = preset === 'serverpod' ? `the app publishes no web server (${config.app.web === false ? 'app.web is false' : 'app.web follows database, which is false'})` : 'the app has no port named web';

  if (config.database && !app.usesDatabase) noEffect(['database'], noDatabase);
  if (config.redis && !app.usesRedis) noEffect(['redis'], noRedis);
  if (!database || preset === 'perseus') noEffect(['app', 'applyMigrations'], preset === 'perseus' ? 'the perseus preset applies no migrations' : noDatabase);
  // The bare domain goes to the main port when there is no web port: an effect, but not the one the name promises.
  if (config.webOnTopDomain && !web) warn(['webOnTopDomain'], `${noWeb}, so the bare domain serves the ${app.mainPort.name} port instead`);
  const enabled = (id: StackId) => config.stacks[id]?.enabled === true;
  if (!enabled('cluster-gcp') && !enabled('serverless-gcp')) noEffect(['state', 'gcs'], 'no GCP stack is enabled (state.gcs is for cluster-gcp and serverless-gcp)');
  if (!enabled('cluster-aws')) noEffect(['state', 's3'], 'cluster-aws is not enabled (state.s3 is for it)');

  /** The per-environment parts of a stack: whole entries of environments not deployed, else `fields` of each. */
  const perEnvironment = (id: StackId, fields: { field: string; off?: string }[]) => {
    const at = ['stacks', id];
    for (const env of ENVIRONMENT_NAMES) {
      if (!config.environments.includes(env)) {
        const why = `${env} is not in environments (${config.environments.join(', ')})`;
        noEffect([...at, 'sizes', env], why, id);
        noEffect([...at, 'database', env], why, id);
        continue;
      }
      if (!database) noEffect([...at, 'database', env], noDatabase, id);
      for (const { field, off } of fields) if (off !== undefined) noEffect([...at, 'sizes', env, field], off, id);
    }
  };
  const ifNo = (on: boolean, why: string) => (on ? undefined : why);
  const noStorage = 'storage is false';

  if (enabled('cluster-gcp')) {
    const id = 'cluster-gcp';
    const at = (field: string): Path => ['stacks', id, field];
    for (const field of ['redisTier', 'redisTransitEncryption']) if (!redis) noEffect(at(field), noRedis, id);
    for (const field of ['bucketNaming', 'storageCdn', 'bucketLocation', 'storageObjectAcls']) if (!config.storage) noEffect(at(field), noStorage, id);
    if (!web) noEffect(at('webCdn'), noWeb, id);
    perEnvironment(id, [
      ...['databaseTier', 'databaseAvailability', 'databaseMaxConnections', 'databaseStorageGb'].map((field) => ({ field, off: ifNo(database, noDatabase) })),
      { field: 'redisMemoryGb', off: ifNo(redis, noRedis) },
    ]);
  }

  if (enabled('cluster-aws')) {
    const id = 'cluster-aws';
    const stack = config.stacks[id]!;
    const at = (field: string): Path => ['stacks', id, field];
    if (!web) noEffect(at('webVia'), noWeb, id);
    if (!web || stack.webVia !== 'cloudfront') noEffect(at('cloudFrontPrefixListId'), web ? 'webVia is not cloudfront' : noWeb, id);
    // They shape the VPC the stack creates; an existing one has its own range and way out.
    if (stack.existingVpc) for (const field of ['vpcCidr', 'egress']) noEffect(at(field), 'existingVpc is set (the stack creates no VPC)', id);
    perEnvironment(id, [
      ...['databaseInstanceClass', 'databaseMultiAz', 'databaseStorageGb', 'databaseMaxConnections'].map((field) => ({ field, off: ifNo(database, noDatabase) })),
      ...['redisNodeType', 'redisNodes'].map((field) => ({ field, off: ifNo(redis, noRedis) })),
    ]);
  }

  if (enabled('serverless-gcp')) {
    const id = 'serverless-gcp';
    const at = (field: string): Path => ['stacks', id, field];
    for (const field of ['redisTier', 'redisTransitEncryption']) if (!redis) noEffect(at(field), noRedis, id);
    for (const field of ['storageCdn', 'storageObjectAcls']) if (!config.storage) noEffect(at(field), noStorage, id);
    if (!database) noEffect(at('databaseConnectivity'), noDatabase, id);
    // The stack passes Redis on for redis: true or a Redis store, and the pattern then reaches it through the VPC.
    const throughVpc = (database && config.stacks[id]!.databaseConnectivity === 'private') || config.redis || storeIs('redis');
    if (!throughVpc) {
      noEffect(at('existingNetwork'), `nothing goes through the VPC (${database ? 'databaseConnectivity is cloud-sql-connector' : noDatabase}, and there is no Redis)`, id);
    }
    // The migrations job runs the image in the maintenance role, against the database.
    if (!database) noEffect(at('migrationsJob'), noDatabase, id);
    else if (!app.supportsRole('maintenance')) noEffect(at('migrationsJob'), `the ${preset} preset has no maintenance role, which the migrations job runs in`, id);
    if (!app.supportsRole('maintenance')) {
      const why = preset === 'serverpod' ? 'Serverpod runs its maintenance role only with a database (database is false)' : preset === 'custom' ? 'app.roles has no maintenance' : `the ${preset} preset has no maintenance role`;
      noEffect(at('maintenanceSchedule'), why, id);
    }
    if (!app.ports.some((p) => p.name === 'insights')) noEffect(at('publicInsights'), preset === 'serverpod' ? 'Serverpod runs Insights only with a database (database is false)' : `the ${preset} preset has no Insights server`, id);
    perEnvironment(id, [
      ...['databaseTier', 'databaseMaxConnections', 'databaseStorageGb'].map((field) => ({ field, off: ifNo(database, noDatabase) })),
      { field: 'redisMemoryGb', off: ifNo(redis, noRedis) },
    ]);
  }
  return warnings;
}
