import {
  allPages,
  idsOf,
  missingPaths,
  pick,
  recorded,
  startTestEmulator,
  str,
  theError,
  type TestEmulator,
} from "./helpers";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const invite = (email: string, auth_type?: string) =>
  emu.call("POST", "/iam/v2/invitations", { email, auth_type });

describe("users", () => {
  test("full scenario: no POST (405), get, list over 3 pages, PATCH full_name, delete 204, 404 after", async () => {
    expect((await emu.call("POST", "/iam/v2/users", { email: "x@example.com" })).status).toBe(405);
    const got = await emu.call("GET", "/iam/v2/users/u-demo01");
    expect(got.status).toBe(200);
    expect(missingPaths(recorded("iam-v2/users/get__user.json"), got.body)).toEqual([]);
    expect(got.body).toMatchObject({ kind: "User", email: "owner@example.com", full_name: "Demo Owner" });

    for (const e of ["a@example.com", "b@example.com", "c@example.com"])
      expect((await invite(e)).status).toBe(201);
    const pages = await allPages(emu, "/iam/v2/users?page_size=2");
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);
    expect(missingPaths(recorded("iam-v2/users/list__page_1.json"), pages[0])).toEqual([]);
    expect(missingPaths(recorded("iam-v2/users/list__page_2_last.json"), pages[2])).toEqual([]);

    const patched = await emu.call(
      "PATCH",
      "/iam/v2/users/u-demo01",
      recorded("iam-v2/users/requests/update__user.json"),
    );
    expect(patched.status).toBe(200);
    expect(pick(patched.body, "full_name")).toBe("Alex #3 renamed");
    expect(pick(patched.body, "email")).toBe("owner@example.com");

    expect((await emu.call("DELETE", "/iam/v2/users/u-demo01")).status).toBe(204);
    const gone = await emu.call("GET", "/iam/v2/users/u-demo01");
    expect(gone.status).toBe(404);
    expect(theError(gone)).toMatchObject({ status: "404", code: "user_not_found" });
  });

  test("deleting a user removes the user's role bindings", async () => {
    const rb = await emu.call("POST", "/iam/v2/role-bindings", {
      principal: "User:u-demo02",
      role_name: "MetricsViewer",
      crn_pattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
    });
    await emu.call("DELETE", "/iam/v2/users/u-demo02");
    expect((await emu.call("GET", `/iam/v2/role-bindings/${str(rb.body, "id")}`)).status).toBe(403);
  });
});

describe("invitations", () => {
  test("full scenario: create 201 with a pending user, get, list over 3 pages, no PATCH (405), delete 204, 404 after", async () => {
    const before = Date.now();
    const created = await emu.call(
      "POST",
      "/iam/v2/invitations",
      recorded("iam-v2/invitations/requests/create__invitation.json"),
    );
    expect(created.status).toBe(201);
    const id = str(created.body, "id");
    expect(id).toMatch(/^i-/);
    expect(missingPaths(recorded("iam-v2/invitations/create__invitation.json"), created.body)).toEqual([]);
    expect(created.body).toMatchObject({
      kind: "Invitation",
      email: "zli00000000@confluent.io",
      auth_type: "AUTH_TYPE_LOCAL",
      status: "INVITE_STATUS_SENT",
      creator: { id: "u-demo01", kind: "User" },
    });
    const expires = Date.parse(str(created.body, "expires_at"));
    expect(expires - before).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000 - 1000);
    expect(expires - before).toBeLessThanOrEqual(7 * 24 * 3600 * 1000 + 5000);
    const userId = str(created.body, "user.id");
    expect(userId).toMatch(/^u-/);
    expect((await emu.call("GET", `/iam/v2/users/${userId}`)).body).toMatchObject({
      email: "zli00000000@confluent.io",
    });

    const got = await emu.call("GET", `/iam/v2/invitations/${id}`);
    expect(got.status).toBe(200);
    expect(missingPaths(recorded("iam-v2/invitations/get__invitation.json"), got.body)).toEqual([]);
    for (const e of ["a@example.com", "b@example.com", "c@example.com", "d@example.com"])
      await invite(e, "AUTH_TYPE_SSO");
    const pages = await allPages(emu, "/iam/v2/invitations?page_size=2");
    expect(pages).toHaveLength(3);
    expect(idsOf(pages)).toHaveLength(5);

    expect((await emu.call("PATCH", `/iam/v2/invitations/${id}`, { email: "x@example.com" })).status).toBe(
      405,
    );
    expect((await emu.call("DELETE", `/iam/v2/invitations/${id}`)).status).toBe(204);
    const gone = await emu.call("GET", `/iam/v2/invitations/${id}`);
    expect(gone.status).toBe(404);
    expect(theError(gone)).toMatchObject({ code: "invitation_not_found" });
    expect((await emu.call("GET", `/iam/v2/users/${userId}`)).status).toBe(404);
  });

  test("an accepted invitation cannot be deleted (400)", async () => {
    const inv = await invite("new@example.com");
    const id = str(inv.body, "id");
    const accepted = await emu.call("POST", `/_emulator/invitations/${id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: "INVITE_STATUS_ACCEPTED" });
    expect(str(accepted.body, "accepted_at")).toMatch(/^\d{4}-/);
    const del = await emu.call("DELETE", `/iam/v2/invitations/${id}`);
    expect(del.status).toBe(400);
    expect(theError(del)).toMatchObject({
      status: "400",
      detail: `Invitation ${id} has been accepted and cannot be deleted`,
    });
    expect((await emu.call("POST", "/_emulator/invitations/i-nope/accept")).status).toBe(404);
  });

  test("email is required and must be an email; auth_type must be one the spec allows", async () => {
    const none = await emu.call("POST", "/iam/v2/invitations", {});
    expect(theError(none)).toMatchObject({ detail: "email is required", source: { pointer: "/email" } });
    const bad = await invite("not-an-email");
    expect(bad.status).toBe(422);
    expect(theError(bad)).toMatchObject({ detail: "email must be a valid email address" });
    const auth = await invite("x@example.com", "AUTH_TYPE_MAGIC");
    expect(auth.status).toBe(422);
    expect(theError(auth)).toMatchObject({
      detail: "auth_type must be AUTH_TYPE_LOCAL or AUTH_TYPE_SSO",
      source: { pointer: "/auth_type" },
    });
    expect(pick((await invite("sso@example.com", "AUTH_TYPE_SSO")).body, "auth_type")).toBe("AUTH_TYPE_SSO");
  });

  test("inviting an existing user's email, or one already invited, answers 409", async () => {
    expect((await invite("owner@example.com")).status).toBe(409);
    const first = await invite("twice@example.com");
    const again = await invite("twice@example.com");
    expect(again.status).toBe(409);
    expect(again.headers.get("location")).toBe(`${emu.url}/iam/v2/invitations/${str(first.body, "id")}`);
  });

  test("LIST filters by email, status, user and creator", async () => {
    const a = await invite("a@example.com");
    const b = await invite("b@example.com");
    await emu.call("POST", `/_emulator/invitations/${str(b.body, "id")}/accept`);
    const q = async (s: string) => idsOf([(await emu.call("GET", `/iam/v2/invitations?${s}`)).body]);
    expect(await q("email=a@example.com")).toEqual([str(a.body, "id")]);
    expect(await q("status=INVITE_STATUS_ACCEPTED")).toEqual([str(b.body, "id")]);
    expect(await q(`user=${str(a.body, "user.id")}`)).toEqual([str(a.body, "id")]);
    expect((await q("creator=u-demo01")).length).toBe(2);
  });
});
