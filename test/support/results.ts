/** What a GraphQL answer says, in one word: the first error's code ("ok" without errors), and the field it names. */
type Answer = { errors?: { extensions?: { code?: string; field?: string } }[] };

export const code = (res: Answer): string => res.errors?.[0]?.extensions?.code ?? "ok";
export const field = (res: Answer): string | undefined => res.errors?.[0]?.extensions?.field;
