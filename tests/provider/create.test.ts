/**
 * The pure parts of create reconciliation (provider/create.ts): which failures leave a POST's outcome
 * unknown, which object a 409's Location names, when an object counts as created since a request, and the
 * words of the errors that no emulator scenario reaches (a spec without `strayCreatedAdvice`, a spec with no
 * way to look its object up). The API key's own advice is asserted through the adapter in
 * unknown-outcome.test.ts and data-safety.test.ts.
 */
import fc from "fast-check";
import {
  ConfluentApiError,
  NetworkError,
  OutcomeUnknownError,
  ResponseValidationError,
} from "../../provider/client";
import {
  createdAtOf,
  createdSince,
  lastPathSegment,
  noUniqueAttributesError,
  outcomeUnknown,
  strayCreatedError,
} from "../../provider/create";
import { apiKeySpec } from "../../provider/specs/api-key";
import { serviceAccountSpec } from "../../provider/specs/service-account";

const unavailableAt = (path: string) => new ConfluentApiError("POST", path, { status: 503 });
const unavailable = unavailableAt("/iam/v2/api-keys");

describe("outcomeUnknown", () => {
  it("is true for a 5xx, a network failure and the client's OutcomeUnknownError; false otherwise", () => {
    const reset = new NetworkError("POST", "/x", "UND_ERR_SOCKET", "other side closed");
    expect(outcomeUnknown(unavailable)).toBe(true);
    expect(outcomeUnknown(new ConfluentApiError("POST", "/x", { status: 500 }))).toBe(true);
    expect(outcomeUnknown(reset)).toBe(true);
    expect(outcomeUnknown(new OutcomeUnknownError("POST", "/x", reset))).toBe(true);
    expect(outcomeUnknown(new ConfluentApiError("POST", "/x", { status: 400 }))).toBe(false);
    expect(outcomeUnknown(new ConfluentApiError("POST", "/x", { status: 409 }))).toBe(false);
    expect(outcomeUnknown(new ResponseValidationError("POST", "/x", 201, []))).toBe(false);
    expect(outcomeUnknown(new Error("boom"))).toBe(false);
  });
});

describe("lastPathSegment", () => {
  it("names the object a Location points at, decoded, without query, fragment or trailing slash", () => {
    expect(lastPathSegment("https://api.confluent.cloud/iam/v2/service-accounts/sa-1")).toBe("sa-1");
    expect(lastPathSegment("/iam/v2/role-bindings/rb-1/?x=1#y")).toBe("rb-1");
    expect(lastPathSegment("/iam/v2/identity-providers/op%2D9z")).toBe("op-9z");
    expect(lastPathSegment("/")).toBeUndefined();
    expect(lastPathSegment("")).toBeUndefined();
    expect(lastPathSegment(undefined)).toBeUndefined();
  });
});

describe("createdAtOf and createdSince", () => {
  const at = (created_at: unknown) => ({ id: "x", metadata: { created_at } });

  it("reads metadata.created_at; anything else is no creation time", () => {
    expect(createdAtOf(at("2026-12-01T10:00:00Z"))).toBe(Date.parse("2026-12-01T10:00:00Z"));
    expect(createdAtOf(at("yesterday"))).toBeUndefined();
    expect(createdAtOf(at(17))).toBeUndefined();
    expect(createdAtOf({ metadata: null })).toBeUndefined();
    expect(createdAtOf({})).toBeUndefined();
    expect(createdAtOf(null)).toBeUndefined();
  });

  it("an object counts as created since a time on the API's clock only at or after it; a stamp in whole seconds counts from the second that time falls in", () => {
    const since = Date.parse("2026-12-01T10:00:00.400Z");
    expect(createdSince(at("2026-12-01T10:00:00.400Z"), since)).toBe(true);
    expect(createdSince(at("2026-12-01T10:00:00.399Z"), since)).toBe(false);
    expect(createdSince(at("2026-12-01T10:00:00.399812345Z"), since)).toBe(false);
    // No fraction: the true time may lie up to a second after the stamp.
    expect(createdSince(at("2026-12-01T10:00:00Z"), since)).toBe(true);
    expect(createdSince(at("2026-12-01T09:59:59Z"), since)).toBe(false);
    expect(createdSince({ id: "x" }, since)).toBe(false);
  });

  it("property: with millisecond stamps, createdSince is exactly created_at >= since", () => {
    const t = fc.integer({ min: 0, max: 4_000_000_000_000 });
    fc.assert(
      fc.property(t, t, (created, since) => {
        expect(createdSince(at(new Date(created).toISOString()), since)).toBe(created >= since);
      }),
    );
  });
});

describe("strayCreatedError", () => {
  it("says what happened, then the spec's own advice (API keys: how to delete or keep a stray key)", () => {
    expect(strayCreatedError(apiKeySpec, unavailable, ["KEY1", "KEY2"]).message).toBe(
      "The API key create request's outcome is unknown (POST /iam/v2/api-keys failed with 503 Service " +
        "Unavailable: Service Unavailable), and a matching API key appeared since it was sent: KEY1, KEY2. Its secret was in the " +
        "lost answer, so it was neither used nor sent again. Before deleting it, make sure it is not one of " +
        "the stack's own: a key the stack manages is the id of an ApiKey resource in the stack's state " +
        "(pulumi stack export), and keys this run created or read are already left out of this list. If it " +
        "is a stray, delete it (confluent api-key delete <keyId>, or DELETE /iam/v2/api-keys/<keyId>) and run " +
        'pulumi up again; to keep it anyway, add the resource option { import: "KEY1" } to this resource ' +
        "(its secret stays empty).",
    );
  });

  it("without the hook, general advice that says nothing about keys", () => {
    const spec = { ...serviceAccountSpec, strayCreatedAdvice: undefined };
    const message = strayCreatedError(spec, unavailableAt("/iam/v2/service-accounts"), ["sa-1"]).message;
    expect(message).toBe(
      "The service account create request's outcome is unknown (POST /iam/v2/service-accounts failed " +
        "with 503 Service Unavailable: Service Unavailable), and a matching service account appeared since it was sent: sa-1. It cannot be " +
        "shown to be what this request made, so it was neither used nor sent again. Before deleting it, make " +
        "sure it is not one of the stack's own: the stack's own appear as the ids of its ServiceAccount " +
        "resources in the stack's state (pulumi stack export), and those this run created or read are " +
        "already left out of this list. If it is a stray, delete it and run pulumi up again; to keep it " +
        'anyway, add the resource option { import: "sa-1" } to this resource.',
    );
    expect(message).not.toMatch(/secret|api-key|keyId/);
  });
});

describe("noUniqueAttributesError", () => {
  it("a spec that can look nothing up never resends, and says how to find and keep the object", () => {
    expect(
      noUniqueAttributesError(serviceAccountSpec, unavailableAt("/iam/v2/service-accounts")).message,
    ).toBe(
      "The service account create request's outcome is unknown (POST /iam/v2/service-accounts failed " +
        "with 503 Service Unavailable: Service Unavailable), so the service account may exist. It has no unique attributes to look it up " +
        "by, so it was not sent again. Look for it in the Confluent Cloud console or API; to keep one that " +
        'was created, add the resource option { import: "<id>" } to this resource in the program (the ' +
        "Pulumi CLI's pulumi import command does not work for dynamic providers: pulumi/pulumi#16175). Then " +
        "run pulumi up again.",
    );
  });
});
