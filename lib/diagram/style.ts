import { DiagramNodeKind } from './catalog';
import { Diagram, DiagramEdge, DiagramEdgeKind, DiagramGroupKind, DiagramNode } from './model';

/** What the DOT and Mermaid renderings share: colours by kind, and the lines `--details` adds. */

/** The font the layout measures text with and the PNG is drawn with: Graphviz knows its metrics, and it ships as TTF. */
export const DIAGRAM_FONT = 'DejaVu Sans';
/** What an SVG viewer falls back to without DejaVu Sans: Verdana has almost the same widths. */
export const SVG_FONT_STACK = "'DejaVu Sans', Verdana, Geneva, sans-serif";

/** Fill and border of a box of each kind. */
export const NODE_COLORS: Readonly<Record<DiagramNodeKind, { readonly fill: string; readonly border: string }>> = {
  internet: { fill: '#ffffff', border: '#5f6368' },
  'dns-zone': { fill: '#e8f0fe', border: '#3b5fc4' },
  certificate: { fill: '#e8f0fe', border: '#3b5fc4' },
  'load-balancer': { fill: '#e8f0fe', border: '#3b5fc4' },
  cdn: { fill: '#e8f0fe', border: '#3b5fc4' },
  'server-group': { fill: '#e6f4ea', border: '#2e7d32' },
  service: { fill: '#e6f4ea', border: '#2e7d32' },
  job: { fill: '#e6f4ea', border: '#2e7d32' },
  scheduler: { fill: '#e6f4ea', border: '#2e7d32' },
  database: { fill: '#fef3e2', border: '#c26400' },
  cache: { fill: '#fef3e2', border: '#c26400' },
  bucket: { fill: '#f3e8fd', border: '#7b3fb5' },
  secret: { fill: '#f3e8fd', border: '#7b3fb5' },
  registry: { fill: '#f3e8fd', border: '#7b3fb5' },
  ci: { fill: '#f1f3f4', border: '#5f6368' },
  resource: { fill: '#fafafa', border: '#9aa0a6' },
};

/** Colour of each kind of edge; DNS, TLS and deploy edges are dashed. */
export const EDGE_COLORS: Readonly<Record<DiagramEdgeKind, string>> = {
  request: '#1f3a93',
  dns: '#8a8f98',
  tls: '#8a8f98',
  data: '#c26400',
  access: '#6b5b8c',
  deploy: '#5f6368',
};

/** Border of each kind of group. */
export const GROUP_COLORS: Readonly<Record<DiagramGroupKind, { readonly border: string; readonly fill: string }>> = {
  environment: { border: '#5f6368', fill: '#fcfcfc' },
  network: { border: '#3b5fc4', fill: '#f7f9ff' },
  'private-zone': { border: '#3b5fc4', fill: '#eef2fd' },
  workload: { border: '#2e7d32', fill: '#f3faf4' },
};

/**
 * Requests that reach a box under one host name only (a Cloud Run service behind the load balancer, a bucket
 * behind its CDN) are drawn with the host in the box and the edge unlabelled: many labelled edges fanning out of
 * one load balancer would make the picture as wide as their labels. Host → box id.
 */
export function hostsInBoxes(diagram: Diagram): { readonly hostOf: ReadonlyMap<string, string>; readonly unlabelled: ReadonlySet<DiagramEdge> } {
  const kinds = new Map(diagram.nodes.map((n) => [n.id, n.kind]));
  const hostOf = new Map<string, string>();
  const unlabelled = new Set<DiagramEdge>();
  for (const node of diagram.nodes) {
    const incoming = diagram.edges.filter((e) => e.to === node.id && e.kind === 'request' && (kinds.get(e.from) === 'load-balancer' || kinds.get(e.from) === 'cdn'));
    const [edge] = incoming;
    if (incoming.length !== 1 || edge.labels.length !== 1 || edge.details.length !== 1 || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(edge.details[0])) continue;
    hostOf.set(node.id, edge.details[0]);
    unlabelled.add(edge);
  }
  return { hostOf, unlabelled };
}

/** The lines of a box: its title and lines, and with `details` the names merged into it and what folds into it, by type. */
export function nodeLines(node: DiagramNode, details: boolean, host?: string): { title: string; lines: string[]; folded: string[] } {
  const lines = host ? [host, ...node.lines] : [...node.lines];
  if (!details) return { title: node.title, lines, folded: [] };
  const own = new Set(node.resources.slice(0, node.count));
  const byType = new Map<string, number>();
  for (const address of node.resources) {
    if (own.has(address)) continue;
    const type = address.slice(0, address.indexOf('.'));
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  const folded = [...byType].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([type, n]) => `+ ${type}${n > 1 ? ` × ${n}` : ''}`);
  return { title: node.title, lines: [...lines, ...node.details], folded };
}

/** A group's label, and with `details` what folds into the group (the network's subnets, router, NAT...), by type. */
export function groupLines(label: string, resources: readonly string[], details: boolean): string[] {
  if (!details || resources.length === 0) return [label];
  const byType = new Map<string, number>();
  for (const address of resources) {
    const type = address.slice(0, address.indexOf('.'));
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  return [label, ...[...byType].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([type, n]) => `+ ${type}${n > 1 ? ` × ${n}` : ''}`)];
}

/** The caption under the diagram: what it leaves out, and the unknown types it draws plainly. */
export function caption(diagram: Diagram, details: boolean): string[] {
  const out: string[] = [];
  const folded = diagram.nodes.reduce((n, node) => n + node.resources.length - node.count, 0) + diagram.groups.reduce((n, g) => n + g.resources.length, 0);
  if (!details && folded > 0) out.push(`${folded} supporting resources folded into the boxes they serve (--details lists them)`);
  if (diagram.unattached.length > 0) out.push(`${diagram.unattached.length} stack-wide resources not drawn (${[...new Set(diagram.unattached.map((a) => a.slice(0, a.indexOf('.'))))].join(', ')})`);
  if (diagram.unknownTypes.length > 0) out.push(`drawn plainly, no table knows them: ${diagram.unknownTypes.join(', ')}`);
  return out;
}
