import { createHash } from 'crypto';
import { StackModel } from '../model/stack-model';
import { drawSvg } from './draw';
import { toMermaid } from './mermaid';
import { buildDiagram } from './model';
import { renderPng } from './render';

/**
 * The pictures of the bundled stacks in docs/diagrams (scripts/diagram-docs.js writes them; a test checks they are
 * current). The SVG and the Mermaid text are compared byte for byte. The PNG is not: resvg's anti-aliasing and the
 * PNG encoder may differ in a few bytes across CPUs and library versions. Instead it carries the SHA-256 of the SVG
 * it was drawn from in a PNG text chunk, so a stale PNG is caught exactly, without comparing pixels.
 * @internal
 */

/** Width of the docs' PNGs: a README on GitHub is about 880 pixels wide. */
export const DOCS_PNG_WIDTH = 880;

/** The PNG text chunk's keyword. */
export const SVG_HASH_KEY = 'cdktf-serverpod-svg-sha256';

/** A stack's documented pictures. */
export interface DocDiagram {
  readonly svg: string;
  readonly mermaid: string;
  /** The SHA-256 of `svg`, hex. */
  readonly svgHash: string;
}

/** The SVG and Mermaid text of a stack's diagram as the docs show them. */
export function docDiagram(stack: StackModel): DocDiagram {
  const diagram = buildDiagram(stack);
  const svg = drawSvg(diagram);
  return { svg, mermaid: toMermaid(diagram), svgHash: sha256(svg) };
}

/** The PNG of a documented diagram, README-wide, stamped with its SVG's hash. */
export function docPng(doc: DocDiagram): Uint8Array {
  return pngWithText(renderPng(doc.svg, { width: DOCS_PNG_WIDTH }), SVG_HASH_KEY, doc.svgHash);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG with a `tEXt` chunk (keyword, Latin-1 text) inserted right after its header chunk. */
export function pngWithText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  const data = Buffer.from(`${keyword}\0${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  const afterHeader = 8 + 12 + Buffer.from(png.buffer, png.byteOffset, png.byteLength).readUInt32BE(8);
  return Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
}

/** A PNG's width and height, and the text of its `tEXt` chunks by keyword. */
export function readPng(png: Uint8Array): { width: number; height: number; text: Record<string, string> } {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.subarray(0, 8).toString('latin1') !== '\x89PNG\r\n\x1a\n') throw new Error('not a PNG');
  const text: Record<string, string> = {};
  for (let at = 8; at + 8 <= buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'tEXt') {
      const body = buf.toString('latin1', at + 8, at + 8 + length);
      const zero = body.indexOf('\0');
      text[body.slice(0, zero)] = body.slice(zero + 1);
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), text };
}
