/**
 * Every spec has an SDK class that declares exactly the spec's output keys (the typed `declare readonly`
 * members users read) and registers exactly its secret outputs. The declared members are read from the
 * class source with the TypeScript compiler; the registration is observed under Pulumi's mocks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import * as base from "../../sdk/base";
import { specs } from "../../provider/specs";
import { captureRegistration } from "../../testing/capture";
import { table } from "../../testing/table";

const SDK = path.join(__dirname, "../../sdk");

/** `declare readonly` members of each `extends pulumi.dynamic.Resource` class in sdk/, by class name. */
function declaredMembers(): Map<string, { file: string; members: string[] }> {
  const found = new Map<string, { file: string; members: string[] }>();
  for (const file of fs.readdirSync(SDK).filter((f) => f.endsWith(".ts"))) {
    const text = fs.readFileSync(path.join(SDK, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    for (const node of source.statements) {
      if (!ts.isClassDeclaration(node) || node.name === undefined) continue;
      const base = node.heritageClauses?.flatMap((h) => h.types.map((t) => t.expression.getText(source)));
      if (!base?.includes("pulumi.dynamic.Resource")) continue;
      const members = node.members
        .filter(ts.isPropertyDeclaration)
        .filter((m) => {
          const kinds = (ts.getModifiers(m) ?? []).map((x) => x.kind);
          return (
            kinds.includes(ts.SyntaxKind.DeclareKeyword) && kinds.includes(ts.SyntaxKind.ReadonlyKeyword)
          );
        })
        .map((m) => m.name.getText(source));
      found.set(node.name.text, { file, members });
    }
  }
  return found;
}

const classes = declaredMembers();

describe("SDK classes match their specs", () => {
  it("every spec has exactly one SDK class, and every class a spec", () => {
    expect([...classes.keys()].sort()).toEqual(specs.map((s) => s.kind).sort());
  });

  it.each(specs.map((s) => [s.kind, s] as const))(
    "%s declares exactly the spec's output keys (and importId)",
    (kind, spec) => {
      const declared = classes.get(kind)?.members ?? [];
      expect([...declared].sort()).toEqual([...spec.outputKeys, "importId"].sort());
    },
  );

  it.each(specs.map((s) => [s.kind, s] as const))(
    "%s registers its spec's output keys and exactly its secret outputs",
    async (kind, spec) => {
      const entry = table.find((e) => e.kind === kind);
      if (entry === undefined) throw new Error(`no scenario entry for ${kind}`);
      const spy = jest.spyOn(base, "registration");
      try {
        const reg = await captureRegistration(() => entry.register());
        expect(spy).toHaveBeenCalledTimes(1);
        expect(spy.mock.calls[0]?.[0]).toBe(spec);
        const [, props, options] = spy.mock.results[0]?.value as ReturnType<typeof base.registration>;
        expect([...(options?.additionalSecretOutputs ?? [])].sort()).toEqual([...spec.secretOutputs].sort());
        // Every output key exists on the resource (registered as undefined when it is not an input).
        for (const key of [...spec.outputKeys, "importId"]) expect(Object.keys(props)).toContain(key);
        expect(reg.type).toBe(base.typeTokenOf(kind));
      } finally {
        spy.mockRestore();
      }
    },
  );

  it("every secret output is one the class declares (a secret added to a spec needs its class member)", () => {
    for (const spec of specs) {
      const declared = classes.get(spec.kind)?.members ?? [];
      for (const key of spec.secretOutputs)
        expect([spec.kind, declared.includes(key)]).toEqual([spec.kind, true]);
    }
  });
});
