/**
 * The one way text from the API (names, descriptions, ids, CRNs) reaches what export writes as code: see
 * {@link safeText}. runner/export/render.ts writes every string literal, template part and comment with it,
 * and index.ts writes the reasons it prints (a terminal is no place for raw control characters either).
 */

/** What {@link safeText} keeps as it is: printable ASCII but backslash, `"` and backtick; letters and digits. */
const KEEP = /^[\p{L}\p{N} !#$%&'()*+,\-./:;<=>?@[\]^_{|}~]$/u;

/**
 * Text safe inside a double-quoted string, a template literal's text, and a `//` or block comment alike; in
 * a string or a template it reads back as the original. Backslash, `"` and backtick are escaped; `${`
 * becomes `\${`, and a star followed by a slash (the end of a block comment) gets its slash escaped; every
 * other character that is not printable ASCII, a letter or a digit (the line terminators LF, CR, U+2028 and
 * U+2029, other controls, bidirectional overrides, lone surrogates) becomes `\uXXXX`. So the result holds
 * no line terminator (a comment cannot end early) and no unescaped delimiter (a string or template cannot).
 */
export function safeText(s: string): string {
  let out = "";
  for (const ch of s) {
    if (ch === "\\" || ch === '"' || ch === "`") out += `\\${ch}`;
    else if (KEEP.test(ch)) out += ch;
    else for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`;
  }
  return out.replace(/\$\{/g, "\\${").replace(/\*\//g, "*\\/");
}

/** A double-quoted string literal of `s`. */
export function literal(s: string): string {
  return `"${safeText(s)}"`;
}
