// Architecture diagrams of synthesized stacks: the model (boxes, groups, edges), its DOT and Mermaid text, and
// SVG/PNG drawn by WebAssembly builds of Graphviz and resvg, loaded only when a picture is drawn.
export { buildDiagram } from './model';
export type { Diagram, DiagramEdge, DiagramEdgeKind, DiagramGroup, DiagramGroupKind, DiagramNode } from './model';
export type { DiagramNodeKind } from './catalog';
export { toDot } from './dot';
export type { DotOptions } from './dot';
export { toMermaid } from './mermaid';
export type { MermaidOptions } from './mermaid';
export { renderPng, renderSvg, closeRenderer } from './render';
export type { PngOptions } from './render';
export { DIAGRAM_EXTENSIONS, DIAGRAM_FORMATS, diagramOf, drawDiagram, drawPng, drawSvg } from './draw';
export type { DiagramFormat, DrawOptions } from './draw';
