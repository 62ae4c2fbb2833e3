/**
 * The demo world's people (see the domain spec). Their token subjects are "demo|<username>", issued
 * only by the local development issuer.
 */
export interface Persona {
  username: string;
  displayName: string;
  email: string;
  description: string;
  platformRole?: "AGENCY_OFFICER";
  /** False for a person who has signed in but not yet created a portal profile. */
  seeded?: boolean;
}

export const personas: Persona[] = [
  { username: "alice", displayName: "Alice Tremblay", email: "alice@mapleleafwd.example", description: "BAM of Maple Leaf Windows & Doors" },
  { username: "bob", displayName: "Bob Singh", email: "bob@mapleleafwd.example", description: "PAM of Maple Leaf RM0001 (windows)" },
  { username: "carol", displayName: "Carol Nguyen", email: "carol@mapleleafwd.example", description: "Editor of Maple Leaf RM0001" },
  { username: "dave", displayName: "Dave Roy", email: "dave@mapleleafwd.example", description: "Reader of Maple Leaf RM0002 (doors)" },
  { username: "erin", displayName: "Erin Walsh", email: "erin@northerncustoms.example", description: "BAM of Northern Customs Brokers" },
  { username: "frank", displayName: "Frank Okafor", email: "frank@northerncustoms.example", description: "Northern employee, client group with Maple Leaf (Editor)" },
  { username: "gina", displayName: "Gina Russo", email: "gina@oldborder.example", description: "Old Border employee: Expired user for Maple Leaf" },
  { username: "ivan", displayName: "Ivan Petrov", email: "ivan@prairieimports.example", description: "BAM of Prairie Imports" },
  { username: "harry", displayName: "Harry Clarke", email: "harry@example.com", description: "Orphan user: linked to no business" },
  { username: "olga", displayName: "Olga Bouchard", email: "olga@cbsa-asfc.example", description: "Agency officer", platformRole: "AGENCY_OFFICER" },
  { username: "newcomer", displayName: "(not yet chosen)", email: "", description: "Signed in for the first time: no profile yet (try createProfile)", seeded: false },
];

export const personaSubject = (username: string) => `demo|${username}`;
