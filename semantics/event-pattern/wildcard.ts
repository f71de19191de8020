// EventBridge `wildcard` patterns: `*` matches any run of characters, `\*` and `\\` are literal.
// Parsing follows event-ruler's WildcardParser, whose error positions count UTF-8 bytes of the
// value *with* its surrounding quotes, hence the offset of 1 below.

export type WildcardParse = { ok: true; segments: string[] } | { ok: false; reason: string };

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Splits a wildcard pattern into the literal segments between stars. */
export function parseWildcard(text: string): WildcardParse {
  const segments: string[] = [];
  let current = "";
  let pos = 1; // byte position inside the quoted value
  const chars = Array.from(text);
  for (let k = 0; k < chars.length; k++) {
    const ch = chars[k] as string;
    if (ch === "*") {
      if (chars[k + 1] === "*") return { ok: false, reason: `Consecutive wildcard characters at pos ${pos}` };
      segments.push(current);
      current = "";
      pos += 1;
    } else if (ch === "\\") {
      const next = chars[k + 1];
      if (next === "*" || next === "\\") {
        current += next;
        k++;
        pos += 2;
        continue;
      }
      return { ok: false, reason: `Invalid escape character at pos ${pos}` };
    } else {
      current += ch;
      pos += utf8Length(ch.codePointAt(0) ?? 0);
    }
  }
  segments.push(current);
  return { ok: true, segments };
}

/** Builds a matcher from parsed segments (segments.length - 1 stars). */
export function wildcardMatcher(segments: string[]): (value: string) => boolean {
  if (segments.length === 1) {
    const only = segments[0] as string;
    return (v) => v === only;
  }
  const first = segments[0] as string;
  const last = segments[segments.length - 1] as string;
  const middle = segments.slice(1, -1);
  const minLength = segments.reduce((n, s) => n + s.length, 0);
  return (v) => {
    if (v.length < minLength || !v.startsWith(first) || !v.endsWith(last)) return false;
    // Leftmost placement of each middle segment is optimal for `*`-only globs.
    let from = first.length;
    const end = v.length - last.length;
    for (const seg of middle) {
      const at = v.indexOf(seg, from);
      if (at < 0 || at + seg.length > end) return false;
      from = at + seg.length;
    }
    return true;
  };
}

/** One value pattern of a field, as the complexity check sees it. */
export type ComplexityTerm = { identity: string; wildcards: string[] };

type CState = {
  literal: Map<number, number[]>;
  any: number[];
  weight: Set<string>;
  prefix: Map<number, number>;
  star: number;
};

const ANY = 256;

// The value as event-ruler's byte machine sees it: UTF-8 bytes inside quotes, `*` as ANY.
function wildcardBytes(pattern: string): number[] {
  const out = [34];
  const chars = Array.from(pattern);
  for (let k = 0; k < chars.length; k++) {
    let ch = chars[k] as string;
    if (ch === "*") {
      out.push(ANY);
      continue;
    }
    if (ch === "\\" && k + 1 < chars.length) ch = chars[++k] as string;
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  out.push(34);
  return out;
}

/**
 * Worst-case number of wildcard rule prefixes one input value can keep alive at once among the
 * patterns of one field: the quantity AWS limits ("Rule is too complex - try using fewer wildcard
 * characters or fewer repeating character sequences after a wildcard character"). This models
 * event-ruler's byte machine and MachineComplexityEvaluator: determinate prefixes share states,
 * a star state loops on every byte, and a state weighs as many distinct patterns as reach it.
 * Evaluation stops as soon as `limit` is exceeded, which keeps compile time bounded.
 */
export function wildcardComplexity(terms: ComplexityTerm[], limit: number): number {
  const newState = (): CState => ({ literal: new Map(), any: [], weight: new Set(), prefix: new Map(), star: 0 });
  const states: CState[] = [newState()];
  const matches = new Map<string, number>();
  const alphabet = new Set<number>();
  const addLiteral = (from: number, byte: number, to: number) => {
    const st = states[from] as CState;
    const list = st.literal.get(byte);
    if (list) list.push(to);
    else st.literal.set(byte, [to]);
  };

  for (const term of terms) {
    for (const pattern of term.wildcards) {
      const tokens = wildcardBytes(pattern);
      let current = 0;
      let previous = -1;
      let determinate = true;
      tokens.forEach((token, i) => {
        let next = 0;
        const terminal = i === tokens.length - 1;
        const cur = states[current] as CState;
        if (terminal) next = matches.get(term.identity) ?? 0;
        else if (token === ANY) {
          if (determinate) {
            next = cur.star;
            if (next === 0) cur.star = states.length;
          }
          determinate = false;
        } else if (determinate) next = cur.prefix.get(token) ?? 0;
        const created = next === 0;
        if (created) {
          next = states.length;
          states.push(newState());
          if (terminal) matches.set(term.identity, next);
          else if (determinate) cur.prefix.set(token, next);
        }
        const nxt = states[next] as CState;
        if (token === ANY) {
          if (nxt.any.length === 0) {
            cur.any.push(next);
            nxt.any = [next];
          }
        } else if (terminal || created) {
          alphabet.add(token);
          addLiteral(current, token, next);
          if (i > 0 && tokens[i - 1] === ANY) addLiteral(previous, token, next);
        }
        nxt.weight.add(term.identity);
        previous = current;
        current = next;
      });
    }
  }
  if (states.length === 1) return 0;

  const bytes = [ANY, ...alphabet]; // ANY stands for every byte without a literal transition
  const pending: number[][] = [[0]];
  const seen = new Set<string>();
  let maximum = 0;
  let explored = 0;
  while (pending.length > 0 && explored++ < 20_000) {
    const active = pending.pop() as number[];
    for (const b of bytes) {
      const nextSet = new Set<number>();
      for (const id of active) {
        const st = states[id] as CState;
        for (const n of st.any) nextSet.add(n);
        if (b !== ANY) for (const n of st.literal.get(b) ?? []) nextSet.add(n);
      }
      if (nextSet.size === 0) continue;
      let complexity = 0;
      for (const id of nextSet) {
        const st = states[id] as CState;
        complexity += st.weight.size;
        for (const w of st.any) if (!nextSet.has(w)) complexity += (states[w] as CState).weight.size;
      }
      if (complexity > limit) return complexity;
      if (complexity > maximum) maximum = complexity;
      const next = [...nextSet].sort((x, y) => x - y);
      const key = next.join(",");
      if (!seen.has(key)) {
        seen.add(key);
        pending.push(next);
      }
    }
  }
  return maximum;
}
