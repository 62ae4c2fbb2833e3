import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/**
 * A secret the API processes of one deployment share, by purpose (`export-links`: the key that signs
 * download links, so that a link made by one process is honoured by any other). Made at random by the
 * first process that needs it (insert-if-absent, then read back: every process keeps the same one).
 * Deleting the row and restarting rotates it; links signed with the old one then stop working.
 * Kept in the database, beside the data the links give access to: whoever reads it can read that data.
 */
@Entity({ name: "server_secrets" })
export class ServerSecret {
  @PrimaryColumn({ type: "varchar", length: 40 })
  purpose!: string;

  /** The secret's bytes in base64url (text, so that the rows read like every other entity's: db/rows.ts). */
  @Column({ type: "varchar", length: 100 })
  secret!: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt!: Date;
}
