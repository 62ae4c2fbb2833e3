/**
 * Notifications say what happened, with a kind people can choose by: a change to a relationship's
 * terms and its end are their own kinds (not "request decided"), sent to the other side's BAMs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type Persona, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code ?? "ok";

async function latest(who: Persona) {
  const res = await server.gql(`{ viewer { notifications(first: 1) { edges { node { kind title } } } } }`, { as: who });
  return res.data!.viewer.notifications.edges[0]?.node as { kind: string; title: string } | undefined;
}

async function northernMapleId(): Promise<string> {
  const res = await server.gql(`{ relationships { edges { node { id status provider { legalName } } } } }`, { as: "alice" });
  return res.data!.relationships.edges.find((e: any) => e.node.provider.legalName.startsWith("Northern") && e.node.status === "ACTIVE").node.id;
}

// A relationship's story: its terms change, then it ends; the steps keep their order under --sequence.shuffle.
describe("relationship notifications", { shuffle: false }, () => {
  it("alice changes Northern's terms: Northern's BAM gets RELATIONSHIP_CHANGED, nobody else", async () => {
    const before = await latest("frank");
    const res = await server.gql(
      `mutation ($input: UpdateRelationshipInput!) { updateRelationship(input: $input) { role } }`,
      {
        as: "alice",
        variables: {
          input: {
            relationshipId: await northernMapleId(),
            terms: { level: "BUSINESS", role: "READER", expiresAt: null, visibility: { submittedByProvider: true, submittedByClient: true, submittedByOthers: false } },
          },
        },
      },
    );
    expect(code(res)).toBe("ok");
    expect(await latest("erin")).toEqual({ kind: "RELATIONSHIP_CHANGED", title: "Relationship changed" });
    expect(await latest("frank")).toEqual(before); // not a BAM of Northern
  });

  it("erin ends it: Maple Leaf's BAM gets RELATIONSHIP_ENDED", async () => {
    const res = await server.gql(`mutation ($input: EndRelationshipInput!) { endRelationship(input: $input) { status } }`, {
      as: "erin",
      variables: { input: { relationshipId: await northernMapleId() } },
    });
    expect(code(res)).toBe("ok");
    expect(await latest("alice")).toEqual({ kind: "RELATIONSHIP_ENDED", title: "Relationship ended" });
  });
});
