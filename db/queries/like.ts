/** A user's text as a literal inside a LIKE / ILIKE pattern: `%`, `_` and the escape character itself lose their meaning. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
