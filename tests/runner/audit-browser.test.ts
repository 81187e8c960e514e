// The audit's HTML page in a real browser: headless Chromium from Debian's `chromium` package
// (scripts/ensure-chromium.sh installs it; .ci/run calls it), driven by playwright-core. The page is opened
// from a file with every request recorded: it must make none but its own. Filtering by a principal must leave
// exactly that principal's bindings in the table and in the graph; sorting must order the table. The test
// saves screenshots of the filtered page to test-output/ (docs/audit-report.png is one).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import { ORG_CRN, startDemoOrganization, type DemoOrganization } from "../../examples/audit/organization";
import { auditCommand, type AuditReport } from "../../runner/audit";

jest.setTimeout(180_000);

const CHROMIUM = "/usr/bin/chromium";
const OUTPUT = path.resolve(__dirname, "..", "..", "test-output");

let org: DemoOrganization;
let browser: Browser;
let page: Page;
let report: AuditReport;
let htmlFile: string;
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: run scripts/ensure-chromium.sh (it installs Debian's chromium package)`,
    );
  org = await startDemoOrganization();
  // Give the console-made admin more than one binding, so that filtering has something to leave out.
  for (const [role, crn] of [
    ["CloudClusterAdmin", `${ORG_CRN}/environment=env-demo01/cloud-cluster=lkc-demo01`],
    ["EnvironmentAdmin", `${ORG_CRN}/environment=env-prod01`],
  ] as const) {
    await org.api("POST", "/iam/v2/role-bindings", {
      principal: `User:${org.ids.adminSa}`,
      role_name: role,
      crn_pattern: crn,
    });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-browser-"));
  htmlFile = path.join(dir, "audit.html");
  let out = "";
  const code = await auditCommand(
    ["--state", org.statePath, "--html", htmlFile, "--json", ...org.configArgs],
    {
      out: (s) => (out += s),
      err: () => undefined,
    },
  );
  expect(code).toBe(1);
  report = JSON.parse(out) as AuditReport;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`file://${htmlFile}`);
});

afterAll(async () => {
  await browser?.close();
  await org?.close();
  if (htmlFile) fs.rmSync(path.dirname(htmlFile), { recursive: true, force: true });
});

/** Binding ids of the table rows and the graph's edges that are shown, and the principals the graph shows. */
async function shown(): Promise<{ rows: string[]; edges: string[]; principals: string[]; count: string }> {
  // A string, evaluated in the page: this test compiles without the DOM library.
  return page.evaluate<{ rows: string[]; edges: string[]; principals: string[]; count: string }>(`(() => {
    const visible = (el) => getComputedStyle(el).display !== "none";
    const ids = (sel, attr) => [...document.querySelectorAll(sel)].filter(visible).map((e) => e.getAttribute(attr));
    return {
      rows: ids("#access-table tbody tr", "data-binding").sort(),
      edges: ids("#graph .edge", "data-binding").sort(),
      principals: ids("#graph .node.principal", "data-key"),
      count: document.getElementById("shown").textContent,
    };
  })()`);
}

describe("the audit report in Chromium", () => {
  it("loads with no request but its own file and no script error", () => {
    expect(requests).toEqual([`file://${htmlFile}`]);
    expect(pageErrors).toEqual([]);
  });

  it("shows every binding in the table and the graph before any filter", async () => {
    const all = report.access.map((r) => r.bindingId).sort();
    expect(all).toHaveLength(7);
    const s = await shown();
    expect(s.rows).toEqual(all);
    expect(s.edges).toEqual(all);
    expect(s.count).toBe("7 of 7 bindings");
  });

  it("filtered by a principal, the table and the graph show exactly that principal's bindings", async () => {
    const principal = `User:${org.ids.adminSa}`;
    const expected = report.access
      .filter((r) => r.principal === principal)
      .map((r) => r.bindingId)
      .sort();
    expect(expected).toHaveLength(3);
    await page.selectOption("#principal-filter", principal);
    const s = await shown();
    expect(s.rows).toEqual(expected);
    expect(s.edges).toEqual(expected);
    expect(s.principals).toEqual([principal]);
    expect(s.count).toBe("3 of 7 bindings");
    fs.mkdirSync(OUTPUT, { recursive: true });
    // The top of the page (counts, the filtered access map, the first findings), and the whole page.
    await page.screenshot({ path: path.join(OUTPUT, "audit-report.png") });
    await page.screenshot({ path: path.join(OUTPUT, "audit-report-full.png"), fullPage: true });
    expect(fs.statSync(path.join(OUTPUT, "audit-report.png")).size).toBeGreaterThan(10_000);
  });

  it("the text filter narrows further, and clearing both shows everything again", async () => {
    await page.fill("#text-filter", "EnvironmentAdmin");
    const s = await shown();
    expect(s.rows).toEqual(
      report.access
        .filter((r) => r.principal === `User:${org.ids.adminSa}` && r.role === "EnvironmentAdmin")
        .map((r) => r.bindingId),
    );
    expect(s.edges).toEqual(s.rows);
    await page.fill("#text-filter", "");
    await page.selectOption("#principal-filter", "");
    expect((await shown()).rows).toHaveLength(7);
  });

  it("sorts the table by a column, both ways", async () => {
    const roles = (): Promise<string[]> =>
      page.evaluate<string[]>(
        `[...document.querySelectorAll("#access-table tbody tr")].map((r) => r.cells[2].textContent)`,
      );
    await page.click("#access-table thead th:nth-child(3) button");
    const up = await roles();
    expect(up).toEqual([...up].sort());
    await page.click("#access-table thead th:nth-child(3) button");
    const down = await roles();
    expect(down).toEqual([...up].reverse());
    expect(await page.getAttribute("#access-table thead th:nth-child(3)", "aria-sort")).toBe("descending");
  });

  it("a finding's link leads to the object it names", async () => {
    const i = report.findings.findIndex((f) => f.rule === "api-key-orphaned");
    await page.click(`#finding-${i} .objs a`);
    const target = await page.evaluate<string>(`document.querySelector(":target").textContent`);
    expect(target).toContain(org.ids.orphanKey);
  });
});
