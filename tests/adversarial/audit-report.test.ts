// Hostile names in the organization must not inject HTML or script into the audit's page, nor terminal
// control sequences into its summary. Anyone who may name a service account, an identity pool or a role
// binding's principal would otherwise run script in the browser of the security engineer who opens the report.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, type Browser } from "playwright-core";
import { startDemoOrganization, ORG_CRN, type DemoOrganization } from "../../examples/audit/organization";
import { auditCommand, type AuditReport } from "../../runner/audit";
import { escapeHtml } from "../../runner/audit/html";
import { terminalSafe } from "../../runner/audit/text";

jest.setTimeout(180_000);

const HOSTILE = {
  app: "</title><script>alert('app')</script>",
  idle: `"><img src=x onerror="alert('idle')">`,
  admin: "'><svg onload=alert('admin')>",
  leaver: "contractor\u001b[2J\u001b]0;pwned\u0007\r\u2028",
  openPool: "<!--<script>alert('pool')</script>-->",
};
const PRINCIPAL = `User:sa-x"><script>alert('principal')</script><b data-x="`;

let org: DemoOrganization;
let dir: string;
let html: string;
let text: string;
let report: AuditReport;

beforeAll(async () => {
  org = await startDemoOrganization(HOSTILE);
  await org.api("POST", "/iam/v2/role-bindings", {
    principal: PRINCIPAL,
    role_name: "MetricsViewer",
    crn_pattern: ORG_CRN,
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-hostile-"));
  const htmlFile = path.join(dir, "audit.html");
  const jsonFile = path.join(dir, "audit.json");
  let out = "";
  await auditCommand(["--state", org.statePath, "--html", htmlFile, ...org.configArgs], {
    out: (s) => (out += s),
    err: () => undefined,
  });
  text = out;
  out = "";
  await auditCommand(["--json", ...org.configArgs], { out: (s) => (out += s), err: () => undefined });
  fs.writeFileSync(jsonFile, out);
  report = JSON.parse(out) as AuditReport;
  html = fs.readFileSync(htmlFile, "utf8");
});

afterAll(async () => {
  await org.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("hostile names in the audit report", () => {
  it("the names reached the report as they are (the test attacks what it means to)", () => {
    const names = report.objects.map((o) => o.name);
    // The leaver's account is gone (its key is the orphan); its key carries the name.
    for (const n of [HOSTILE.app, HOSTILE.idle, HOSTILE.admin, `${HOSTILE.leaver}-key`, HOSTILE.openPool])
      expect(names).toContain(n);
    expect(report.access.map((r) => r.principal)).toContain(PRINCIPAL);
  });

  it("the page holds exactly its own script and no element the names spell", () => {
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<img|<svg onload|<b data-x|<!--/i);
    expect(html).toContain(escapeHtml(HOSTILE.idle));
    expect(html).toContain(escapeHtml(PRINCIPAL));
  });

  it("in Chromium: no dialog, no script error, one script element, and each name shown as text", async () => {
    const browser: Browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox"],
    });
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(`file://${path.join(dir, "audit.html")}`);
      await page.selectOption("#principal-filter", PRINCIPAL);
      const seen = await page.evaluate<{
        scripts: number;
        imgs: number;
        rows: number;
        body: string;
        title: string;
      }>(`({
        scripts: document.querySelectorAll("script").length,
        imgs: document.querySelectorAll("img, b[data-x], svg[onload]").length,
        rows: [...document.querySelectorAll("#access-table tbody tr")].filter((r) => getComputedStyle(r).display !== "none").length,
        body: document.body.textContent,
        title: document.title,
      })`);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests).toEqual([`file://${path.join(dir, "audit.html")}`]);
      expect(seen.scripts).toBe(1);
      expect(seen.imgs).toBe(0);
      expect(seen.rows).toBe(1);
      for (const n of [HOSTILE.app, HOSTILE.idle, HOSTILE.admin, HOSTILE.openPool, PRINCIPAL])
        expect(seen.body).toContain(n);
      expect(seen.title).toBe(`confluent-iam audit of ${report.organizationId}`);
    } finally {
      await browser.close();
    }
  });

  it("the text summary shows control characters as escapes, never raw", () => {
    // eslint-disable-next-line no-control-regex -- what must not reach the terminal
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u2028]/);
    expect(text).toContain(terminalSafe("contractor\u001b[2J\u001b]0;pwned\u0007"));
    expect(text).toContain("contractor\\u{1b}[2J\\u{1b}]0;pwned\\u{7}");
  });
});

describe("escapeHtml and terminalSafe", () => {
  it("escapeHtml leaves no character that opens markup or ends an attribute", () => {
    for (let c = 0; c < 0x3000; c++) {
      const s = `a${String.fromCharCode(c)}b`;
      // eslint-disable-next-line no-control-regex -- NUL must not survive
      expect(escapeHtml(s)).not.toMatch(/[<>"'\u0000]|&(?!amp;|lt;|gt;|quot;|#39;)/);
    }
  });

  it("terminalSafe removes every C0/C1 control but tab and newline, and bidirectional overrides", () => {
    for (let c = 0; c < 0x2100 + 0x70; c++) {
      const ch = String.fromCodePoint(c);
      const out = terminalSafe(ch);
      const dangerous =
        (c < 0x20 && c !== 9 && c !== 10) ||
        (c >= 0x7f && c <= 0x9f) ||
        [0x200e, 0x200f, 0x2028, 0x2029].includes(c) ||
        (c >= 0x202a && c <= 0x202e) ||
        (c >= 0x2066 && c <= 0x2069);
      expect(out === ch).toBe(!dangerous);
    }
  });
});
