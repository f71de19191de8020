// Matching compiled fields against a JSON document (an EventBridge event or an SNS message body).
//
// Semantics follow AWS's event-ruler: a field path like "detail.amount" names the leaf values
// reached by any split of the dotted name into object keys (so {"detail.amount": 5} and
// {"detail": {"amount": 5}} both count), arrays are transparent (each element is visited, nested
// arrays flatten), only scalar leaves (string, number, boolean, null) are values, and within one
// branch all fields must be satisfied by leaves taken from the *same* element of any array of
// objects they share ("array-consistent" matching).

import type { Leaf, LeafTest } from "./conditions";

export type FieldSpec = {
  /** The dotted path split at every dot. */
  segs: string[];
  /** joined[i][k] = segs[i..i+k] joined with "." (the candidate keys at depth i). */
  joined: string[][];
  test: LeafTest | null;
  existsTrue: boolean;
  existsFalse: boolean;
  /**
   * SNS only: a key "exists" when it has a non-null, non-empty value (AWS: "The key must have a
   * non-null and non-empty value"), so null and "" leaves count as absent for `exists`.
   */
  existsNeedsValue?: boolean;
};

// Arrays nested deeper than this along a matched path are not descended into: a bound that keeps
// recursion shallow for hostile input (a real event is far shallower).
const MAX_ARRAY_NESTING = 64;

export function fieldSpec(path: string): Pick<FieldSpec, "segs" | "joined"> {
  const segs = path.split(".");
  const joined = segs.map((_, i) => segs.slice(i).map((__, k) => segs.slice(i, i + k + 1).join(".")));
  return { segs, joined };
}

type Ctx = {
  field: FieldSpec;
  trail: unknown[]; // alternating (array of objects, index) pairs on the current walk
  keepTrails: boolean;
  universal: boolean;
  anyLeaf: boolean;
  stopOnLeaf: boolean;
  candidates: unknown[][] | null;
};

const hasOwn = Object.prototype.hasOwnProperty;

function onLeaf(v: Leaf, ctx: Ctx): void {
  const f = ctx.field;
  const present = f.existsNeedsValue !== true || (v !== null && v !== "");
  if (present) ctx.anyLeaf = true;
  if ((f.existsTrue && present) || (f.test !== null && f.test(v))) {
    if (!ctx.keepTrails || ctx.trail.length === 0) ctx.universal = true;
    else (ctx.candidates ??= []).push(ctx.trail.slice());
  }
}

function isLeaf(v: unknown): v is Leaf {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function walk(node: unknown, i: number, ctx: Ctx, arrDepth: number): void {
  const segs = ctx.field.segs;
  if (Array.isArray(node)) {
    if (arrDepth >= MAX_ARRAY_NESTING) return;
    // Arrays of leaves at the end of the path cannot be shared with another field's path, so
    // they need no trail entry; arrays on the way down can (arrays of objects).
    const track = i < segs.length && ctx.keepTrails;
    for (let k = 0; k < node.length; k++) {
      if (track) ctx.trail.push(node, k);
      walk(node[k], i, ctx, arrDepth + 1);
      if (track) ctx.trail.length -= 2;
      if (ctx.universal || (ctx.stopOnLeaf && ctx.anyLeaf)) return;
    }
    return;
  }
  if (i === segs.length) {
    if (isLeaf(node)) onLeaf(node, ctx);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const row = ctx.field.joined[i] as string[];
  const obj = node as Record<string, unknown>;
  for (let k = 0; k < row.length; k++) {
    const key = row[k] as string;
    if (hasOwn.call(obj, key)) {
      walk(obj[key], i + k + 1, ctx, arrDepth);
      if (ctx.universal || (ctx.stopOnLeaf && ctx.anyLeaf)) return;
    }
  }
}

/** Outcome for one field: satisfied whatever the arrays, not satisfied, or by these trails. */
export type FieldOutcome = true | false | unknown[][];

export function evaluateField(field: FieldSpec, root: unknown, keepTrails: boolean): FieldOutcome {
  const ctx: Ctx = {
    field,
    trail: [],
    keepTrails,
    universal: false,
    anyLeaf: false,
    stopOnLeaf: field.test === null && !field.existsTrue,
    candidates: null,
  };
  walk(root, 0, ctx, 0);
  if (ctx.universal) return true;
  if (field.existsFalse && !ctx.anyLeaf) return true;
  return ctx.candidates ?? false;
}

function consistent(a: unknown[], b: unknown[]): boolean {
  for (let i = 0; i < a.length; i += 2) {
    for (let j = 0; j < b.length; j += 2) {
      if (a[i] === b[j] && a[i + 1] !== b[j + 1]) return false;
    }
  }
  return true;
}

// Chooses one trail per field so that every pair agrees on shared arrays.
function assign(options: unknown[][][], idx: number, chosen: unknown[][]): boolean {
  if (idx === options.length) return true;
  for (const t of options[idx] as unknown[][]) {
    if (chosen.every((c) => consistent(c, t))) {
      chosen.push(t);
      if (assign(options, idx + 1, chosen)) return true;
      chosen.pop();
    }
  }
  return false;
}

/** True when every field of the branch is satisfied by one array-consistent set of leaves. */
export function matchBranch(fields: FieldSpec[], root: unknown): boolean {
  const keepTrails = fields.length > 1;
  let pending: unknown[][][] | null = null;
  for (let i = 0; i < fields.length; i++) {
    const r = evaluateField(fields[i] as FieldSpec, root, keepTrails);
    if (r === false) return false;
    if (r !== true) (pending ??= []).push(r);
  }
  if (pending === null || pending.length === 1) return true;
  return assign(pending, 0, []);
}

export function matchAnyBranch(branches: FieldSpec[][], root: unknown): boolean {
  for (let i = 0; i < branches.length; i++) if (matchBranch(branches[i] as FieldSpec[], root)) return true;
  return false;
}

/** For explanations: the paths of a branch's fields that no leaf satisfies on their own. */
export function failingFields<F extends FieldSpec>(fields: F[], root: unknown): F[] {
  return fields.filter((f) => evaluateField(f, root, false) === false);
}
