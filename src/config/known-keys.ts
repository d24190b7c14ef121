/** Walks the zod schema to the object at a config path and lists its keys: the candidates for "did you mean". */
import type { z } from 'zod';

type AnySchema = z.ZodType;

// zod 4 exposes each schema's definition at `_zod.def`; we read only the wrapper kinds a config schema uses.
interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  in?: AnySchema;
  getter?: () => AnySchema;
}

const defOf = (s: AnySchema) => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: AnySchema): AnySchema[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return unwrap(def.innerType!);
    case 'pipe':
      return unwrap(def.in!);
    case 'lazy':
      return unwrap(def.getter!());
    case 'union':
      return (def.options ?? []).flatMap(unwrap);
    default:
      return [schema];
  }
}

function step(schema: AnySchema, seg: PropertyKey): AnySchema[] {
  return unwrap(schema).flatMap((s) => {
    const def = defOf(s);
    if (def.type === 'object' && def.shape && typeof seg === 'string' && seg in def.shape)
      return [def.shape[seg]!];
    if (def.type === 'array' && typeof seg === 'number') return [def.element!];
    if (def.type === 'record') return [def.valueType!];
    return [];
  });
}

export function knownKeysAt(root: AnySchema, path: readonly PropertyKey[]): string[] {
  let current = [root];
  for (const seg of path) current = current.flatMap((s) => step(s, seg));
  const keys = new Set<string>();
  for (const s of current.flatMap(unwrap)) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape) for (const k of Object.keys(def.shape)) keys.add(k);
  }
  return [...keys];
}
