/**
 * The audit as one self-contained HTML page: the organization's counts, every finding linked to the objects
 * it names, and the access map (principal → role → scope) as an inline SVG graph and a sortable, filterable
 * table. No network access when opened: CSS and script are inline, nothing is loaded from anywhere, and the
 * page's Content-Security-Policy forbids any fetch. Every text from the API goes through {@link escapeHtml}.
 */
import type { AccessRow, AuditReport, Finding, ObjectRef } from "./report";

/** Escapes text for HTML element content and quoted attribute values (SVG included). */
export function escapeHtml(s: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is replaced, as HTML parsers do
  return s.replace(/[&<>"'\u0000]/g, (c) =>
    c === "&"
      ? "&amp;"
      : c === "<"
        ? "&lt;"
        : c === ">"
          ? "&gt;"
          : c === '"'
            ? "&quot;"
            : c === "'"
              ? "&#39;"
              : "\uFFFD",
  );
}

const e = escapeHtml;

const CSS = `
:root { --fg: #1d2433; --muted: #5b6475; --line: #d7dce5; --bg: #ffffff; --band: #f4f6fa;
  --mandatory: #b42318; --advisory: #b54708; --accent: #2f5fb3; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  margin: 0; padding: 24px 32px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 0; padding: 0; list-style: none; }
.counts li { background: var(--band); border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
.counts b { display: block; font-size: 18px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: var(--fg); }
th[aria-sort="ascending"] button::after { content: " \\25B2"; } th[aria-sort="descending"] button::after { content: " \\25BC"; }
tr:target, li:target { outline: 2px solid var(--accent); }
.sev { font-weight: 600; text-transform: uppercase; font-size: 11px; padding: 1px 6px; border-radius: 4px; color: #fff; }
.sev.mandatory { background: var(--mandatory); } .sev.advisory { background: var(--advisory); }
.findings { list-style: none; padding: 0; margin: 0; }
.findings li { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 6px 0; }
.findings .rule { font-family: ui-monospace, monospace; color: var(--muted); margin-left: 6px; }
.findings .objs a { margin-right: 8px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.controls { display: flex; gap: 12px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
.controls label { color: var(--muted); }
#graph-wrap { overflow: auto; max-height: 640px; border: 1px solid var(--line); border-radius: 6px; background: var(--band); }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
svg .node rect { fill: #fff; stroke: #8a94a6; rx: 4; }
svg .node.principal rect { stroke: var(--accent); }
svg .node.role rect { stroke: #7a5af8; } svg .node.scope rect { stroke: #12b76a; }
svg .edge { fill: none; stroke: #8a94a6; stroke-opacity: 0.55; stroke-width: 1.2; }
svg .col { font-weight: 600; fill: var(--muted); }
[hidden] { display: none !important; }
`;

const SCRIPT = `
(function () {
  "use strict";
  var table = document.getElementById("access-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var select = document.getElementById("principal-filter");
  var text = document.getElementById("text-filter");
  var shown = document.getElementById("shown");
  var edges = Array.prototype.slice.call(document.querySelectorAll("#graph .edge"));
  var nodes = Array.prototype.slice.call(document.querySelectorAll("#graph .node"));
  function apply() {
    var p = select.value;
    var q = text.value.toLowerCase();
    var visible = {};
    var principals = {}, roles = {}, scopes = {};
    var n = 0;
    rows.forEach(function (r) {
      var ok = (p === "" || r.getAttribute("data-principal") === p) &&
        (q === "" || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) { n++; visible[r.getAttribute("data-binding")] = true; }
    });
    edges.forEach(function (ed) {
      var ok = visible[ed.getAttribute("data-binding")] === true;
      ed.style.display = ok ? "" : "none";
      if (ok) {
        principals[ed.getAttribute("data-principal")] = true;
        roles[ed.getAttribute("data-role")] = true;
        scopes[ed.getAttribute("data-scope")] = true;
      }
    });
    nodes.forEach(function (nd) {
      var kind = nd.getAttribute("data-kind"), key = nd.getAttribute("data-key");
      var set = kind === "principal" ? principals : kind === "role" ? roles : scopes;
      nd.style.display = set[key] === true ? "" : "none";
    });
    shown.textContent = n + " of " + rows.length + " bindings";
  }
  select.addEventListener("change", apply);
  text.addEventListener("input", apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      var sign = dir === "ascending" ? 1 : -1;
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent, y = b.cells[col].textContent;
        return x < y ? -sign : x > y ? sign : 0;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
`;

/** Anchor ids by `<kind>/<id>` (indexes: ids from the API never reach an id attribute). */
function anchors(objects: readonly ObjectRef[]): Map<string, string> {
  return new Map(objects.map((o, i) => [`${o.kind}/${o.id}`, `obj-${i}`]));
}

function objectLink(o: ObjectRef, ids: Map<string, string>): string {
  const label = `${e(o.kind)} <code>${e(o.id)}</code>${o.name !== undefined ? ` ${e(o.name)}` : ""}`;
  const id = ids.get(`${o.kind}/${o.id}`);
  return id === undefined ? `<span>${label}</span>` : `<a href="#${id}">${label}</a>`;
}

function findingItem(f: Finding, i: number, ids: Map<string, string>): string {
  return (
    `<li id="finding-${i}" data-rule="${e(f.rule)}" data-severity="${f.severity}">` +
    `<span class="sev ${f.severity}">${f.severity}</span><span class="rule">${e(f.rule)}</span>` +
    `<div>${e(f.message)}</div>` +
    `<div class="objs">${f.objects.map((o) => objectLink(o, ids)).join("")}</div></li>`
  );
}

const ROW_H = 26;
const COL_X = [10, 330, 560];
const NODE_W = [300, 200, 330];

/** The access map as an SVG: principals, roles and scopes in three columns, one path per binding. */
function graph(rows: readonly AccessRow[]): string {
  const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();
  const principals = uniq(rows.map((r) => r.principal));
  const roles = uniq(rows.map((r) => r.role));
  const scopes = uniq(rows.map((r) => r.scope));
  const names = new Map(rows.map((r) => [r.principal, r.principalName]));
  const y = (list: string[]): Map<string, number> => new Map(list.map((k, i) => [k, 40 + i * ROW_H]));
  const py = y(principals);
  const ry = y(roles);
  const sy = y(scopes);
  const height = 50 + Math.max(principals.length, roles.length, scopes.length, 1) * ROW_H;
  const width = COL_X[2]! + NODE_W[2]! + 10;
  const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const node = (kind: string, key: string, label: string, col: number, at: number): string =>
    `<g class="node ${kind}" data-kind="${kind}" data-key="${e(key)}"><title>${e(label)}</title>` +
    `<rect x="${COL_X[col]}" y="${at - 10}" width="${NODE_W[col]}" height="20"></rect>` +
    `<text x="${COL_X[col]! + 6}" y="${at + 4}">${e(clip(label, Math.floor(NODE_W[col]! / 7.6)))}</text></g>`;
  const edges = rows.map((r) => {
    const a = py.get(r.principal)!;
    const b = ry.get(r.role)!;
    const c = sy.get(r.scope)!;
    const x0 = COL_X[0]! + NODE_W[0]!;
    const x1 = COL_X[1]!;
    const x2 = COL_X[1]! + NODE_W[1]!;
    const x3 = COL_X[2]!;
    return (
      `<path class="edge" data-binding="${e(r.bindingId)}" data-principal="${e(r.principal)}" ` +
      `data-role="${e(r.role)}" data-scope="${e(r.scope)}" ` +
      `d="M${x0} ${a} C${x0 + 20} ${a} ${x1 - 20} ${b} ${x1} ${b} M${x2} ${b} C${x2 + 20} ${b} ${x3 - 20} ${c} ${x3} ${c}"></path>`
    );
  });
  return (
    `<svg id="graph" width="${width}" height="${height}" role="img" ` +
    `aria-label="Access map: principals, roles and scopes">` +
    `<text class="col" x="${COL_X[0]}" y="18">Principals</text><text class="col" x="${COL_X[1]}" y="18">Roles</text>` +
    `<text class="col" x="${COL_X[2]}" y="18">Scopes</text>` +
    edges.join("") +
    principals
      .map((p) => node("principal", p, names.get(p) ? `${p} (${names.get(p) ?? ""})` : p, 0, py.get(p)!))
      .join("") +
    roles.map((r) => node("role", r, r, 1, ry.get(r)!)).join("") +
    scopes.map((s) => node("scope", s, s, 2, sy.get(s)!)).join("") +
    `</svg>`
  );
}

/** The page. */
export function renderHtml(report: AuditReport): string {
  const ids = anchors(report.objects);
  const rows = report.access;
  const principals = [...new Set(rows.map((r) => r.principal))].sort();
  const names = new Map(rows.map((r) => [r.principal, r.principalName]));
  const counts = Object.entries(report.counts)
    .map(([k, n]) => `<li><b>${n}</b>${e(k)}</li>`)
    .join("");
  const bySeverity = (["mandatory", "advisory"] as const)
    .map((s) => {
      const list = report.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.severity === s);
      return (
        `<h3>${s} (${list.length})</h3>` +
        (list.length === 0
          ? `<p class="meta">none</p>`
          : `<ul class="findings">${list.map(({ f, i }) => findingItem(f, i, ids)).join("")}</ul>`)
      );
    })
    .join("");
  const findingsOf = new Map<string, number[]>();
  report.findings.forEach((f, i) => {
    for (const o of f.objects) {
      const k = `${o.kind}/${o.id}`;
      findingsOf.set(k, [...(findingsOf.get(k) ?? []), i]);
    }
  });
  const accessRows = rows
    .map(
      (r) =>
        `<tr data-principal="${e(r.principal)}" data-binding="${e(r.bindingId)}">` +
        `<td class="mono">${e(r.principal)}</td><td>${e(r.principalName ?? "")}</td><td>${e(r.role)}</td>` +
        `<td class="mono">${e(r.scope)}</td><td>${objectLink({ kind: "RoleBinding", id: r.bindingId }, ids)}</td></tr>`,
    )
    .join("");
  const objectRows = report.objects
    .map((o) => {
      const f = findingsOf.get(`${o.kind}/${o.id}`) ?? [];
      return (
        `<tr id="${ids.get(`${o.kind}/${o.id}`) ?? ""}" data-kind="${e(o.kind)}"><td>${e(o.kind)}</td>` +
        `<td class="mono">${e(o.id)}</td><td>${e(o.name ?? "")}</td>` +
        `<td>${f.map((i) => `<a href="#finding-${i}">${e(report.findings[i]!.rule)}</a>`).join(" ")}</td></tr>`
      );
    })
    .join("");
  const rules = report.rules
    .map((r) => {
      const n = report.findings.filter((f) => f.rule === r.name).length;
      return `<tr><td class="mono">${e(r.name)}</td><td>${r.level}</td><td>${r.source}</td><td>${n}</td><td>${e(r.description)}</td></tr>`;
    })
    .join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>confluent-iam audit of ${e(report.organizationId)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Audit of organization <code>${e(report.organizationId)}</code></h1>
<p class="meta">${e(report.generatedAt)} · policy pack ${e(report.policyPack.name)} ${e(report.policyPack.version)} · ${report.read.calls} API calls · ${report.findings.length} findings</p>
<section id="counts"><h2>The organization</h2><ul class="counts">${counts}</ul></section>
<section id="access"><h2>Access map</h2>
<div class="controls">
<label for="principal-filter">Principal</label>
<select id="principal-filter"><option value="">every principal</option>${principals
    .map(
      (p) => `<option value="${e(p)}">${e(p)}${names.get(p) ? ` (${e(names.get(p) ?? "")})` : ""}</option>`,
    )
    .join("")}</select>
<label for="text-filter">Filter</label><input id="text-filter" type="search" placeholder="role, scope, name…">
<span id="shown" class="meta"></span>
</div>
<div id="graph-wrap">${graph(rows)}</div>
<table id="access-table"><thead><tr><th><button type="button">principal</button></th><th><button type="button">name</button></th><th><button type="button">role</button></th><th><button type="button">scope</button></th><th><button type="button">binding</button></th></tr></thead>
<tbody>${accessRows}</tbody></table>
</section>
<section id="findings"><h2>Findings</h2>
<table id="rules"><thead><tr><th>rule</th><th>level</th><th>source</th><th>findings</th><th>what it checks</th></tr></thead><tbody>${rules}</tbody></table>
${bySeverity}</section>
<section id="objects"><h2>Objects</h2>
<table><thead><tr><th>kind</th><th>id</th><th>name</th><th>findings</th></tr></thead><tbody>${objectRows}</tbody></table>
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
