/**
 * Action codecs: one per feature, used both where a button is made (`pack`) and where a press
 * is handled (`unpack`), so the two can never drift apart. A packed value is
 * `<prefix>:<tag>[:<field>…]` and fits Telegram's 64 bytes of callback data; making one that
 * does not fit is a bug and throws at once.
 *
 * `unpack` checks every field (a unit code is a unit code, a month is a real month, a token is
 * hex) and returns `undefined` for anything else, so a forged, mutated or outdated value gets
 * a clear answer from the router instead of reaching a service.
 *
 * ```ts
 * const actions = defineCodec('sh', {
 *   progress: { tag: 'p', fields: { scope: unitCodeField, month: optional(yearMonthField) } },
 *   cancel: { tag: 'x' },
 * });
 * type MeetingAction = ActionOf<typeof actions>; // { kind: 'progress'; scope: string; month?: string } | { kind: 'cancel' }
 * actions.pack({ kind: 'progress', scope: 'XA', month: '2025-08' }); // 'sh:p:XA:2025-08'
 * actions.unpack('sh:p:XA:2025-13'); // undefined
 * ```
 */

/** Telegram's limit on callback data, in bytes. */
export const ACTION_VALUE_LIMIT = 64;

/** How one value travels inside a packed action. */
export interface Field<T> {
  encode(value: T): string;
  /** The value, or undefined when `text` is not one this field could have made. */
  decode(text: string): T | undefined;
}

interface Optional<T> {
  optional: Field<T>;
}
interface Rest<T> {
  rest: Field<T>;
}
type AnyField = Field<never> | Optional<never> | Rest<never>;

/** A field that may be left out; only trailing fields can be. */
export const optional = <T>(field: Field<T>): Optional<T> => ({ optional: field });
/** The last field, which takes everything after it, `:` included. */
export const rest = <T>(field: Field<T>): Rest<T> => ({ rest: field });

interface VariantSpec {
  tag: string;
  // biome-ignore lint/suspicious/noExplicitAny: field types are inferred per variant below.
  fields?: Record<string, Field<any> | Optional<any> | Rest<any>>;
}
type Spec = Record<string, VariantSpec>;

type FieldValue<F> =
  F extends Field<infer T> ? T : F extends Optional<infer T> ? T : F extends Rest<infer T> ? T : never;
type RequiredKeys<Fs> = { [K in keyof Fs]: Fs[K] extends Optional<unknown> ? never : K }[keyof Fs];
type OptionalKeys<Fs> = { [K in keyof Fs]: Fs[K] extends Optional<unknown> ? K : never }[keyof Fs];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type VariantValue<K, V extends VariantSpec> = V['fields'] extends infer Fs extends Record<string, unknown>
  ? Simplify<
      { kind: K } & { [F in RequiredKeys<Fs>]: FieldValue<Fs[F]> } & {
        [F in OptionalKeys<Fs>]?: FieldValue<Fs[F]>;
      }
    >
  : { kind: K };

/** The action type a codec packs and unpacks. */
export type ActionOf<C> = C extends Codec<infer A> ? A : never;

export interface Codec<A extends { kind: string }> {
  readonly prefix: string;
  /** The packed value for an action; throws when it would not fit in 64 bytes. */
  pack(action: A): string;
  /** The action a packed value stands for, or undefined when it is malformed or not this codec's. */
  unpack(value: string): A | undefined;
  /** True when `value` starts with this codec's prefix (whether or not it is valid). */
  owns(value: string): boolean;
}

/** A codec for the variants in `spec`, packed under `prefix`. */
export function defineCodec<S extends Spec>(
  prefix: string,
  spec: S,
): Codec<{ [K in keyof S & string]: VariantValue<K, S[K]> }[keyof S & string]> {
  type A = { [K in keyof S & string]: VariantValue<K, S[K]> }[keyof S & string];
  if (!/^[a-z]+$/.test(prefix)) throw new Error(`bad codec prefix: ${prefix}`);
  const byTag = new Map<string, [string, VariantSpec]>();
  for (const [kind, variant] of Object.entries(spec)) {
    if (byTag.has(variant.tag)) throw new Error(`codec ${prefix}: tag ${variant.tag} used twice`);
    byTag.set(variant.tag, [kind, variant]);
  }
  return {
    prefix,
    owns: (value) => value === prefix || value.startsWith(`${prefix}:`),
    pack(action: A): string {
      const variant = spec[action.kind] as VariantSpec | undefined;
      if (!variant) throw new Error(`codec ${prefix}: unknown kind ${action.kind}`);
      const parts = [prefix, variant.tag];
      const values = action as unknown as Record<string, unknown>;
      for (const [name, f] of Object.entries(variant.fields ?? {})) {
        const value = values[name];
        if ('optional' in f) {
          if (value === undefined) break;
          parts.push(f.optional.encode(value as never));
        } else parts.push(('rest' in f ? f.rest : f).encode(value as never));
      }
      const packed = parts.join(':');
      if (Buffer.byteLength(packed, 'utf8') > ACTION_VALUE_LIMIT)
        throw new Error(`action value over ${ACTION_VALUE_LIMIT} bytes: ${packed}`);
      return packed;
    },
    unpack(value: string): A | undefined {
      if (typeof value !== 'string' || Buffer.byteLength(value, 'utf8') > ACTION_VALUE_LIMIT)
        return undefined;
      const [head, tag, ...parts] = value.split(':');
      if (head !== prefix || tag === undefined) return undefined;
      const found = byTag.get(tag);
      if (!found) return undefined;
      const [kind, variant] = found;
      const out: Record<string, unknown> = { kind };
      const fields = Object.entries(variant.fields ?? {}) as [string, AnyField][];
      let i = 0;
      for (const [name, f] of fields) {
        if ('rest' in f) {
          if (i >= parts.length) return undefined;
          const decoded = f.rest.decode(parts.slice(i).join(':'));
          if (decoded === undefined) return undefined;
          out[name] = decoded;
          i = parts.length;
          continue;
        }
        const part = parts[i];
        if (part === undefined) {
          if ('optional' in f) break;
          return undefined;
        }
        const decoded = ('optional' in f ? f.optional : f).decode(part);
        if (decoded === undefined) return undefined;
        out[name] = decoded;
        i++;
      }
      return i === parts.length ? (out as A) : undefined;
    },
  };
}

// ---- Fields ----

/** A string matching `pattern` (which must not allow `:`), at most `max` characters. */
export function patternField(pattern: RegExp, max: number): Field<string> {
  return {
    encode: (v) => v,
    decode: (t) => (t.length > 0 && t.length <= max && !t.includes(':') && pattern.test(t) ? t : undefined),
  };
}

/** Free text of at most `max` characters on one line, `:` and empty included (use with `rest`). */
export function textField(max: number): Field<string> {
  return { encode: (v) => v, decode: (t) => (t.length <= max && !/[\r\n]/.test(t) ? t : undefined) };
}

/** An integer in [min, max], written in decimal. */
export function intField(min: number, max: number): Field<number> {
  return {
    encode: (v) => String(v),
    decode: (t) => {
      if (!/^-?\d{1,16}$/.test(t)) return undefined;
      const n = Number(t);
      return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
    },
  };
}

/** One of `values`, written as itself (each must be short and free of `:`). */
export function oneOfField<const T extends string>(values: readonly T[]): Field<T> {
  return {
    encode: (v) => v,
    decode: (t) => ((values as readonly string[]).includes(t) ? (t as T) : undefined),
  };
}

/** One of `values`, written as its index in the list (for long names). */
export function indexField<const T>(values: readonly T[]): Field<T> {
  return {
    encode: (v) => {
      const i = values.indexOf(v);
      if (i < 0) throw new Error(`not in the list: ${String(v)}`);
      return String(i);
    },
    decode: (t) => (/^\d{1,3}$/.test(t) ? values[Number(t)] : undefined),
  };
}

/** A unit code as the unit CSV allows it. */
export const unitCodeField = patternField(/^[A-Za-z0-9._-]+$/, 32);
/** A calendar month, `YYYY-MM`. */
export const yearMonthField = patternField(/^(19|20|21)\d\d-(0[1-9]|1[0-2])$/, 7);
/** A day, `YYYY-MM-DD`, that exists. */
export const isoDateField: Field<string> = {
  encode: (v) => v,
  decode: (t) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return undefined;
    const d = new Date(`${t}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(t) ? t : undefined;
  },
};
/** A card's nonce: lowercase hex. */
export const tokenField = patternField(/^[0-9a-f]{4,32}$/, 32);
/** A person's id. */
export const personIdField = intField(-(2 ** 53 - 1), 2 ** 53 - 1);
/** A record's numeric id (a directive, a campaign). */
export const recordIdField = intField(1, 2 ** 53 - 1);
