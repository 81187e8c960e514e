/**
 * The subset of CEL (Common Expression Language) that identity-pool filters use, enough for the emulator's
 * token exchange to decide whether a token's claims match a pool:
 *
 *   claims.x == "v"   claims.x != "v"   claims["x-y"] == "v"   has(claims.x)   "v" in claims.groups
 *   claims.x in ["a", "b"]   a && b   a || b   !a   (a)   true   false   numbers
 *
 * Written here (no CEL package is allowed in this repository) and kept small. Semantics as CEL's where they
 * matter for filters: a comparison that reads a claim the token does not have is an error, and `||` / `&&`
 * absorb an error when the other side decides (`error || true` is true, `error && false` is false); a
 * filter whose value is an error matches nothing.
 */

/** A parse failure: the message names the position and what was expected. */
export class CelSyntaxError extends Error {}

type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

type Node =
  | { t: "lit"; v: Value }
  | { t: "path"; root: string; keys: string[] }
  | { t: "list"; items: Node[] }
  | { t: "has"; path: Extract<Node, { t: "path" }> }
  | { t: "not"; e: Node }
  | { t: "and" | "or"; l: Node; r: Node }
  | { t: "cmp"; op: "==" | "!=" | "in"; l: Node; r: Node };

type Tok = { k: "str" | "num" | "id" | "op"; v: string; at: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let s = "";
      while (j < src.length && src[j] !== ch) {
        if (src[j] === "\\" && j + 1 < src.length) {
          const e = src[j + 1] as string;
          s += e === "n" ? "\n" : e === "t" ? "\t" : e;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new CelSyntaxError(`unterminated string starting at ${i}`);
      out.push({ k: "str", v: s, at: i });
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["==", "!=", "&&", "||"].includes(two)) {
      out.push({ k: "op", v: two, at: i });
      i += 2;
      continue;
    }
    if ("()[].,!".includes(ch)) {
      out.push({ k: "op", v: ch, at: i });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ k: "num", v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ k: "id", v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    throw new CelSyntaxError(`unexpected character "${ch}" at ${i}`);
  }
  return out;
}

/** Parses a filter; throws {@link CelSyntaxError}. */
export function parseCel(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const where = (): string => (peek() ? `at ${peek()?.at}` : "at the end");
  const isOp = (v: string): boolean => peek()?.k === "op" && peek()?.v === v;
  const expect = (v: string): void => {
    if (!isOp(v)) throw new CelSyntaxError(`expected "${v}" ${where()}`);
    p++;
  };

  const or = (): Node => {
    let l = and();
    while (isOp("||")) {
      p++;
      l = { t: "or", l, r: and() };
    }
    return l;
  };
  const and = (): Node => {
    let l = unary();
    while (isOp("&&")) {
      p++;
      l = { t: "and", l, r: unary() };
    }
    return l;
  };
  const unary = (): Node => {
    if (isOp("!")) {
      p++;
      return { t: "not", e: unary() };
    }
    return relation();
  };
  const relation = (): Node => {
    const l = operand();
    const tok = peek();
    if (
      tok &&
      ((tok.k === "op" && (tok.v === "==" || tok.v === "!=")) || (tok.k === "id" && tok.v === "in"))
    ) {
      p++;
      return { t: "cmp", op: tok.v as "==" | "!=" | "in", l, r: operand() };
    }
    return l;
  };
  const path = (root: string): Extract<Node, { t: "path" }> => {
    const keys: string[] = [];
    for (;;) {
      if (isOp(".")) {
        p++;
        const id = peek();
        if (id?.k !== "id") throw new CelSyntaxError(`expected a field name ${where()}`);
        keys.push(id.v);
        p++;
      } else if (isOp("[")) {
        p++;
        const s = peek();
        if (s?.k !== "str") throw new CelSyntaxError(`expected a quoted field name ${where()}`);
        keys.push(s.v);
        p++;
        expect("]");
      } else return { t: "path", root, keys };
    }
  };
  const operand = (): Node => {
    const tok = peek();
    if (!tok) throw new CelSyntaxError("expected an expression at the end");
    if (tok.k === "str") {
      p++;
      return { t: "lit", v: tok.v };
    }
    if (tok.k === "num") {
      p++;
      return { t: "lit", v: Number(tok.v) };
    }
    if (tok.k === "op" && tok.v === "(") {
      p++;
      const e = or();
      expect(")");
      return e;
    }
    if (tok.k === "op" && tok.v === "[") {
      p++;
      const items: Node[] = [];
      if (!isOp("]")) {
        items.push(operand());
        while (isOp(",")) {
          p++;
          items.push(operand());
        }
      }
      expect("]");
      return { t: "list", items };
    }
    if (tok.k === "id") {
      p++;
      if (tok.v === "true" || tok.v === "false") return { t: "lit", v: tok.v === "true" };
      if (tok.v === "null") return { t: "lit", v: null };
      if (tok.v === "has" && isOp("(")) {
        p++;
        const root = peek();
        if (root?.k !== "id")
          throw new CelSyntaxError(`has() takes a field selection such as claims.sub ${where()}`);
        p++;
        const sel = path(root.v);
        if (sel.keys.length === 0)
          throw new CelSyntaxError(`has() takes a field selection such as claims.sub ${where()}`);
        expect(")");
        return { t: "has", path: sel };
      }
      return path(tok.v);
    }
    throw new CelSyntaxError(`unexpected "${tok.v}" at ${tok.at}`);
  };

  const node = or();
  if (p < toks.length) throw new CelSyntaxError(`unexpected "${toks[p]?.v}" at ${toks[p]?.at}`);
  return node;
}

/** An evaluation error (a missing claim, a type mismatch): CEL's error value. */
const ERR = Symbol("error");
type Res = Value | typeof ERR;

function evalNode(n: Node, vars: Record<string, Value>): Res {
  switch (n.t) {
    case "lit":
      return n.v;
    case "list": {
      const items = n.items.map((i) => evalNode(i, vars));
      return items.includes(ERR) ? ERR : (items as Value[]);
    }
    case "path": {
      let cur: Value | undefined = vars[n.root];
      for (const k of n.keys) {
        if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !(k in cur)) return ERR;
        cur = cur[k];
      }
      return cur === undefined ? ERR : cur;
    }
    case "has": {
      let cur: Value | undefined = vars[n.path.root];
      if (cur === undefined) return ERR;
      for (const k of n.path.keys) {
        if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !(k in cur)) return false;
        cur = cur[k];
      }
      return true;
    }
    case "not": {
      const v = evalNode(n.e, vars);
      return typeof v === "boolean" ? !v : ERR;
    }
    case "and":
    case "or": {
      const l = evalNode(n.l, vars);
      const r = evalNode(n.r, vars);
      const decides = n.t === "or";
      if (l === decides || r === decides) return decides;
      if (typeof l !== "boolean" || typeof r !== "boolean") return ERR;
      return !decides;
    }
    case "cmp": {
      const l = evalNode(n.l, vars);
      const r = evalNode(n.r, vars);
      if (l === ERR || r === ERR) return ERR;
      if (n.op === "in") return Array.isArray(r) ? r.some((x) => same(x, l)) : ERR;
      return n.op === "==" ? same(l, r) : !same(l, r);
    }
  }
}

function same(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether the filter matches the token's claims (`claims` is the decoded JWT payload). Throws
 * {@link CelSyntaxError} when the filter is not in the subset.
 */
export function filterMatches(filter: string, claims: Record<string, unknown>): boolean {
  return evalNode(parseCel(filter), { claims: claims as Value }) === true;
}
