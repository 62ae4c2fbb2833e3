import { GrantsTable1796701930690 } from "./1796701930690-GrantsTable.js";
import { ServerSecrets1796692312986 } from "./1796692312986-ServerSecrets.js";
import { OpenCreditsIndex1796691568006 } from "./1796691568006-OpenCreditsIndex.js";
import { BusinessNameTrigrams1796691188795 } from "./1796691188795-BusinessNameTrigrams.js";
import { MoneyAsTheLawWrites1796679723458 } from "./1796679723458-MoneyAsTheLawWrites.js";
import { AdjustmentReview1796157986020 } from "./1796157986020-AdjustmentReview.js";
import { RulingWorkflow1795615678637 } from "./1795615678637-RulingWorkflow.js";
import { MoneyLoop1795615773314 } from "./1795615773314-MoneyLoop.js";
import { AccessRequestAccounts1795616073820 } from "./1795616073820-AccessRequestAccounts.js";
import { BusinessAsecIndexName1795616186487 } from "./1795616186487-BusinessAsecIndexName.js";
import { RelationshipExpiryNotices1795613780316 } from "./1795613780316-RelationshipExpiryNotices.js";
import { EmailOutbox1795613617206 } from "./1795613617206-EmailOutbox.js";
import { RelationshipNotificationKinds1795613508148 } from "./1795613508148-RelationshipNotificationKinds.js";
import { SqlAccessIndexes1795613179394 } from "./1795613179394-SqlAccessIndexes.js";
import { RegistrationAttemptsPerPerson1795612912997 } from "./1795612912997-RegistrationAttemptsPerPerson.js";
import { Initial1795332859009 } from "./1795332859009-Initial.js";
import type { MigrationInterface } from "typeorm";

/** Every migration, in order. `npm run migration:generate -- <Name>` appends to this list. */
export const migrations: (new () => MigrationInterface)[] = [
  Initial1795332859009,
  RegistrationAttemptsPerPerson1795612912997,
  SqlAccessIndexes1795613179394,
  RelationshipNotificationKinds1795613508148,
  EmailOutbox1795613617206,
  RelationshipExpiryNotices1795613780316,
  RulingWorkflow1795615678637,
  MoneyLoop1795615773314,
  AccessRequestAccounts1795616073820,
  BusinessAsecIndexName1795616186487,
  AdjustmentReview1796157986020,
  MoneyAsTheLawWrites1796679723458,
  BusinessNameTrigrams1796691188795,
  OpenCreditsIndex1796691568006,
  ServerSecrets1796692312986,
  GrantsTable1796701930690,
];
