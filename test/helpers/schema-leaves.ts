import { z } from 'zod';
import { wrappedSchema } from '../../lib/config/load';

/** A path into a config value: object keys, array index 0, or KEY for a record's key. */
export type LeafPath = readonly (string | number)[];
/** Stands for "the key of this record entry" in a LeafPath. */
export const RECORD_KEY = '<key>';

/**
 * Every place a zod schema accepts a string: string fields, array elements and record keys and values, through
 * optional, default, union and pipe wrappers. Enum fields count: a hostile value must be refused there too.
 */
export function stringLeaves(schema: z.ZodType, path: (string | number)[] = [], out: LeafPath[] = []): LeafPath[] {
  const inner = wrappedSchema(schema);
  if (inner) return stringLeaves(inner, path, out);
  const def = (schema as any)._zod.def;
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'literal':
      if (def.type !== 'literal' || typeof def.values?.[0] === 'string') out.push(path);
      break;
    case 'object':
      for (const [key, child] of Object.entries(def.shape)) stringLeaves(child as z.ZodType, [...path, key], out);
      break;
    case 'array':
      stringLeaves(def.element, [...path, 0], out);
      break;
    case 'record':
      stringLeaves(def.keyType, [...path, RECORD_KEY], out);
      stringLeaves(def.valueType, [...path, '<value>'], out);
      break;
    case 'union': {
      // Each alternative's leaves, once.
      const seen = new Set(out.map((p) => JSON.stringify(p)));
      for (const option of def.options) {
        for (const leaf of stringLeaves(option, path, [])) {
          if (!seen.has(JSON.stringify(leaf))) {
            seen.add(JSON.stringify(leaf));
            out.push(leaf);
          }
        }
      }
      break;
    }
    default:
      break;
  }
  return out;
}
