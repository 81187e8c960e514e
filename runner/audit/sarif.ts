/**
 * The findings as SARIF 2.1.0 (OASIS), the format GitHub code scanning uploads. One run, the tool
 * `confluent-iam audit` with one rule per policy and audit rule; one result per finding. The objects a
 * finding names are logical locations (`<kind>/<id>` in the organization); since code scanning also wants a
 * physical location, each result points at `confluent-cloud/<organization>/<kind>/<id>`, a path that names the
 * object (there is no file to point at in a live organization).
 */
import { packageVersion } from "../../provider/client";
import type { AuditReport, Finding } from "./report";

const LEVEL = { mandatory: "error", advisory: "warning" } as const;

function location(organizationId: string, o: Finding["objects"][number]) {
  return {
    physicalLocation: {
      artifactLocation: {
        uri: `confluent-cloud/${encodeURIComponent(organizationId)}/${o.kind}/${encodeURIComponent(o.id)}`,
      },
    },
    logicalLocations: [
      {
        name: o.id,
        fullyQualifiedName: `${o.kind}/${o.id}`,
        kind: "resource",
      },
    ],
    ...(o.name !== undefined ? { message: { text: `${o.kind} ${o.id} (${o.name})` } } : {}),
  };
}

/** The SARIF log, as JSON text. */
export function renderSarif(report: AuditReport): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.name, i]));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "confluent-iam audit",
            version: packageVersion(),
            informationUri: "https://www.npmjs.com/package/pulumi-confluent-iam",
            rules: report.rules.map((r) => ({
              id: r.name,
              name: r.name,
              shortDescription: { text: r.description },
              defaultConfiguration: {
                enabled: r.level !== "disabled",
                level: r.level === "disabled" ? "none" : LEVEL[r.level],
              },
              properties: { source: r.source, tags: ["security", "iam", "confluent"] },
            })),
          },
        },
        automationDetails: { id: `confluent-iam-audit/${report.organizationId}/` },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: (f.objects.length > 0
            ? f.objects
            : [{ kind: "Organization", id: report.organizationId }]
          ).map((o) => location(report.organizationId, o)),
          partialFingerprints: {
            "confluentIamAudit/v1": `${f.rule}:${f.objects.map((o) => `${o.kind}/${o.id}`).join(",")}`,
          },
        })),
        properties: { organizationId: report.organizationId, counts: report.counts },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}
