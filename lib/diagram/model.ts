import { block, blocks, isExpression, list, policyStatements } from '../guardrails/rule';
import { ModelReference, ModelResource, StackModel } from '../model/stack-model';
import { DiagramNodeKind, NODE_TYPES, OWNER_ARGUMENTS, ResourceRole, plainTitle, roleOf } from './catalog';

/**
 * The diagram model of a synthesized stack: boxes, the groups around them and labelled edges, built from the
 * stack's JSON (through `StackModel`) and the construct paths cdktf records in it. Rendering (DOT, Mermaid, SVG,
 * PNG) is a separate step, so the model can be tested as data.
 *
 * One box per thing a reader cares about (a server group, a Cloud Run service, a database, a bucket...), not one
 * per Terraform resource: supporting resources fold into the box they serve and stay listed in its `resources`.
 */

/** A box. */
export interface DiagramNode {
  /** Stable id: the Terraform address of its (first) resource, or `internet` / `dns-zone:<zone>` for the boxes the diagram adds. */
  readonly id: string;
  /** What it is (`database`, `server-group`...): its shape and colour. */
  readonly kind: DiagramNodeKind;
  /** First line: the service (`Cloud SQL Postgres 16`). */
  readonly title: string;
  /** The lines under it: name, size, port. */
  readonly lines: readonly string[];
  /**
   * The innermost group it is drawn in.
   * @default - none: a box of the whole stack (load balancer, DNS zone, registry...)
   */
  readonly group?: string;
  /**
   * The environment its resources belong to.
   * @default - none: it serves the whole stack
   */
  readonly environment?: string;
  /** The addresses it stands for: its own resources first (several when alike boxes were merged), then those folded into it. */
  readonly resources: readonly string[];
  /** How many alike resources it stands for (7 secrets); 1 for most. */
  readonly count: number;
  /** Lines `--details` adds: the names of the resources merged into it. */
  readonly details: readonly string[];
  /** The construct path of its first resource; '' for the boxes the diagram adds. */
  readonly constructPath: string;
}

/** What a group stands for. */
export type DiagramGroupKind = 'environment' | 'network' | 'private-zone' | 'workload';

/** A group of boxes: an environment, a network (VPC), a private DNS zone, or the workloads that run as one identity. */
export interface DiagramGroup {
  /** `environment:production`, `network:<address>:production`, `private-zone:<address>`, `workload:<address>`. */
  readonly id: string;
  /** What it stands for. */
  readonly kind: DiagramGroupKind;
  /** Its caption: `production`, `VPC serverpod-network · 10.10.0.0/20`, `private zone ...`, `Cloud Run · runs as ...`. */
  readonly label: string;
  /**
   * The group it is drawn in.
   * @default - none: a group of the whole picture (an environment)
   */
  readonly parent?: string;
  /** The addresses folded into the group itself: the network's subnets, router, NAT; the private zone and its records. */
  readonly resources: readonly string[];
}

/** What an edge carries, for its style: requests, DNS answers, TLS certificates, access to data or to an API, deploys. */
export type DiagramEdgeKind = 'request' | 'dns' | 'tls' | 'data' | 'access' | 'deploy';

/** An edge between two boxes (or from a workload group, when every box in it has the same edge). */
export interface DiagramEdge {
  /** A node id, or a group id when the edge is shared by every box of a workload group. */
  readonly from: string;
  /** A node id, or a group id when every box of a workload group has this edge from one box. */
  readonly to: string;
  /** What it carries: its style. */
  readonly kind: DiagramEdgeKind;
  /** What flows, one line each: `api.example.com → :8080`, `Postgres :5432`, `reads`. */
  readonly labels: readonly string[];
  /** What `--details` shows instead of `labels` where they summarize (`8 names`): every line. */
  readonly details: readonly string[];
}

/** A stack's diagram. */
export interface Diagram {
  /** The stack's name. */
  readonly stack: string;
  /** A title line: the stack, its cloud, project or account, and region. */
  readonly title: string;
  /** In drawing order: the boxes of the whole stack first, then each environment's. */
  readonly nodes: readonly DiagramNode[];
  /** Outer groups before the groups drawn in them. */
  readonly groups: readonly DiagramGroup[];
  /** Sorted by `from`, then `to`. */
  readonly edges: readonly DiagramEdge[];
  /** The resource types no table knows, each drawn as a plain box named by its type. */
  readonly unknownTypes: readonly string[];
  /** Resources that serve the whole stack (enabled project APIs...) and so fold into no box. */
  readonly unattached: readonly string[];
}

const INTERNET = 'internet';
const STACK = '#stack';
const NET = 'net:';

interface Ref {
  readonly from: string;
  readonly to: string;
  readonly at: string;
  readonly attribute: string;
}

interface Draft {
  id: string;
  kind: DiagramNodeKind;
  title: string;
  lines: string[];
  environment?: string;
  constructPath: string;
  members: string[];
  folded: string[];
  count: number;
  details: string[];
}

interface EdgeDraft {
  from: string;
  to: string;
  kind: DiagramEdgeKind;
  labels: string[];
  details: string[];
}

const KIND_ORDER: readonly DiagramNodeKind[] = ['internet', 'dns-zone', 'certificate', 'cdn', 'load-balancer', 'ci', 'registry', 'scheduler', 'server-group', 'service', 'job', 'database', 'cache', 'bucket', 'secret', 'resource'];
/** Kinds whose alike boxes (same group, same edges) merge into one: `Secret Manager, 7 secrets`. */
const MERGEABLE: ReadonlySet<DiagramNodeKind> = new Set(['secret', 'certificate', 'bucket', 'registry', 'resource']);
/** Kinds that run code and so act as an identity. */
const COMPUTE: ReadonlySet<DiagramNodeKind> = new Set(['server-group', 'service', 'job', 'scheduler', 'ci', 'resource']);

const text = (value: unknown): string | undefined => (typeof value === 'string' && !isExpression(value) ? value : undefined);
const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];
const segments = (path: string) => (path ? path.split('/') : []);
function commonPrefix(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

/** Builds the diagram model of a synthesized stack. */
export function buildDiagram(stack: StackModel): Diagram {
  return new DiagramBuilder(stack).build();
}

class DiagramBuilder {
  private readonly roles = new Map<string, ResourceRole | 'unknown'>();
  private readonly out = new Map<string, Ref[]>();
  private readonly in = new Map<string, Ref[]>();
  /** Resource address → the node id, `net:<network address>` or `#stack` it folds into. */
  private readonly owner = new Map<string, string>();
  private readonly drafts = new Map<string, Draft>();
  private readonly edges = new Map<string, EdgeDraft>();
  /** Identity address → the node ids that run as it. */
  private readonly actors = new Map<string, string[]>();
  /** Host name (no trailing dot) → the node that answers it. */
  private readonly hosts = new Map<string, string>();

  constructor(private readonly stack: StackModel) {}

  public build(): Diagram {
    this.index();
    this.createNodes();
    this.foldNetworks();
    this.foldDnsRecords();
    this.foldSupport();
    this.foldIdentities();
    this.foldGrants();
    this.foldFirewallRules();
    this.foldLeftovers();
    this.collectHosts();
    this.referenceEdges();
    this.backendEdges();
    this.grantEdges();
    this.dnsEdges();
    this.firewallEdges();
    this.mentionEdges();
    this.internetEdges();
    this.nameNodes();
    return this.assemble();
  }

  // ---- reading the stack ----

  private role(address: string): ResourceRole | 'unknown' {
    return this.roles.get(address) ?? 'unknown';
  }

  private res(address: string): ModelResource {
    return this.stack.resource(address)!;
  }

  private index(): void {
    // A stack with no type drawn as a box (only supporting resources, say) is drawn resource by resource, plainly,
    // rather than as an empty picture.
    const roles = new Map(this.stack.resources.map((r) => [r.address, roleOf(r) ?? 'unknown'] as const));
    const anyBox = [...roles.values()].some((role) => role === 'node' || role === 'unknown');
    for (const r of this.stack.resources) {
      const role = roles.get(r.address)!;
      this.roles.set(r.address, anyBox || role === 'stack' ? role : 'unknown');
      this.out.set(r.address, []);
      this.in.set(r.address, []);
    }
    for (const r of this.stack.resources) {
      const seen = new Set<string>();
      const refs: ModelReference[] = [...this.stack.referencesFrom(r), ...this.stack.referencesViaLocals(r)];
      for (const ref of refs) {
        if (ref.at === 'depends_on') continue;
        const key = `${ref.to}\0${ref.at}\0${ref.attribute}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const edge: Ref = { from: r.address, to: ref.to, at: ref.at, attribute: ref.attribute };
        this.out.get(r.address)!.push(edge);
        this.in.get(ref.to)!.push(edge);
      }
    }
  }

  private refsAt(address: string, ...args: string[]): Ref[] {
    return this.out.get(address)!.filter((ref) => args.some((a) => ref.at === a || ref.at.startsWith(`${a}.`)));
  }

  /** The node an address folds into, if it folds into a node. */
  private nodeOf(address: string): string | undefined {
    const owner = this.owner.get(address);
    return owner !== undefined && this.drafts.has(owner) ? owner : undefined;
  }

  // ---- boxes ----

  private createNodes(): void {
    for (const r of this.stack.resources) {
      const role = this.role(r.address);
      if (role !== 'node' && role !== 'unknown') continue;
      const spec = NODE_TYPES[r.type];
      const title = spec ? (typeof spec.title === 'string' ? spec.title : spec.title(r)) : plainTitle(r);
      const lines = spec?.lines ? spec.lines(r).filter((l): l is string => typeof l === 'string' && l !== '') : [r.name.replace(/_[0-9A-F]{8}$/, '')];
      this.addDraft({ id: r.address, kind: spec?.kind ?? 'resource', title, lines, environment: r.environment, constructPath: r.path, members: [r.address], folded: [], count: 1, details: [] });
      this.owner.set(r.address, r.address);
    }
  }

  private addDraft(draft: Draft): Draft {
    this.drafts.set(draft.id, draft);
    return draft;
  }

  private fold(address: string, owner: string): void {
    this.owner.set(address, owner);
    const draft = this.drafts.get(owner);
    if (draft) draft.folded.push(address);
  }

  // ---- folding ----

  private foldNetworks(): void {
    for (const r of this.stack.resources) if (this.role(r.address) === 'network') this.owner.set(r.address, `${NET}${r.address}`);
    for (const r of this.stack.resources) {
      if (this.role(r.address) !== 'network-part') continue;
      // Through other network parts to the network (a NAT to its router to the VPC).
      const found = this.search(r.address, 'both', (a) => this.role(a) === 'network-part', (a) => (this.role(a) === 'network' ? `${NET}${a}` : undefined));
      this.owner.set(r.address, found ?? STACK);
    }
  }

  /** DNS records fold into their zone; a certificate's validation record into the certificate. */
  private foldDnsRecords(): void {
    for (const r of this.stack.resources) {
      if (this.role(r.address) !== 'dns-record') continue;
      const certificate = this.out.get(r.address)!.find((ref) => NODE_TYPES[this.res(ref.to).type]?.kind === 'certificate');
      if (certificate) {
        this.fold(r.address, certificate.to);
        continue;
      }
      const zone = this.refsAt(r.address, 'managed_zone', 'zone_id').find((ref) => this.drafts.get(ref.to)?.kind === 'dns-zone');
      this.fold(r.address, zone ? zone.to : this.externalZone(r));
    }
  }

  /** A box for a zone the stack writes records into but does not create (an existing zone). */
  private externalZone(record: ModelResource): string {
    const google = record.type === 'google_dns_record_set';
    const zone = text(google ? record.config.managed_zone : record.config.zone_id) ?? 'existing';
    const id = `dns-zone:${zone}`;
    if (!this.drafts.has(id)) {
      this.addDraft({ id, kind: 'dns-zone', title: google ? 'Cloud DNS zone' : 'Route 53 zone', lines: [`${zone} (existing)`], constructPath: '', members: [], folded: [], count: 1, details: [] });
    }
    return id;
  }

  /**
   * A supporting resource folds into the box it serves: the nearest box that uses it (through other supporting
   * resources: a health check ← backend service ← URL map), else the nearest it uses (a database user → its
   * instance), else the nearest either way; ties go to the box whose construct path shares the most with it.
   */
  private foldSupport(): void {
    for (const r of this.stack.resources) {
      const role = this.role(r.address);
      if (role !== 'support' && role !== 'value') continue;
      const named = this.refsAt(r.address, ...(OWNER_ARGUMENTS[r.type] ?? []))
        .map((ref) => this.owner.get(ref.to) ?? (this.drafts.has(ref.to) ? ref.to : undefined))
        .find((o) => o !== undefined);
      const owner = named ?? this.ownerByPaths(r.address);
      if (owner) this.fold(r.address, owner);
    }
  }

  private ownerByPaths(address: string): string | undefined {
    const through = (a: string) => ['support', 'value', 'identity'].includes(this.role(a)) && !this.owner.has(a);
    const target = (a: string) => {
      const role = this.role(a);
      if (role === 'node' || role === 'unknown') return a;
      if (role === 'network' || role === 'network-part') return this.owner.get(a);
      return undefined;
    };
    for (const mode of ['referrers', 'references', 'both'] as const) {
      const found = this.search(address, mode, through, target);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Breadth-first from `start` along references (`references`: what it refers to; `referrers`: what refers to it;
   * `both`), through resources `through` accepts, to the nearest ones `target` maps to an owner. Among the nearest,
   * the owner whose construct path shares the most segments with `start`'s wins, then the smallest id.
   */
  private search(start: string, mode: 'references' | 'referrers' | 'both', through: (a: string) => boolean, target: (a: string) => string | undefined): string | undefined {
    const path = this.res(start).path;
    const seen = new Set([start]);
    let frontier = [start];
    while (frontier.length > 0) {
      const next: string[] = [];
      const found: { owner: string; path: string }[] = [];
      for (const a of frontier) {
        const neighbours = [...(mode !== 'referrers' ? this.out.get(a)!.map((r) => r.to) : []), ...(mode !== 'references' ? this.in.get(a)!.map((r) => r.from) : [])];
        for (const n of neighbours) {
          if (seen.has(n)) continue;
          seen.add(n);
          const owner = target(n);
          if (owner !== undefined) found.push({ owner, path: this.res(n).path });
          else if (through(n)) next.push(n);
        }
      }
      if (found.length > 0) {
        found.sort((x, y) => commonPrefix(y.path, path) - commonPrefix(x.path, path) || (x.owner < y.owner ? -1 : x.owner > y.owner ? 1 : 0));
        return found[0].owner;
      }
      frontier = next;
    }
    return undefined;
  }

  /**
   * An identity folds into what runs as it: the boxes that use it (a Cloud Run service's service account, a
   * launch template's instance profile's role), what may impersonate it (a workload identity pool, an OIDC
   * provider in a role's trust policy), or, for an identity whose key is kept in a secret, the boxes that read
   * that secret (Serverpod's storage HMAC key and S3 access key).
   */
  private foldIdentities(): void {
    const identities = this.stack.resources.filter((r) => this.role(r.address) === 'identity');
    for (const r of identities) this.actors.set(r.address, this.actorsByUse(r.address, new Set()));
    // Identities acting through stored keys: read-grants of the others first.
    for (const r of identities) {
      if (this.actors.get(r.address)!.length > 0) continue;
      const readers = new Set<string>();
      for (const key of this.in.get(r.address)!.filter((ref) => this.role(ref.from) === 'value')) {
        for (const version of this.in.get(key.from)!) {
          const secret = this.out.get(version.from)!.find((ref) => this.drafts.get(ref.to)?.kind === 'secret')?.to ?? this.nodeOf(version.from);
          if (secret && this.drafts.get(secret)?.kind === 'secret') for (const reader of this.readersOf(secret)) readers.add(reader);
        }
      }
      this.actors.set(r.address, [...readers].sort());
    }
    for (const r of identities) {
      const actors = this.actors.get(r.address)!;
      if (actors.length > 0) this.fold(r.address, actors[0]);
      else {
        const owner = this.ownerByPaths(r.address);
        if (owner) this.fold(r.address, owner);
      }
    }
  }

  /** The boxes that run as an identity: by a reference chain to it, or by impersonation. */
  private actorsByUse(identity: string, visiting: Set<string>): string[] {
    if (visiting.has(identity)) return [];
    visiting.add(identity);
    const found = new Set<string>();
    const seen = new Set([identity]);
    let frontier = [identity];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const a of frontier) {
        for (const ref of this.in.get(a)!) {
          const n = ref.from;
          if (seen.has(n)) continue;
          seen.add(n);
          const role = this.role(n);
          if ((role === 'node' || role === 'unknown') && COMPUTE.has(this.drafts.get(n)!.kind)) found.add(n);
          else if (role === 'support') next.push(n);
        }
      }
      frontier = next;
    }
    const r = this.res(identity);
    // A GCP service account: principals granted workloadIdentityUser or tokenCreator on it.
    for (const grant of this.in.get(identity)!) {
      const g = this.res(grant.from);
      if (!/^google_service_account_iam_(member|binding)$/.test(g.type)) continue;
      if (!/workloadIdentityUser|serviceAccountTokenCreator/.test(String(g.config.role))) continue;
      for (const principal of this.refsAt(g.address, 'member', 'members')) {
        const role = this.role(principal.to);
        if (role === 'node' || role === 'unknown') found.add(principal.to);
        else if (role === 'identity') for (const a of this.actorsByUse(principal.to, visiting)) found.add(a);
      }
    }
    // An AWS role: federated or AWS principals of its trust policy that are boxes of the stack.
    if (r.type === 'aws_iam_role') {
      for (const ref of this.refsAt(identity, 'assume_role_policy')) if (this.role(ref.to) === 'node') found.add(ref.to);
    }
    return [...found].sort();
  }

  /** The boxes granted read access to a secret (by a grant on it to an identity that already has actors). */
  private readersOf(secret: string): string[] {
    const out = new Set<string>();
    for (const [, edge] of this.edgesFromGrants(new Set([secret]))) if (edge.to === secret) out.add(edge.from);
    return [...out];
  }

  /** A grant folds into what it grants access to (GCP `*_iam_member`), or into who holds it (AWS policies). */
  private foldGrants(): void {
    for (const r of this.stack.resources) {
      if (this.role(r.address) !== 'grant') continue;
      const target = this.grantTarget(r);
      const holder = this.grantHolder(r);
      const owner =
        (target && this.drafts.has(target) ? target : undefined) ??
        (holder ? (this.actorsOf(holder)[0] ?? this.owner.get(holder)) : undefined) ??
        (target ? this.actorsOf(target)[0] : undefined) ??
        this.ownerByPaths(r.address);
      if (owner) this.fold(r.address, owner);
    }
  }

  private actorsOf(address: string): string[] {
    if (this.role(address) === 'identity') return this.actors.get(address) ?? [];
    return this.drafts.has(address) ? [address] : [];
  }

  /** What a GCP grant is on: the resource its non-member arguments refer to. */
  private grantTarget(grant: ModelResource): string | undefined {
    if (!grant.type.startsWith('google_')) return undefined;
    const ref = this.out.get(grant.address)!.find((x) => !['member', 'members', 'role', 'condition'].some((a) => x.at === a || x.at.startsWith(`${a}.`)));
    if (!ref) return undefined;
    return this.role(ref.to) === 'identity' ? ref.to : (this.nodeOf(ref.to) ?? ref.to);
  }

  /** Who holds a grant: a GCP grant's member, an AWS policy's role or user. */
  private grantHolder(grant: ModelResource): string | undefined {
    const ref = grant.type.startsWith('google_') ? this.refsAt(grant.address, 'member', 'members')[0] : this.refsAt(grant.address, 'role', 'user', 'users', 'roles')[0];
    return ref?.to;
  }

  private foldFirewallRules(): void {
    for (const r of this.stack.resources) {
      if (this.role(r.address) !== 'firewall-rule') continue;
      const group = this.refsAt(r.address, 'security_group_id')[0];
      const owner = group ? this.owner.get(group.to) : undefined;
      if (owner && owner !== STACK) this.fold(r.address, owner);
    }
  }

  /** What is still unplaced folds next to a neighbour that is placed; what serves the whole stack, nowhere. */
  private foldLeftovers(): void {
    for (let pass = 0; pass < 3; pass++) {
      for (const r of this.stack.resources) {
        if (this.owner.has(r.address) || this.role(r.address) === 'stack') continue;
        const neighbours = [...this.out.get(r.address)!.map((x) => x.to), ...this.in.get(r.address)!.map((x) => x.from)]
          .map((a) => ({ owner: this.owner.get(a), path: this.res(a).path }))
          .filter((x): x is { owner: string; path: string } => x.owner !== undefined && x.owner !== STACK)
          .sort((x, y) => commonPrefix(y.path, r.path) - commonPrefix(x.path, r.path) || (x.owner < y.owner ? -1 : 1));
        if (neighbours.length > 0) this.fold(r.address, neighbours[0].owner);
      }
    }
    for (const r of this.stack.resources) if (!this.owner.has(r.address)) this.owner.set(r.address, STACK);
  }

  // ---- host names ----

  private collectHosts(): void {
    for (const r of this.stack.resources) {
      const node = this.nodeOf(r.address);
      if (!node) continue;
      if (r.type === 'google_compute_url_map') for (const rule of blocks(r.config.host_rule)) for (const h of list(rule.hosts as string[])) this.hosts.set(h, node);
      if (r.type === 'aws_lb_listener_rule') for (const h of this.hostHeaders(r)) this.hosts.set(h, node);
      if (r.type === 'aws_cloudfront_distribution') for (const h of list(r.config.aliases as string[])) this.hosts.set(h, node);
      if (r.type === 'google_cloud_run_domain_mapping' && text(r.config.name)) this.hosts.set(text(r.config.name)!, node);
    }
  }

  private hostHeaders(rule: ModelResource): string[] {
    return blocks(rule.config.condition).flatMap((c) => list(block(c.host_header)?.values as string[]));
  }

  // ---- edges ----

  private addEdge(from: string, to: string, kind: DiagramEdgeKind, labels: readonly string[] = [], details: readonly string[] = labels): void {
    if (from === to) return;
    const key = `${from}\0${to}`;
    const edge = this.edges.get(key);
    if (!edge) this.edges.set(key, { from, to, kind, labels: access(unique(labels)), details: access(unique(details)) });
    else {
      edge.labels = access(unique([...edge.labels, ...labels]));
      edge.details = access(unique([...edge.details, ...details]));
      // A request edge stays one; data beats access (a server reading the database password and connecting to it).
      const rank: DiagramEdgeKind[] = ['request', 'data', 'deploy', 'access', 'tls', 'dns'];
      if (rank.indexOf(kind) < rank.indexOf(edge.kind)) edge.kind = kind;
    }
  }

  /** References between resources of different boxes: a service's variable naming the database, a CDN's origin. */
  private referenceEdges(): void {
    for (const r of this.stack.resources) {
      const role = this.role(r.address);
      if (role === 'grant' || role === 'firewall-rule' || role === 'dns-record' || role === 'identity' || role === 'stack') continue;
      const from = this.nodeOf(r.address);
      if (!from) continue;
      for (const ref of this.out.get(r.address)!) {
        // A secret holding another resource's value (Memorystore's AUTH string) is not a connection to it.
        if (/^secret_(data|string|binary)$/.test(ref.at)) continue;
        const targetRole = this.role(ref.to);
        if (['value', 'identity', 'grant', 'stack', 'network', 'network-part', 'dns-record', 'firewall-rule'].includes(targetRole)) continue;
        const to = this.nodeOf(ref.to);
        if (!to || to === from) continue;
        const target = this.drafts.get(to)!;
        const source = this.drafts.get(from)!;
        if (target.kind === 'certificate') this.addEdge(to, from, 'tls', ['TLS']);
        else if (target.kind === 'database' || target.kind === 'cache') this.addEdge(from, to, 'data', [this.dataLabel(to, ref)]);
        else if (source.kind === 'cdn' || source.kind === 'load-balancer') this.addEdge(from, to, 'request', source.kind === 'cdn' ? ['origin'] : []);
        else if (target.kind === 'registry') this.addEdge(from, to, 'access', ['pulls image']);
        else if (source.kind === 'dns-zone') continue;
        else this.addEdge(from, to, 'access');
      }
    }
  }

  /** `Postgres :5432`, `Postgres via /cloudsql socket`, `Redis :6378 TLS`. */
  private dataLabel(node: string, ref?: Ref): string {
    const r = this.res(this.drafts.get(node)!.members[0]);
    if (r.type === 'google_sql_database_instance' || r.type === 'aws_db_instance' || r.type === 'aws_rds_cluster') {
      const engine = String(r.config.database_version ?? r.config.engine ?? '').toLowerCase();
      const [name, port] = engine.includes('mysql') || engine.includes('maria') ? ['MySQL', 3306] : engine.includes('sqlserver') ? ['SQL Server', 1433] : ['Postgres', 5432];
      if (ref && /cloud_sql_instance|volumes/.test(ref.at)) return `${name} via /cloudsql socket`;
      return `${name} :${typeof r.config.port === 'number' ? r.config.port : port}`;
    }
    if (r.type === 'google_redis_instance') return r.config.transit_encryption_mode === 'SERVER_AUTHENTICATION' ? 'Redis :6378 TLS' : 'Redis :6379';
    if (r.type.startsWith('aws_elasticache')) {
      const name = String(r.config.engine ?? 'redis') === 'valkey' ? 'Valkey' : 'Redis';
      return `${name} :${typeof r.config.port === 'number' ? r.config.port : 6379}${r.config.transit_encryption_enabled === true ? ' TLS' : ''}`;
    }
    return '';
  }

  /** A load balancer's routes: host → backend (and its port), from GCP URL maps and AWS listener rules. */
  private backendEdges(): void {
    for (const r of this.stack.resources) {
      const lb = this.nodeOf(r.address);
      if (!lb || this.drafts.get(lb)!.kind !== 'load-balancer') continue;
      if (r.type === 'google_compute_url_map' || r.type === 'google_compute_region_url_map') {
        const matchers = new Map(blocks(r.config.path_matcher).map((m) => [String(m.name), m]));
        for (const rule of blocks(r.config.host_rule)) {
          const matcher = matchers.get(String(rule.path_matcher));
          const backend = matcher ? this.stack.referenced(matcher.default_service) : undefined;
          if (!backend) continue;
          for (const { node, port } of this.backendTargets(backend)) {
            for (const host of list(rule.hosts as string[])) this.addRoute(lb, node, host, port);
          }
        }
      }
      if (r.type === 'aws_lb_listener_rule') {
        for (const action of blocks(r.config.action)) {
          const group = this.stack.referenced(action.target_group_arn);
          if (!group) continue;
          const node = this.nodeOf(group.address) === lb ? this.groupTarget(group) : this.nodeOf(group.address);
          const port = typeof group.config.port === 'number' ? group.config.port : undefined;
          const hosts = this.hostHeaders(r);
          if (node) for (const host of hosts.length > 0 ? hosts : ['(any host)']) this.addRoute(lb, node, host, port);
        }
      }
    }
  }

  /** A load balancer's route: `api → :8080` (the host within the stack's DNS zone by its label), in full in `details`. */
  private addRoute(lb: string, node: string, host: string, port: number | undefined): void {
    const domain = this.zoneDomains().find((d) => host.endsWith(`.${d}`));
    const short = domain ? host.slice(0, -domain.length - 1) : host;
    this.addEdge(lb, node, 'request', [port ? `${short} → :${port}` : short], [port ? `${host} → :${port}` : host]);
  }

  /** The domains of the stack's public DNS zones, longest first. */
  private zoneDomains(): string[] {
    return [...this.drafts.values()]
      .filter((d) => d.kind === 'dns-zone' && !this.isPrivateZone(d))
      .flatMap((d) => d.members.map((a) => text(this.res(a).config.dns_name) ?? text(this.res(a).config.name)))
      .filter((d): d is string => d !== undefined)
      .map((d) => d.replace(/\.$/, ''))
      .sort((a, b) => b.length - a.length);
  }

  /** The boxes a GCP backend service or bucket sends to, with the port (a named port of the instance group). */
  private backendTargets(backend: ModelResource): { node: string; port?: number }[] {
    if (backend.type === 'google_compute_backend_bucket') {
      const bucket = this.stack.referenced(backend.config.bucket_name);
      const node = bucket ? this.nodeOf(bucket.address) : undefined;
      return node ? [{ node }] : [];
    }
    const out: { node: string; port?: number }[] = [];
    for (const b of blocks(backend.config.backend)) {
      const group = this.stack.referenced(b.group);
      if (!group) continue;
      let node = this.nodeOf(group.address);
      let port: number | undefined;
      if (group.type === 'google_compute_region_network_endpoint_group' || group.type === 'google_compute_global_network_endpoint_group') {
        const service = this.stack.referenced(block(group.config.cloud_run)?.service);
        node = service ? this.nodeOf(service.address) : node;
      } else {
        const named = blocks(group.config.named_port).find((p) => p.name === backend.config.port_name);
        port = typeof named?.port === 'number' ? named.port : undefined;
      }
      if (node) out.push({ node, port });
    }
    return out;
  }

  /** The box an AWS target group forwards to: the Auto Scaling group that names it. */
  private groupTarget(group: ModelResource): string | undefined {
    for (const ref of this.in.get(group.address)!) {
      const node = this.nodeOf(ref.from);
      if (node && this.drafts.get(node)!.kind !== 'load-balancer') return node;
    }
    return undefined;
  }

  private grantEdges(): void {
    for (const [, edge] of this.edgesFromGrants()) this.addEdge(edge.from, edge.to, edge.kind, edge.labels);
  }

  /** The edges IAM grants make: holder's actors → what the grant is on, labelled with what it allows. */
  private edgesFromGrants(only?: ReadonlySet<string>): Map<string, EdgeDraft> {
    const edges = new Map<string, EdgeDraft>();
    const add = (froms: readonly string[], to: string | undefined, label: string | undefined, kind: DiagramEdgeKind) => {
      if (!to || (only && !only.has(to))) return;
      for (const from of froms) {
        if (from === to) continue;
        const key = `${from}\0${to}`;
        const edge = edges.get(key) ?? { from, to, kind, labels: [], details: [] };
        if (label) edge.labels = edge.details = unique([...edge.labels, label]);
        edges.set(key, edge);
      }
    };
    for (const r of this.stack.resources) {
      if (this.role(r.address) !== 'grant') continue;
      if (r.type.startsWith('google_')) {
        const target = this.grantTarget(r);
        if (!target) continue;
        const holders = this.refsAt(r.address, 'member', 'members').flatMap((ref) => this.actorsOf(ref.to));
        const label = gcpRoleLabel(String(r.config.role ?? ''));
        const kind = /pushes|acts as|deploys|impersonates/.test(label ?? '') ? 'deploy' : 'access';
        for (const to of this.role(target) === 'identity' ? this.actorsOf(target) : [target]) add(holders, to, label, kind);
        continue;
      }
      const holder = this.grantHolder(r);
      if (!holder) continue;
      const holders = this.actorsOf(holder);
      const documents = [r.config.policy, ...this.refsAt(r.address, 'policy_arn').map((ref) => this.res(ref.to).config.policy)];
      for (const statement of documents.flatMap(policyStatements)) {
        if (statement.Effect !== 'Allow') continue;
        const actions = list(statement.Action);
        for (const resourceArn of list(statement.Resource)) {
          const target = this.stack.referenced(resourceArn);
          const to = target ? this.nodeOf(target.address) : undefined;
          const label = awsActionLabel(actions, to ? this.drafts.get(to)!.kind : undefined);
          add(holders, to, label, /pushes|rolls out/.test(label ?? '') ? 'deploy' : 'access');
        }
      }
    }
    return edges;
  }

  /** Zone → what each record points to, labelled with the names. */
  private dnsEdges(): void {
    const names = new Map<string, { zone: string; to: string; names: string[] }>();
    for (const r of this.stack.resources) {
      if (this.role(r.address) !== 'dns-record') continue;
      const zone = this.nodeOf(r.address);
      if (!zone || this.drafts.get(zone)!.kind !== 'dns-zone') continue;
      const name = (text(r.config.name) ?? '').replace(/\.$/, '');
      const target =
        this.refsAt(r.address, 'rrdatas', 'records', 'alias')
          .map((ref) => this.nodeOf(ref.to))
          .find((n) => n !== undefined && n !== zone) ?? this.hosts.get(name);
      if (!target) continue;
      if (name) this.hosts.set(name, target);
      const key = `${zone}\0${target}`;
      const entry = names.get(key) ?? { zone, to: target, names: [] };
      if (name && !entry.names.includes(name)) entry.names.push(name);
      names.set(key, entry);
    }
    for (const { zone, to, names: all } of names.values()) {
      // Names within the zone's domain by their label (`api`, `@` for the domain itself); more than three, by count.
      const domain = this.drafts.get(zone)!.members.map((a) => text(this.res(a).config.dns_name) ?? text(this.res(a).config.name)).find(Boolean)?.replace(/\.$/, '');
      const short = all.map((n) => (domain && n === domain ? '@' : domain && n.endsWith(`.${domain}`) ? n.slice(0, -domain.length - 1) : n));
      this.addEdge(zone, to, 'dns', short.length <= 3 ? [short.join(', ')] : [`${short.length} names`], all);
    }
    this.dnsNames = names;
  }

  private dnsNames = new Map<string, { zone: string; to: string; names: string[] }>();

  /** AWS security group rules between boxes: `TCP 5432` where no other edge says what flows. */
  private firewallEdges(): void {
    for (const r of this.stack.resources) {
      if (r.type !== 'aws_vpc_security_group_ingress_rule' && !(r.type === 'aws_security_group_rule' && r.config.type === 'ingress')) continue;
      const to = this.nodeOf(r.address);
      const source = this.refsAt(r.address, 'referenced_security_group_id', 'source_security_group_id')[0];
      const from = source ? this.owner.get(source.to) : undefined;
      if (!to || !from || !this.drafts.has(from) || from === to) continue;
      const existing = this.edges.get(`${from}\0${to}`);
      if (existing && existing.labels.length > 0) continue;
      this.addEdge(from, to, this.drafts.get(to)!.kind === 'database' || this.drafts.get(to)!.kind === 'cache' ? 'data' : 'request', [portLabel(r.config)]);
    }
  }

  /**
   * A host name of the stack (a private zone's `database.` record) written into a box's arguments, plainly or
   * base64-encoded as boot scripts carry values: an edge to what the name points to.
   */
  private mentionEdges(): void {
    const targets = [...this.hosts.entries()].filter(([host, node]) => host.includes('.') && ['database', 'cache'].includes(this.drafts.get(node)!.kind));
    if (targets.length === 0) return;
    for (const draft of this.drafts.values()) {
      if (!COMPUTE.has(draft.kind)) continue;
      const texts = [...draft.members, ...draft.folded].flatMap((a) => stringsOf(this.res(a).config));
      const decoded = texts.flatMap(decodedTokens);
      for (const [host, node] of targets) {
        if (texts.some((t) => t.includes(host)) || decoded.some((t) => t.includes(host))) this.addEdge(draft.id, node, 'data', [this.dataLabel(node)]);
      }
    }
  }

  /** The public entry points: load balancers, CDNs, public Cloud Run services; and the public zones' DNS. */
  private internetEdges(): void {
    const edges: [string, string[]][] = [];
    for (const draft of this.drafts.values()) {
      const primary = draft.members[0] ? this.res(draft.members[0]) : undefined;
      if (!primary) continue;
      if (draft.kind === 'load-balancer' && primary.type.startsWith('google_')) {
        const labels: string[] = [];
        for (const a of draft.folded) {
          const rule = this.res(a);
          if (rule.type !== 'google_compute_global_forwarding_rule' && rule.type !== 'google_compute_forwarding_rule') continue;
          if (rule.config.load_balancing_scheme === 'INTERNAL' || rule.config.load_balancing_scheme === 'INTERNAL_MANAGED') continue;
          const port = String(rule.config.port_range ?? '').split('-')[0];
          const proxy = this.stack.referenced(rule.config.target);
          labels.push(proxy?.type.includes('https') ? `HTTPS :${port || 443}` : `HTTP :${port || 80}${this.redirects(proxy) ? ' → HTTPS' : ''}`);
        }
        if (labels.length > 0) edges.push([draft.id, labels.sort()]);
      }
      if (draft.kind === 'load-balancer' && primary.type.startsWith('aws_') && primary.config.internal !== true) {
        const labels = draft.folded
          .map((a) => this.res(a))
          .filter((l) => l.type === 'aws_lb_listener')
          .map((l) => `${String(l.config.protocol ?? 'TCP')} :${l.config.port}${blocks(l.config.default_action).some((x) => x.type === 'redirect') ? ' → HTTPS' : ''}`);
        edges.push([draft.id, labels.sort()]);
      }
      if (draft.kind === 'cdn') edges.push([draft.id, ['HTTPS']]);
      if (draft.kind === 'service' && primary.type.startsWith('google_cloud_run') && (primary.config.ingress ?? 'INGRESS_TRAFFIC_ALL') === 'INGRESS_TRAFFIC_ALL' && this.grantedToAllUsers(draft, /run\.invoker/)) edges.push([draft.id, ['HTTPS']]);
    }
    const zones = [...this.drafts.values()].filter((d) => d.kind === 'dns-zone' && !this.isPrivateZone(d));
    if (edges.length === 0 && zones.length === 0) return;
    this.addDraft({ id: INTERNET, kind: 'internet', title: 'Internet', lines: ['users, apps'], constructPath: '', members: [], folded: [], count: 1, details: [] });
    for (const [to, labels] of edges) this.addEdge(INTERNET, to, 'request', labels);
    for (const zone of zones) this.addEdge(INTERNET, zone.id, 'dns', ['DNS']);
  }

  /** Whether a grant folded into the box gives `allUsers` (anyone) a role matching `role`. */
  private grantedToAllUsers(draft: Draft, role: RegExp): boolean {
    return draft.folded.some((a) => {
      const r = this.res(a);
      return this.role(a) === 'grant' && role.test(String(r.config.role ?? '')) && [...list(r.config.member as string), ...list(r.config.members as string[])].includes('allUsers');
    });
  }

  private redirects(proxy: ModelResource | undefined): boolean {
    const map = proxy ? this.stack.referenced(proxy.config.url_map) : undefined;
    return map?.config.default_url_redirect !== undefined;
  }

  private isPrivateZone(draft: Draft): boolean {
    const zone = draft.members[0] ? this.res(draft.members[0]) : undefined;
    return zone !== undefined && (zone.config.visibility === 'private' || (zone.type === 'aws_route53_zone' && zone.config.vpc !== undefined));
  }

  /** Titles the tables cannot give: a workload identity pool for GitHub; public buckets. */
  private nameNodes(): void {
    for (const draft of this.drafts.values()) {
      const folded = draft.folded.map((a) => this.res(a));
      if (draft.kind === 'ci' && folded.some((r) => String(block(r.config.oidc)?.issuer_uri ?? '').includes('token.actions.githubusercontent.com'))) {
        draft.title = 'GitHub Actions';
        draft.lines = ['workload identity'];
      }
      // A certificate of another region than the stack's (CloudFront's, in us-east-1) says so.
      const primary = draft.members[0] ? this.res(draft.members[0]) : undefined;
      if (draft.kind === 'certificate' && primary && typeof primary.config.provider === 'string') {
        const region = this.stack.regionOf(primary);
        if (region) draft.lines = [...draft.lines, region];
      }
      if (draft.kind === 'bucket' && this.grantedToAllUsers(draft, /objectViewer|legacyObjectReader/)) draft.lines = [...draft.lines, 'public read'];
    }
  }

  // ---- groups, merging, order ----

  private assemble(): Diagram {
    const privateZones = this.privateZoneGroups();
    this.mergeAlike();
    const networkOf = new Map<string, string>();
    for (const draft of this.drafts.values()) {
      const net = this.networkOf(draft);
      if (net) networkOf.set(draft.id, net);
    }
    const groups = new Map<string, DiagramGroup>();
    const groupOf = new Map<string, string>();
    const environments = this.stack.environments.filter((e) => [...this.drafts.values()].some((d) => d.environment === e));
    const envGroup = (env: string | undefined) => {
      if (env === undefined) return undefined;
      const id = `environment:${env}`;
      if (!groups.has(id)) groups.set(id, { id, kind: 'environment', label: env, resources: [] });
      return id;
    };
    const networkGroup = (net: string, env: string | undefined) => {
      const address = net.slice(NET.length);
      const id = `network:${address}${env ? `:${env}` : ''}`;
      if (!groups.has(id)) groups.set(id, { id, kind: 'network', label: this.networkLabel(address), parent: envGroup(env), resources: env === undefined || env === environments[0] ? this.networkResources(net) : [] });
      return id;
    };
    for (const env of environments) envGroup(env);
    for (const draft of this.drafts.values()) {
      const net = networkOf.get(draft.id);
      groupOf.set(draft.id, net ? networkGroup(net, draft.environment) : (envGroup(draft.environment) ?? ''));
    }
    // A network no box is placed in still gets its group, so its parts are shown.
    for (const r of this.stack.resources) if (this.role(r.address) === 'network' && ![...groups.values()].some((g) => g.id.startsWith(`network:${r.address}`))) networkGroup(`${NET}${r.address}`, undefined);
    for (const zone of privateZones) {
      const parent = groupOf.get(zone.members[0]) || undefined;
      groups.set(zone.id, { id: zone.id, kind: 'private-zone', label: zone.label, parent, resources: zone.resources });
      for (const m of zone.members) groupOf.set(m, zone.id);
    }
    for (const workload of this.workloadGroups(groupOf)) {
      // The identity they share is the group's, not its first box's.
      for (const draft of this.drafts.values()) draft.folded = draft.folded.filter((a) => !workload.resources.includes(a));
      groups.set(workload.id, { id: workload.id, kind: 'workload', label: workload.label, parent: groupOf.get(workload.members[0]) || undefined, resources: workload.resources });
      for (const m of workload.members) groupOf.set(m, workload.id);
      this.bundle(workload.id, workload.members);
    }
    const nodes = [...this.drafts.values()].map(
      (d): DiagramNode => ({
        id: d.id,
        kind: d.kind,
        title: d.title,
        lines: d.lines,
        group: groupOf.get(d.id) || undefined,
        environment: d.environment,
        resources: [...d.members, ...[...d.folded].sort()],
        count: d.count,
        details: d.details,
        constructPath: d.constructPath,
      }),
    );
    const envRank = (n: DiagramNode) => (n.environment === undefined ? -1 : environments.indexOf(n.environment));
    nodes.sort((a, b) => envRank(a) - envRank(b) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.id < b.id ? -1 : 1));
    const groupList = [...groups.values()];
    const depth = (g: DiagramGroup): number => (g.parent ? 1 + depth(groups.get(g.parent)!) : 0);
    const groupEnv = (g: DiagramGroup): number => {
      for (let x: DiagramGroup | undefined = g; x; x = x.parent ? groups.get(x.parent) : undefined) if (x.kind === 'environment') return environments.indexOf(x.label);
      return -1;
    };
    groupList.sort((a, b) => depth(a) - depth(b) || groupEnv(a) - groupEnv(b) || (a.id < b.id ? -1 : 1));
    const edges = [...this.edges.values()]
      .filter((e) => (this.drafts.has(e.from) || groups.has(e.from)) && (this.drafts.has(e.to) || groups.has(e.to)))
      .map((e): DiagramEdge => ({ from: e.from, to: e.to, kind: e.kind, labels: e.labels.filter((l) => l !== ''), details: e.details.filter((l) => l !== '') }))
      .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
    const unknownTypes = unique(this.stack.resources.filter((r) => this.role(r.address) === 'unknown').map((r) => r.type)).sort();
    const unattached = this.stack.resources.filter((r) => this.owner.get(r.address) === STACK).map((r) => r.address);
    return { stack: this.stack.name, title: this.title(), nodes, groups: groupList, edges, unknownTypes, unattached };
  }

  /** A box's network: one that a resource of the box refers to (a subnet, the VPC). */
  private networkOf(draft: Draft): string | undefined {
    for (const a of [...draft.members, ...draft.folded]) {
      if (this.role(a) === 'grant' || this.role(a) === 'firewall-rule' || this.role(a) === 'dns-record') continue;
      for (const ref of this.out.get(a)!) {
        const role = this.role(ref.to);
        if (role !== 'network' && role !== 'network-part') continue;
        const owner = this.owner.get(ref.to);
        if (owner?.startsWith(NET)) return owner;
      }
    }
    return undefined;
  }

  private networkResources(net: string): string[] {
    return this.stack.resources.filter((r) => this.owner.get(r.address) === net).map((r) => r.address);
  }

  /** `VPC serverpod-network 10.10.0.0/20`. */
  private networkLabel(address: string): string {
    const r = this.res(address);
    const tags = (r.config.tags ?? {}) as Record<string, unknown>;
    const name = text(r.config.name) ?? text(tags.Name) ?? r.name.replace(/_[0-9A-F]{8}$/, '');
    const cidr =
      text(r.config.cidr_block) ??
      this.stack.resources
        .filter((s) => s.type === 'google_compute_subnetwork' && this.owner.get(s.address) === `${NET}${address}`)
        .map((s) => text(s.config.ip_cidr_range))
        .find(Boolean);
    return [`VPC ${name}`, cidr].filter(Boolean).join(' · ');
  }

  /**
   * A private zone all of whose records point into one environment's network becomes a group around what they
   * name (`private-production.example.com` around the database and Redis); its box goes.
   */
  private privateZoneGroups(): { id: string; label: string; members: string[]; resources: string[] }[] {
    const out: { id: string; label: string; members: string[]; resources: string[] }[] = [];
    for (const zone of [...this.drafts.values()].filter((d) => d.kind === 'dns-zone' && this.isPrivateZone(d))) {
      const targets = unique([...this.dnsNames.values()].filter((e) => e.zone === zone.id).map((e) => e.to));
      if (targets.length === 0) continue;
      const envs = unique(targets.map((t) => this.drafts.get(t)!.environment));
      const nets = unique(targets.map((t) => this.networkOf(this.drafts.get(t)!)));
      if (envs.length !== 1 || nets.length !== 1) continue;
      out.push({ id: `private-zone:${zone.id}`, label: `private zone ${zone.lines[0] ?? ''}`.trim(), members: targets.sort(), resources: [...zone.members, ...zone.folded] });
      this.drafts.delete(zone.id);
      for (const [key, edge] of this.edges) if (edge.from === zone.id || edge.to === zone.id) this.edges.delete(key);
    }
    return out;
  }

  /** Alike boxes (same kind, environment, network and edges) become one: `Secret Manager, 7 secrets`. */
  private mergeAlike(): void {
    const signature = (d: Draft) => {
      const edges = [...this.edges.values()]
        .filter((e) => e.from === d.id || e.to === d.id)
        .map((e) => `${e.from === d.id ? '>' : '<'}${e.from === d.id ? e.to : e.from}|${e.kind}`)
        .sort();
      return `${d.kind}|${d.title}|${d.environment ?? ''}|${this.networkOf(d) ?? ''}|${edges.join(';')}`;
    };
    const bySignature = new Map<string, Draft[]>();
    for (const d of this.drafts.values()) {
      if (!MERGEABLE.has(d.kind) || d.members.length === 0) continue;
      const key = signature(d);
      bySignature.set(key, [...(bySignature.get(key) ?? []), d]);
    }
    for (const alike of bySignature.values()) {
      if (alike.length < 2) continue;
      alike.sort((a, b) => (a.id < b.id ? -1 : 1));
      const [first, ...rest] = alike;
      const names = alike.map((d) => d.lines[0]).filter(Boolean);
      first.members = alike.flatMap((d) => d.members);
      first.folded = alike.flatMap((d) => d.folded);
      first.count = alike.length;
      first.title = pluralTitle(first.kind, first.title);
      first.lines = [countLine(first.kind, alike.length)];
      first.details = names;
      for (const d of rest) {
        this.drafts.delete(d.id);
        for (const a of [...d.members, ...d.folded]) this.owner.set(a, first.id);
        for (const [key, edge] of [...this.edges]) {
          if (edge.from !== d.id && edge.to !== d.id) continue;
          this.edges.delete(key);
          this.addEdge(edge.from === d.id ? first.id : edge.from, edge.to === d.id ? first.id : edge.to, edge.kind, edge.labels);
        }
      }
    }
  }

  /** Boxes that run as one identity, two or more in one group: a group of their own (a Cloud Run app's services and jobs). */
  private workloadGroups(groupOf: ReadonlyMap<string, string>): { id: string; label: string; members: string[]; resources: string[] }[] {
    const out: { id: string; label: string; members: string[]; resources: string[] }[] = [];
    const taken = new Set<string>();
    for (const [identity, actors] of [...this.actors].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const members = actors.filter((a) => this.drafts.has(a) && !taken.has(a) && ['server-group', 'service', 'job'].includes(this.drafts.get(a)!.kind));
      if (members.length < 2 || unique(members.map((m) => groupOf.get(m))).length !== 1) continue;
      for (const m of members) taken.add(m);
      const r = this.res(identity);
      const name = text(r.config.account_id) ?? text(r.config.name) ?? r.name;
      const kinds = unique(members.map((m) => this.drafts.get(m)!.title.replace(/ (service|job)$/, '')));
      out.push({ id: `workload:${identity}`, label: `${kinds.join(', ')} · runs as ${name}`, members: members.sort(), resources: [identity] });
    }
    return out;
  }

  /** Edges every member of a group has alike (to or from one box, with the same labels) become one edge of the group. */
  private bundle(group: string, members: readonly string[]): void {
    const alike = new Map<string, EdgeDraft[]>();
    for (const edge of this.edges.values()) {
      const outgoing = members.includes(edge.from) && !members.includes(edge.to);
      const incoming = members.includes(edge.to) && !members.includes(edge.from);
      if (!outgoing && !incoming) continue;
      const key = `${outgoing ? `>${edge.to}` : `<${edge.from}`}\0${edge.kind}\0${edge.labels.join('\n')}`;
      alike.set(key, [...(alike.get(key) ?? []), edge]);
    }
    for (const [key, edges] of alike) {
      if (edges.length !== members.length) continue;
      for (const e of edges) this.edges.delete(`${e.from}\0${e.to}`);
      const [first] = edges;
      const [from, to] = key.startsWith('>') ? [group, first.to] : [first.from, group];
      this.edges.set(`${from}\0${to}`, { from, to, kind: first.kind, labels: first.labels, details: first.details });
    }
  }

  private title(): string {
    const google = this.stack.json.provider?.google?.[0];
    const aws = this.stack.json.provider?.aws?.find((p) => p.alias === undefined) ?? this.stack.json.provider?.aws?.[0];
    const parts: string[] = [];
    if (google) parts.push(['GCP', [text(google.project) && `project ${text(google.project)}`, text(google.region)].filter(Boolean).join(', ')].filter(Boolean).join(' '));
    if (aws) parts.push(['AWS', text(aws.region)].filter(Boolean).join(' '));
    return [this.stack.name, ...parts].join(' · ');
  }
}

/** `reads` and `writes` (from two grants or statements) as one `reads/writes`. */
function access(labels: string[]): string[] {
  if (!(labels.includes('reads/writes') || (labels.includes('reads') && labels.includes('writes')))) return labels;
  return unique(labels.map((l) => (l === 'reads' || l === 'writes' ? 'reads/writes' : l)));
}

/** Every string in an argument tree. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

/** The printable texts of base64 tokens in a script (`printf '%s' 'ZGF0YWJhc2Uu...' | base64 -d`). */
function decodedTokens(script: string): string[] {
  if (script.length < 16) return [];
  const out: string[] = [];
  for (const m of script.matchAll(/[A-Za-z0-9+/]{12,}={0,2}/g)) {
    if (m[0].length % 4 !== 0) continue;
    const decoded = Buffer.from(m[0], 'base64').toString('utf8');
    if (/^[\x20-\x7e]+$/.test(decoded)) out.push(decoded);
  }
  return out;
}

/** `TCP 5432`, `TCP 8080-8082`, `all traffic`. */
function portLabel(config: Readonly<Record<string, unknown>>): string {
  const protocol = String(config.ip_protocol ?? config.protocol ?? 'tcp');
  if (protocol === '-1' || protocol === 'all') return 'all traffic';
  const from = config.from_port;
  const to = config.to_port;
  return `${protocol.toUpperCase()} ${from === to || to === undefined ? from : `${from}-${to}`}`;
}

/** What a GCP role lets its holder do to the resource it is granted on. */
function gcpRoleLabel(role: string): string | undefined {
  const rules: [RegExp, string][] = [
    [/secretmanager\.secretAccessor/, 'reads'],
    [/secretmanager\.(secretVersionAdder|secretVersionManager|admin)/, 'writes'],
    [/storage\.(objectAdmin|objectUser|admin|legacyBucketWriter)/, 'reads/writes'],
    [/storage\.objectCreator/, 'writes'],
    [/storage\.(objectViewer|legacyObjectReader|legacyBucketReader)/, 'reads'],
    [/artifactregistry\.(writer|repoAdmin|admin)/, 'pushes image'],
    [/artifactregistry\.reader/, 'pulls image'],
    [/run\.invoker/, 'invokes'],
    [/run\.(developer|admin)/, 'deploys'],
    [/iam\.serviceAccountUser/, 'acts as'],
    [/iam\.(workloadIdentityUser|serviceAccountTokenCreator)/, 'impersonates'],
    [/cloudsql\.(client|instanceUser)/, 'connects'],
  ];
  for (const [pattern, label] of rules) if (pattern.test(role)) return label;
  return role ? role.replace(/^.*\//, '') : undefined;
}

/** What AWS actions on a resource amount to. */
function awsActionLabel(actions: readonly string[], kind: DiagramNodeKind | undefined): string | undefined {
  const has = (pattern: RegExp) => actions.some((a) => pattern.test(a));
  // Rights on a database (its managed password secret) add nothing to the connection's own edge.
  if (kind === 'database' || kind === 'cache') return undefined;
  if (has(/^ecr:(PutImage|CompleteLayerUpload|\*)/)) return 'pushes image';
  if (has(/^ecr:(BatchGetImage|GetDownloadUrlForLayer)/)) return 'pulls image';
  if (has(/^autoscaling:(StartInstanceRefresh|UpdateAutoScalingGroup)/)) return 'rolls out';
  if (has(/^logs:(PutLogEvents|CreateLogStream)/)) return 'writes logs';
  const reads = has(/^(secretsmanager:GetSecretValue|s3:GetObject|ssm:GetParameter|s3:\*|secretsmanager:\*)/);
  const writes = has(/^(secretsmanager:PutSecretValue|s3:PutObject|s3:DeleteObject|ssm:PutParameter|s3:\*|secretsmanager:\*)/);
  if (reads && writes) return 'reads/writes';
  if (reads) return 'reads';
  if (writes) return 'writes';
  return actions.length === 1 ? actions[0] : undefined;
}

function pluralTitle(kind: DiagramNodeKind, title: string): string {
  if (kind === 'secret' || kind === 'registry') return title;
  return /(certificate|bucket|parameter|repository)$/.test(title) ? `${title.replace(/y$/, 'ie')}s` : title;
}

function countLine(kind: DiagramNodeKind, n: number): string {
  return kind === 'secret' ? `${n} secrets` : kind === 'registry' ? `${n} repositories` : `× ${n}`;
}
