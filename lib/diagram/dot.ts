import { Diagram, DiagramGroup, DiagramNode } from './model';
import { DIAGRAM_FONT, EDGE_COLORS, GROUP_COLORS, NODE_COLORS, caption, groupLines, hostsInBoxes, nodeLines } from './style';

/** Options of the DOT rendering. */
export interface DotOptions {
  /**
   * Also list what folds into each box and group (by resource type) and every name a DNS edge summarizes.
   * @default false
   */
  readonly details?: boolean;
}

/** How many ranks below the box that uses it a box of these kinds goes, so environments stay narrow. */
const RANK_STEP: Partial<Record<DiagramNode['kind'], number>> = { secret: 2, bucket: 3 };

const SHAPES: Partial<Record<DiagramNode['kind'], string>> = { database: 'cylinder', cache: 'cylinder', internet: 'ellipse', bucket: 'folder', secret: 'note' };

/** A DOT double-quoted string (ids). */
function quoted(value: string): string {
  return `"${visible(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Control characters as spaces: Graphviz drops an HTML label holding one (the whole box's text) while it still
 * reports success, and a terminal or editor showing the DOT would act on them.
 */
export function visible(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\ufffe\uffff]/g, ' ');
}

/** Text for an HTML-like label: user strings (names, hosts) reach labels, so every markup character is escaped. */
function html(value: string): string {
  return visible(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A long name broken so no line passes `width` characters (a box stays narrow): after the last hyphen, dot, slash
 * or space that leaves neither a short head nor a tail of a few letters (`com`).
 */
export function wrap(line: string, width = 28): string[] {
  const out: string[] = [];
  let rest = line;
  // A name cut short with an ellipsis keeps it.
  while (rest.length > width && !(rest.length === width + 1 && rest.endsWith('…'))) {
    let cut = -1;
    for (let i = Math.min(width, rest.length) - 1; i >= width / 3; i--) {
      if ('-./ '.includes(rest[i]) && rest.length - i - 1 > 4) {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = width - 1;
    out.push(rest.slice(0, cut + 1).trimEnd());
    rest = rest.slice(cut + 1).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

function nodeLabel(node: DiagramNode, details: boolean, host?: string): string {
  const { title, lines, folded } = nodeLines(node, details, host);
  const rows = [`<font point-size="12">${html(title)}</font>`, ...lines.flatMap((l) => wrap(l)).map((l) => `<font point-size="10">${html(l)}</font>`), ...folded.map((l) => `<font point-size="9" color="#5f6368">${html(l)}</font>`)];
  return `<${rows.join('<br/>')}>`;
}

function groupLabel(group: DiagramGroup, details: boolean): string {
  const [first, ...rest] = groupLines(group.label, group.resources, details);
  const size = group.kind === 'environment' ? 13 : 10;
  return `<${[...first.split(' · ').flatMap((part) => wrap(part, 40)).map((l) => `<font point-size="${size}">${html(l)}</font>`), ...rest.map((l) => `<font point-size="9" color="#5f6368">${html(l)}</font>`)].join('<br/>')}>`;
}

/**
 * The diagram as Graphviz DOT: boxes coloured by kind, groups as clusters (environments side by side, networks,
 * private zones and workloads inside them), edges styled by what they carry. Deterministic: the same diagram gives
 * the same text.
 */
export function toDot(diagram: Diagram, options: DotOptions = {}): string {
  return dotText(diagram, options.details ?? false, false);
}

/**
 * `toDot`, with the environments' clusters written in reverse order when `reversed`: Graphviz orders clusters by
 * its own crossing minimization, and the rendering tries the other order when the first layout put them out of
 * the stack's order.
 */
export function dotText(diagram: Diagram, details: boolean, reversed: boolean): string {
  const out: string[] = [];
  const font = quoted(DIAGRAM_FONT);
  out.push(`digraph ${quoted(diagram.stack)} {`);
  const title = [diagram.title, ...caption(diagram, details)];
  out.push(
    `  graph [rankdir=TB, compound=true, newrank=true, fontname=${font}, fontsize=10, nodesep=0.2, ranksep=0.35, pad=0.15, labelloc=t, labeljust=l, label=<${title.map((t, i) => `<font point-size="${i === 0 ? 14 : 10}">${html(t)}</font>`).join('<br align="left"/>')}<br align="left"/>>];`,
  );
  out.push(`  node [shape=box, style="rounded,filled", fontname=${font}, margin="0.12,0.05", penwidth=1.2];`);
  out.push(`  edge [fontname=${font}, fontsize=9, arrowsize=0.6, penwidth=1];`);
  const byId = new Map(diagram.nodes.map((n) => [n.id, n]));
  const { hostOf, unlabelled } = hostsInBoxes(diagram);
  const clusterIds = new Map(diagram.groups.map((g, i) => [g.id, `cluster_${i}`]));
  const children = (parent: string | undefined) => diagram.groups.filter((g) => g.parent === parent);
  const nodesIn = (group: string | undefined) => diagram.nodes.filter((n) => n.group === group);
  const writeNode = (node: DiagramNode, indent: string) => {
    const color = NODE_COLORS[node.kind];
    const shape = SHAPES[node.kind];
    const style = node.kind === 'resource' ? 'rounded,filled,dashed' : shape === 'cylinder' || shape === 'ellipse' || shape === 'folder' || shape === 'note' ? 'filled' : 'rounded,filled';
    const attrs = [`label=${nodeLabel(node, details, hostOf.get(node.id))}`, `fillcolor=${quoted(color.fill)}`, `color=${quoted(color.border)}`, `style=${quoted(style)}`, shape ? `shape=${shape}` : ''];
    out.push(`${indent}${quoted(node.id)} [${attrs.filter(Boolean).join(', ')}];`);
  };
  const writeGroup = (group: DiagramGroup, indent: string) => {
    const color = GROUP_COLORS[group.kind];
    const style = group.kind === 'network' ? 'rounded,dashed,filled' : group.kind === 'private-zone' ? 'dotted,filled' : 'rounded,filled';
    out.push(`${indent}subgraph ${clusterIds.get(group.id)} {`);
    out.push(`${indent}  label=${groupLabel(group, details)}; style=${quoted(style)}; color=${quoted(color.border)}; fillcolor=${quoted(color.fill)}; margin=10;`);
    for (const child of children(group.id)) writeGroup(child, `${indent}  `);
    for (const node of nodesIn(group.id)) writeNode(node, `${indent}  `);
    out.push(`${indent}}`);
  };
  for (const node of nodesIn(undefined)) writeNode(node, '  ');
  const top = children(undefined);
  for (const group of reversed ? [...top].reverse() : top) writeGroup(group, '  ');
  // An edge of a workload group leaves from its last box (what it uses goes below the column) and arrives at its
  // first, clipped at the group's border.
  const anchor = (group: string, end: 'first' | 'last'): string | undefined => {
    const inside = (g: string): DiagramNode[] => [...nodesIn(g), ...children(g).flatMap((c) => inside(c.id))];
    const nodes = inside(group);
    return (end === 'first' ? nodes[0] : nodes[nodes.length - 1])?.id;
  };
  for (const edge of diagram.edges) {
    const fromGroup = clusterIds.get(edge.from);
    const toGroup = clusterIds.get(edge.to);
    const from = fromGroup ? anchor(edge.from, 'last') : edge.from;
    const to = toGroup ? anchor(edge.to, 'first') : edge.to;
    if (!from || !to) continue;
    const labels = unlabelled.has(edge) ? [] : details ? edge.details : edge.labels;
    const target = byId.get(edge.to);
    const attrs = [
      labels.length > 0 ? `label=<${labels.map(html).join('<br/>')}>` : '',
      `color=${quoted(EDGE_COLORS[edge.kind])}`,
      `fontcolor=${quoted(EDGE_COLORS[edge.kind])}`,
      edge.kind === 'dns' || edge.kind === 'tls' || edge.kind === 'deploy' ? 'style=dashed' : '',
      edge.kind === 'request' ? 'penwidth=1.4' : '',
      // Databases, then secrets, then buckets, each a rank lower: an environment grows down, not sideways.
      edge.kind === 'access' && target && RANK_STEP[target.kind] ? `minlen=${RANK_STEP[target.kind]}` : '',
      // The shared registry pulls no box sideways: it goes below the boxes that use it.
      target?.kind === 'registry' ? 'weight=0' : '',
      fromGroup ? `ltail=${fromGroup}` : '',
      toGroup ? `lhead=${toGroup}` : '',
    ];
    out.push(`  ${quoted(from)} -> ${quoted(to)} [${attrs.filter(Boolean).join(', ')}];`);
  }
  // A workload group's boxes one under the other (services first), not all on one row.
  for (const group of diagram.groups.filter((g) => g.kind === 'workload')) {
    const members = nodesIn(group.id);
    for (let i = 1; i < members.length; i++) out.push(`  ${quoted(members[i - 1].id)} -> ${quoted(members[i].id)} [style=invis];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
