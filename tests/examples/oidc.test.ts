import * as fs from "fs";
import * as path from "path";
import { readProject } from "../../runner/project";
import { describeExampleLifecycle, idOf, repoRoot } from "./harness";

describe("examples/oidc", () => {
  describeExampleLifecycle({
    folder: "oidc",
    project: "confluent-iam-oidc",
    creates: ["create corporate-idp", "create orders-readers", "create orders-readers-read-orders"],
    // A new trigger sends only the JWKS refresh, not an update of the provider itself.
    variant: {
      config: ["jwksRefreshTrigger=rotated-2025-06-01"],
      plan: ["update corporate-idp"],
      writes: (before) => [`PATCH /iam/v2/identity-providers/${idOf(before, "corporate-idp")}/jwks`],
    },
  });
});

it("examples/oidc is a folder a user can run: Pulumi.yaml (project confluent-iam-oidc, main index.ts), index.ts, README", () => {
  const dir = path.join(repoRoot, "examples", "oidc");
  const project = readProject(dir);
  expect({ name: project.name, main: path.relative(dir, project.main) }).toEqual({
    name: "confluent-iam-oidc",
    main: "index.ts",
  });
  expect(fs.existsSync(path.join(dir, "index.ts"))).toBe(true);
  expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toMatch(/^# /);
});
