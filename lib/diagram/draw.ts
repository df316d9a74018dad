import { StackModel } from '../model/stack-model';
import { dotText, toDot } from './dot';
import { toMermaid } from './mermaid';
import { Diagram, buildDiagram } from './model';
import { renderPng, renderSvg } from './render';

/** The formats a diagram is drawn in: `svg` and `png` pictures, `mermaid` (`.mmd`) and `dot` text. */
export type DiagramFormat = 'svg' | 'png' | 'mermaid' | 'dot';

/** Every format, in the order the CLI writes them. */
export const DIAGRAM_FORMATS: readonly DiagramFormat[] = ['svg', 'png', 'mermaid', 'dot'];

/** The file extension of each format. */
export const DIAGRAM_EXTENSIONS: Readonly<Record<DiagramFormat, string>> = { svg: 'svg', png: 'png', mermaid: 'mmd', dot: 'dot' };

/** Options of drawing a diagram. */
export interface DrawOptions {
  /**
   * Also list what folds into each box and group (by resource type) and every name a summarized label stands for.
   * @default false
   */
  readonly details?: boolean;
  /**
   * Width of a PNG in pixels.
   * @default the SVG's own width at 96 dpi
   */
  readonly width?: number;
}

/** The left edge of each environment's cluster in a Graphviz SVG, by the cluster's DOT name. */
function clusterLeft(svg: string, cluster: string): number | undefined {
  const at = svg.indexOf(`<title>${cluster}</title>`);
  if (at < 0) return undefined;
  const shape = /(?:points|d)="M?\s*(-?[0-9.]+),/.exec(svg.slice(at, at + 2000));
  return shape ? Number(shape[1]) : undefined;
}

/** Whether the environments' clusters stand left to right in the stack's order. */
function environmentsInOrder(svg: string, diagram: Diagram): boolean {
  const lefts = diagram.groups
    .map((g, i) => (g.kind === 'environment' ? clusterLeft(svg, `cluster_${i}`) : undefined))
    .filter((x): x is number => x !== undefined);
  return lefts.every((x, i) => i === 0 || lefts[i - 1] < x);
}

/**
 * The diagram as SVG, laid out by Graphviz (WebAssembly). Environments are drawn left to right in the stack's
 * order (production, then staging): when Graphviz's first layout puts them the other way, the other order of the
 * clusters is laid out too and kept if it is right.
 */
export function drawSvg(diagram: Diagram, options: DrawOptions = {}): string {
  const details = options.details ?? false;
  const svg = renderSvg(dotText(diagram, details, false));
  if (environmentsInOrder(svg, diagram)) return svg;
  const other = renderSvg(dotText(diagram, details, true));
  return environmentsInOrder(other, diagram) ? other : svg;
}

/** The diagram as PNG: the SVG drawn by resvg (WebAssembly) with the bundled DejaVu Sans. */
export function drawPng(diagram: Diagram, options: DrawOptions = {}): Uint8Array {
  return renderPng(drawSvg(diagram, options), { width: options.width });
}

/** The diagram in one format: text for `svg`, `mermaid` and `dot`, bytes for `png`. */
export function drawDiagram(diagram: Diagram, format: DiagramFormat, options: DrawOptions = {}): string | Uint8Array {
  switch (format) {
    case 'svg':
      return drawSvg(diagram, options);
    case 'png':
      return drawPng(diagram, options);
    case 'mermaid':
      return toMermaid(diagram, options);
    case 'dot':
      return toDot(diagram, options);
  }
}

/** A synthesized stack's diagram in one format: `buildDiagram`, then `drawDiagram`. */
export function diagramOf(stack: StackModel, format: DiagramFormat, options: DrawOptions = {}): string | Uint8Array {
  return drawDiagram(buildDiagram(stack), format, options);
}
