import unhomoglyph from "unhomoglyph";
import { badInput } from "./errors.js";

/**
 * Names people choose and others read (a client group, a person's display name, a legal name) must
 * be readable and, where they tell things apart, distinct to the eye. The threats: a name made only
 * of invisible characters (a blank row in a list), a right-to-left override that makes text read
 * otherwise than it is stored (in a list, a notification, an email), and a look-alike of an existing
 * name (a Cyrillic "Асme" beside the Latin "Acme") that makes a broker act on the wrong group.
 *
 * The Unicode tables are not written here: character properties come from the JavaScript engine's
 * own Unicode data (`\p{...}`), confusables from `unhomoglyph` (Unicode's confusables.txt, UTS #39).
 */

/** Bidirectional formatting controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM). */
const BIDI_CONTROL = /\p{Bidi_Control}/u;
/** What shows nothing: spaces, controls, format characters, default-ignorable code points (zero-width space, joiners, fillers). */
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;
/** A name says something when it has at least one letter, digit or symbol one can see. */
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/**
 * The name as it is kept (NFC, trimmed, inner runs of spaces as one), or BAD_USER_INPUT naming the
 * field: without bidirectional controls, and with something visible in it.
 */
export function readableName(value: string, field: string): string {
  const name = value.normalize("NFC").trim().replace(/\s+/gu, " ");
  if (BIDI_CONTROL.test(name)) {
    throw badInput(`${field} contains a bidirectional control character (such as a right-to-left override), which makes text read otherwise than it is written.`, field);
  }
  if (!VISIBLE.test(name.replace(INVISIBLE, ""))) throw badInput(`${field} has no visible character: use letters or digits.`, field);
  return name;
}

/**
 * What a name looks like, for comparison only (never shown): UTS #39's skeleton (NFD, each
 * character mapped to its confusable prototype, NFD again), after dropping what is invisible and
 * folding case and compatibility forms. Two names look alike when their skeletons are equal
 * ("Acme", "ACME", "Асme" in Cyrillic, "A\u200Bcme", "Ａｃｍｅ", "Acrne"; "Ltd 0" and "Ltd O").
 */
export function nameSkeleton(name: string): string {
  const fold = (s: string) => unhomoglyph(s.toLowerCase().normalize("NFD")).normalize("NFD");
  // Twice: a prototype may be a capital ("0" is "O"), which case folding then makes "o".
  return fold(fold(name.normalize("NFKC").replace(INVISIBLE, "")));
}

/** The first of `existing` that looks like `name`, if any. */
export function lookAlike(name: string, existing: Iterable<string>): string | undefined {
  const skeleton = nameSkeleton(name);
  for (const other of existing) if (nameSkeleton(other) === skeleton) return other;
  return undefined;
}
