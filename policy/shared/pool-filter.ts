// Whether an identity pool's filter (the CEL subset of identity-pool filters) holds for every token its
// identity provider issues. Three-valued: a literal `true`, `has()` of a claim every JWT carries (sub, iss,
// aud, exp, iat) and an empty `||` branch (`claims.a == "x" || `) hold always; `false` never; any other
// comparison depends on the token. A filter this reader cannot parse is not judged (the API judges it).

type Tri = "always" | "never" | "depends";

/** Claims every JWT an identity provider issues carries (RFC 7519 registered claims OIDC requires). */
const ALWAYS_PRESENT = new Set(["sub", "iss", "aud", "exp", "iat"]);

function tokenize(src: string): string[] | undefined {
  const out: string[] = [];
  const re =
    /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|==|!=|&&|\|\||[()[\],.!]|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?)/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) return undefined;
    out.push(m[1] as string);
    i = re.lastIndex;
  }
  return out;
}

/** "always" when the filter holds for every token; "never" / "depends" otherwise; undefined: not parsed. */
export function filterHoldsAlways(filter: string): Tri | undefined {
  const toks = tokenize(filter);
  if (toks === undefined) return undefined;
  let p = 0;
  const peek = (): string | undefined => toks[p];
  const fail = (): never => {
    throw new SyntaxError("filter");
  };

  const or = (): Tri => {
    const parts: Tri[] = [branch()];
    while (peek() === "||") {
      p++;
      parts.push(branch());
    }
    if (parts.includes("always")) return "always";
    return parts.every((t) => t === "never") ? "never" : "depends";
  };
  // An empty branch (nothing before `||`, `)` or the end) lets every token through.
  const branch = (): Tri => (peek() === undefined || peek() === "||" || peek() === ")" ? "always" : and());
  const and = (): Tri => {
    const parts: Tri[] = [unary()];
    while (peek() === "&&") {
      p++;
      parts.push(unary());
    }
    if (parts.includes("never")) return "never";
    return parts.every((t) => t === "always") ? "always" : "depends";
  };
  const unary = (): Tri => {
    if (peek() === "!") {
      p++;
      const t = unary();
      return t === "always" ? "never" : t === "never" ? "always" : "depends";
    }
    const left = operand();
    const op = peek();
    if (op === "==" || op === "!=" || op === "in") {
      p++;
      const right = operand();
      if (left.literal !== undefined && right.literal !== undefined && op !== "in") {
        return (left.literal === right.literal) === (op === "==") ? "always" : "never";
      }
      if (left.text === right.text && op !== "in") return op === "==" ? "always" : "never";
      return "depends";
    }
    return left.value;
  };
  const operand = (): { value: Tri; text: string; literal?: string } => {
    const start = p;
    const t = peek();
    if (t === undefined) return fail();
    if (t === "(") {
      p++;
      const v = or();
      if (peek() !== ")") fail();
      p++;
      return { value: v, text: toks.slice(start, p).join(" ") };
    }
    if (t === "[") {
      let depth = 0;
      do {
        if (peek() === "[") depth++;
        if (peek() === "]") depth--;
        p++;
      } while (depth > 0 && p < toks.length);
      return { value: "depends", text: toks.slice(start, p).join(" ") };
    }
    p++;
    if (t === "true") return { value: "always", text: t, literal: "true" };
    if (t === "false") return { value: "never", text: t, literal: "false" };
    if (/^["'\d-]/.test(t)) return { value: "depends", text: t, literal: t.replace(/^'|'$/g, '"') };
    if (t === "has" && peek() === "(") {
      p++;
      const path: string[] = [];
      while (peek() !== undefined && peek() !== ")") path.push(toks[p++] as string);
      if (peek() !== ")") fail();
      p++;
      const claim = path.length === 3 && path[0] === "claims" && path[1] === "." ? path[2] : undefined;
      return {
        value: claim !== undefined && ALWAYS_PRESENT.has(claim) ? "always" : "depends",
        text: toks.slice(start, p).join(" "),
      };
    }
    // A selection: claims.a.b, claims["x"]
    while (peek() === "." || peek() === "[") {
      if (peek() === ".") p += 2;
      else p += 3;
    }
    return { value: "depends", text: toks.slice(start, p).join(" ") };
  };

  try {
    const result = or();
    return p === toks.length ? result : undefined;
  } catch {
    return undefined;
  }
}
