import { SqlAccessIndexes1795613179394 } from "./1795613179394-SqlAccessIndexes.js";
import { RegistrationAttemptsPerPerson1795612912997 } from "./1795612912997-RegistrationAttemptsPerPerson.js";
import { Initial1795332859009 } from "./1795332859009-Initial.js";
import type { MigrationInterface } from "typeorm";

/** Every migration, in order. `npm run migration:generate -- <Name>` appends to this list. */
export const migrations: (new () => MigrationInterface)[] = [
  Initial1795332859009,
  RegistrationAttemptsPerPerson1795612912997,
  SqlAccessIndexes1795613179394,
];
