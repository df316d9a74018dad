import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/**
 * One model of a synthesized stack (`cdk.tf.json`, or the same object from `TerraformStack.toTerraform()`), the
 * one thing the guardrails, the cost estimate and the diagram read: its resources by Terraform address, the
 * references between them resolved to resources, and the environment each resource belongs to. It reads any
 * cdktf stack, not only this package's; it never changes the JSON it is given.
 */

/** What a stack's JSON looks like, as far as the model reads it. */
export interface SynthesizedJson {
  /** cdktf's metadata: the stack's name and the environments marked in it. @default - none */
  readonly '//'?: {
    /** The stack's metadata. @default - none */
    readonly metadata?: {
      /** The stack's id. @default - none: the name given to the model */
      readonly stackName?: string;
      /** Construct path to environment name (`markEnvironment`). @default - none: guessed from construct paths */
      readonly environments?: Readonly<Record<string, string>>;
    };
  };
  /** Resources: type, then name, then arguments. @default - none */
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  /** Data sources: type, then name, then arguments. @default - none */
  readonly data?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  /** Provider configurations by provider name (a list: the default and its aliases). @default - none */
  readonly provider?: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
  /** The rest of the JSON (terraform, output, locals, ...), as written. */
  readonly [key: string]: unknown;
}

/** A resource of the stack. */
export interface ModelResource {
  /** The Terraform resource type: `google_sql_database_instance`. */
  readonly type: string;
  /** Its name in the JSON (cdktf's logical id). */
  readonly name: string;
  /** Its Terraform address, `type.name`. */
  readonly address: string;
  /** The construct path cdktf recorded for it (`cluster-gcp/cluster/production/Database/Resource`); '' if none. */
  readonly path: string;
  /** The environment it belongs to (`production`), when it belongs to one. @default - none: shared by the stack */
  readonly environment?: string;
  /** Its arguments as synthesized, without cdktf's `//` metadata. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The cloud its type belongs to, from the type's prefix: `google`, `aws`, `random`... */
  readonly cloud: string;
}

/** A reference from one resource's argument to another resource of the stack. */
export interface ModelReference {
  /** The referring resource's address. */
  readonly from: string;
  /** The argument the reference is in, dotted (`settings.ip_configuration.private_network`); `depends_on` too. */
  readonly at: string;
  /** The referenced resource's address. */
  readonly to: string;
  /** The attribute read (`id`, `name`, `self_link`); '' for a `depends_on` entry or a whole-resource reference. */
  readonly attribute: string;
}

/** The environment names a construct path is read for when the stack marks none (a user's own stack). */
const ENVIRONMENT_SEGMENTS: ReadonlySet<string> = new Set(['production', 'staging', 'prod', 'stage', 'dev', 'development', 'test', 'qa', 'preview']);

/** `${aws_s3_bucket.x.id}`, `${google_sql_database_instance.x.connection_name}`: type, name, attribute. */
const REFERENCE = /\b([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?/g;

/** `${local.production_Servers_UserData_1EF3FE7D}`: the local's name. */
const LOCAL = /\blocal\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/** A synthesized stack, read. */
export class StackModel {
  /** Reads a stack's JSON object. `name` defaults to the stack name cdktf recorded in it. */
  public static fromJson(json: SynthesizedJson, name?: string): StackModel {
    return new StackModel(json, name);
  }

  /** Reads `cdk.tf.json` at `file`. */
  public static fromFile(file: string, name?: string): StackModel {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file} is not a synthesized stack: ${(err as Error).message}`);
    }
    try {
      return new StackModel(json as SynthesizedJson, name);
    } catch (err) {
      throw new Error(`${file} is not a synthesized stack: ${(err as Error).message}`);
    }
  }

  /** The stack's name. */
  public readonly name: string;
  /** Every resource, in the JSON's order. */
  public readonly resources: readonly ModelResource[];
  /** The environments resources belong to, in order of first appearance. */
  public readonly environments: readonly string[];
  /** The JSON the model was read from. */
  public readonly json: SynthesizedJson;
  private readonly byAddress = new Map<string, ModelResource>();
  private readonly byType = new Map<string, ModelResource[]>();
  private referenceIndex?: { readonly from: Map<string, ModelReference[]>; readonly to: Map<string, ModelReference[]> };

  private constructor(json: SynthesizedJson, name?: string) {
    // What a hand-edited or foreign file may hold instead: said by where it is, not by a TypeError.
    const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (!isObject(json)) throw new Error('its JSON is not an object');
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      if (!isObject(byName)) throw new Error(`resource.${type} is not an object of resources by name`);
      for (const [n, body] of Object.entries(byName)) if (!isObject(body)) throw new Error(`resource.${type}.${n} is not an object of arguments`);
    }
    this.json = json;
    const metadata = json['//']?.metadata;
    this.name = name ?? metadata?.stackName ?? '';
    // Marked environment constructs (markEnvironment), longest path first so a nested one wins.
    const marked = Object.entries(metadata?.environments ?? {}).sort((a, b) => b[0].length - a[0].length);
    const resources: ModelResource[] = [];
    const environments = new Set<string>();
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      const list: ModelResource[] = [];
      for (const [resourceName, body] of Object.entries(byName)) {
        const { '//': meta, ...config } = body as { '//'?: { metadata?: { path?: string } } } & Record<string, unknown>;
        const path = meta?.metadata?.path ?? '';
        const environment = environmentOf(path, marked);
        if (environment) environments.add(environment);
        const resource: ModelResource = { type, name: resourceName, address: `${type}.${resourceName}`, path, environment, config, cloud: type.split('_')[0] };
        resources.push(resource);
        list.push(resource);
        this.byAddress.set(resource.address, resource);
      }
      this.byType.set(type, list);
    }
    this.resources = resources;
    this.environments = [...environments];
  }

  /** The resource at a Terraform address, if the stack has it. */
  public resource(address: string): ModelResource | undefined {
    return this.byAddress.get(address);
  }

  /** The resources of one type. */
  public ofType(type: string): readonly ModelResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The resources of one environment. */
  public inEnvironment(environment: string): readonly ModelResource[] {
    return this.resources.filter((r) => r.environment === environment);
  }

  /** The references a resource's arguments make to other resources of the stack. */
  public referencesFrom(resource: ModelResource | string): readonly ModelReference[] {
    return this.references().from.get(typeof resource === 'string' ? resource : resource.address) ?? [];
  }

  /** The references other resources make to this one. */
  public referencesTo(resource: ModelResource | string): readonly ModelReference[] {
    return this.references().to.get(typeof resource === 'string' ? resource : resource.address) ?? [];
  }

  /**
   * The resources (of `type`, if given) whose arguments refer to this one: the S3 bucket's encryption
   * configuration, the bucket's IAM members. `at` narrows to references from that argument.
   */
  public referrers(resource: ModelResource | string, type?: string, at?: string): readonly ModelResource[] {
    const seen = new Set<string>();
    const out: ModelResource[] = [];
    for (const ref of this.referencesTo(resource)) {
      if (seen.has(ref.from) || (at !== undefined && ref.at !== at)) continue;
      const from = this.byAddress.get(ref.from);
      if (from && (type === undefined || from.type === type)) {
        seen.add(ref.from);
        out.push(from);
      }
    }
    return out;
  }

  /** The resource an argument's value refers to (`${aws_s3_bucket.x.id}`), if it names one of the stack's. */
  public referenced(value: unknown): ModelResource | undefined {
    if (typeof value !== 'string' || !value.includes('${')) return undefined;
    for (const m of value.matchAll(REFERENCE)) {
      const found = this.byAddress.get(`${m[1]}.${m[2]}`);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The references a resource makes through the `local.<name>` values its arguments use (cdktf writes a long
   * script, say a launch template's user data, as a local), followed through locals that use other locals. Each is
   * given as made by the resource, `at` the argument that names the local. Not part of `referencesFrom`, which
   * stays what the resource's own arguments say.
   */
  public referencesViaLocals(resource: ModelResource | string): readonly ModelReference[] {
    const from = typeof resource === 'string' ? this.byAddress.get(resource) : resource;
    const locals = (this.json.locals ?? {}) as Readonly<Record<string, unknown>>;
    if (!from || Object.keys(locals).length === 0) return [];
    const out: ModelReference[] = [];
    const seen = new Set<string>();
    const follow = (name: string, at: string) => {
      if (seen.has(name) || !(name in locals)) return;
      seen.add(name);
      walkStrings(locals[name], '', (text) => {
        if (!text.includes('${')) return;
        for (const m of text.matchAll(REFERENCE)) {
          const target = `${m[1]}.${m[2]}`;
          if (target !== from.address && this.byAddress.has(target)) out.push({ from: from.address, at, to: target, attribute: m[3] ?? '' });
        }
        for (const m of text.matchAll(LOCAL)) follow(m[1], at);
      });
    };
    walkStrings(from.config, '', (text, at) => {
      if (text.includes('${')) for (const m of text.matchAll(LOCAL)) follow(m[1], at);
    });
    return out;
  }

  /** The provider configuration a resource uses (its `provider` alias, else the type's default). */
  public providerOf(resource: ModelResource): Readonly<Record<string, unknown>> | undefined {
    const ref = resource.config.provider;
    const [kind, alias] = typeof ref === 'string' ? ref.split('.') : [resource.cloud, undefined];
    const list = this.json.provider?.[kind] ?? [];
    return alias ? list.find((p) => p.alias === alias) : list.find((p) => p.alias === undefined) ?? list[0];
  }

  /** A resource's region: its own `region`/`location` argument, else its provider's region. */
  public regionOf(resource: ModelResource): string | undefined {
    for (const key of ['region', 'location']) {
      const own = resource.config[key];
      if (typeof own === 'string' && !own.includes('${')) return own;
    }
    const region = this.providerOf(resource)?.region;
    return typeof region === 'string' && !region.includes('${') ? region : undefined;
  }

  private references(): NonNullable<StackModel['referenceIndex']> {
    if (this.referenceIndex) return this.referenceIndex;
    const from = new Map<string, ModelReference[]>();
    const to = new Map<string, ModelReference[]>();
    const add = (ref: ModelReference) => {
      if (ref.to === ref.from) return;
      (from.get(ref.from) ?? from.set(ref.from, []).get(ref.from)!).push(ref);
      (to.get(ref.to) ?? to.set(ref.to, []).get(ref.to)!).push(ref);
    };
    for (const resource of this.resources) {
      walkStrings(resource.config, '', (text, at) => {
        if (at === 'depends_on' || at.startsWith('depends_on.')) {
          if (this.byAddress.has(text)) add({ from: resource.address, at: 'depends_on', to: text, attribute: '' });
          return;
        }
        if (!text.includes('${')) return;
        for (const m of text.matchAll(REFERENCE)) {
          const target = `${m[1]}.${m[2]}`;
          if (this.byAddress.has(target)) add({ from: resource.address, at, to: target, attribute: m[3] ?? '' });
        }
      });
    }
    this.referenceIndex = { from, to };
    return this.referenceIndex;
  }
}

/** Calls `visit` with every string in a value and its dotted path (list indexes left out: `a.b`, not `a.0.b`). */
function walkStrings(value: unknown, at: string, visit: (text: string, at: string) => void): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) for (const item of value) walkStrings(item, at, visit);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkStrings(item, at ? `${at}.${key}` : key, visit);
  }
}

function environmentOf(path: string, marked: readonly (readonly [string, string])[]): string | undefined {
  if (!path) return undefined;
  for (const [prefix, name] of marked) if (path === prefix || path.startsWith(`${prefix}/`)) return name;
  // Not under a marked environment (a user's own stack, or a resource added by hand to one of ours): the first
  // construct id, or word of one (`myapp-production`), that names an environment.
  for (const segment of path.split('/')) {
    const word = segment.toLowerCase().split(/[-_]/).find((w) => ENVIRONMENT_SEGMENTS.has(w));
    if (word) return word;
  }
  return undefined;
}

/**
 * Every stack cdktf synthesized into `outdir` (`cdktf.out`): `stacks/<name>/cdk.tf.json`, by stack name. Only
 * the named stacks, when `names` is given (an unknown one is an error naming the ones there are).
 */
export function loadSynthesizedStacks(outdir: string, names?: readonly string[]): StackModel[] {
  const folder = join(outdir, 'stacks');
  const present = existsSync(folder) ? readdirSync(folder).filter((n) => existsSync(join(folder, n, 'cdk.tf.json'))).sort() : [];
  if (present.length === 0) throw new Error(`No synthesized stacks in ${folder}: run \`cdktf synth\` first.`);
  const unknown = (names ?? []).filter((n) => !present.includes(n));
  if (unknown.length > 0) throw new Error(`No synthesized stack ${unknown.map((n) => `"${n}"`).join(', ')} in ${folder}; there are ${present.join(', ')}.`);
  return (names && names.length > 0 ? names : present).map((n) => StackModel.fromFile(join(folder, n, 'cdk.tf.json'), n));
}
