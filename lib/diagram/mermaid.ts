import { Diagram, DiagramGroup, DiagramNode } from './model';
import { EDGE_COLORS, GROUP_COLORS, NODE_COLORS, caption, groupLines, hostsInBoxes, nodeLines } from './style';
import { visible } from './dot';

/** Options of the Mermaid rendering. */
export interface MermaidOptions {
  /**
   * Also list what folds into each box and group (by resource type) and every name a DNS edge summarizes.
   * @default false
   */
  readonly details?: boolean;
}

/**
 * Text in a Mermaid label: user strings (names, hosts) reach labels, so quotes and markup are written as Mermaid's
 * entity codes and cannot end the label or add a node.
 */
function text(value: string): string {
  // `%` too: Mermaid reads a `%%{init: ...}%%` directive anywhere in the text.
  return visible(value).replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;').replace(/%/g, '#37;');
}

const SHAPES: Partial<Record<DiagramNode['kind'], [string, string]>> = {
  database: ['[(', ')]'],
  cache: ['[(', ')]'],
  internet: ['((', '))'],
  bucket: ['[/', '/]'],
  secret: ['[[', ']]'],
};

/**
 * The diagram as a Mermaid flowchart, for a README on GitHub, which draws it live: the same boxes, groups (as
 * subgraphs) and labelled edges as the DOT rendering. Deterministic: the same diagram gives the same text.
 */
export function toMermaid(diagram: Diagram, options: MermaidOptions = {}): string {
  const details = options.details ?? false;
  const ids = new Map<string, string>();
  diagram.nodes.forEach((n, i) => ids.set(n.id, `n${i + 1}`));
  diagram.groups.forEach((g, i) => ids.set(g.id, `g${i + 1}`));
  const { hostOf, unlabelled } = hostsInBoxes(diagram);
  const out: string[] = ['flowchart TB'];
  for (const line of [diagram.title, ...caption(diagram, details)]) out.push(`  %% ${line.replace(/\n/g, ' ')}`);
  const children = (parent: string | undefined) => diagram.groups.filter((g) => g.parent === parent);
  const nodesIn = (group: string | undefined) => diagram.nodes.filter((n) => n.group === group);
  const writeNode = (node: DiagramNode, indent: string) => {
    const { title, lines, folded } = nodeLines(node, details, hostOf.get(node.id));
    const label = [`<b>${text(title)}</b>`, ...lines.map(text), ...folded.map((l) => `<small>${text(l)}</small>`)].join('<br/>');
    const [open, close] = SHAPES[node.kind] ?? ['(', ')'];
    out.push(`${indent}${ids.get(node.id)}${open}"${label}"${close}`);
  };
  const writeGroup = (group: DiagramGroup, indent: string) => {
    const [first, ...rest] = groupLines(group.label, group.resources, details);
    out.push(`${indent}subgraph ${ids.get(group.id)}["${[text(first), ...rest.map((l) => `<small>${text(l)}</small>`)].join('<br/>')}"]`);
    out.push(`${indent}  direction TB`);
    for (const child of children(group.id)) writeGroup(child, `${indent}  `);
    for (const node of nodesIn(group.id)) writeNode(node, `${indent}  `);
    out.push(`${indent}end`);
  };
  for (const node of nodesIn(undefined)) writeNode(node, '  ');
  for (const group of children(undefined)) writeGroup(group, '  ');
  const linkStyles: string[] = [];
  diagram.edges.forEach((edge, i) => {
    const labels = unlabelled.has(edge) ? [] : details ? edge.details : edge.labels;
    const arrow = edge.kind === 'dns' || edge.kind === 'tls' || edge.kind === 'deploy' ? '-.->' : edge.kind === 'request' ? '==>' : '-->';
    const label = labels.length > 0 ? `|"${labels.map(text).join('<br/>')}"|` : '';
    out.push(`  ${ids.get(edge.from)} ${arrow}${label} ${ids.get(edge.to)}`);
    linkStyles.push(`  linkStyle ${i} stroke:${EDGE_COLORS[edge.kind]}`);
  });
  out.push(...linkStyles);
  const kinds = [...new Set(diagram.nodes.map((n) => n.kind))];
  for (const kind of kinds) {
    const color = NODE_COLORS[kind];
    out.push(`  classDef ${kind.replace(/-/g, '_')} fill:${color.fill},stroke:${color.border},color:#202124${kind === 'resource' ? ',stroke-dasharray:4 3' : ''}`);
    out.push(`  class ${diagram.nodes.filter((n) => n.kind === kind).map((n) => ids.get(n.id)).join(',')} ${kind.replace(/-/g, '_')}`);
  }
  for (const group of diagram.groups) {
    const color = GROUP_COLORS[group.kind];
    out.push(`  style ${ids.get(group.id)} fill:${color.fill},stroke:${color.border}${group.kind === 'network' || group.kind === 'private-zone' ? ',stroke-dasharray:5 4' : ''}`);
  }
  return `${out.join('\n')}\n`;
}
