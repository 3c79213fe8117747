/** A statement and its values, as `SqlClient.query` takes them. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** A part of a list's statement: a fixed text (a named constant), each `$?` in it standing for the next of its values. */
export type Fragment = readonly [text: string, ...values: unknown[]];

/**
 * A list's statement from fixed parts: `select`, then the conditions present (`undefined` or
 * `false` ones left out) joined by AND, then `tail` (the order and the limit). Each `$?` becomes
 * the next parameter's number; values are always parameters.
 *
 * Why lists are built from the filters present rather than one static text with
 * `($n IS NULL OR col = $n)`: as a named prepared statement, PostgreSQL soon plans such a text
 * once for all values (a generic plan), which cannot pick an index by the filters given
 * (measurements in src/payments/queries/payments.queries.ts). A list has one text per
 * combination of filters, still a few fixed ones.
 */
export function listStatement(select: string, conditions: readonly (Fragment | undefined | false)[], tail: Fragment): Statement {
  const values: unknown[] = [];
  const fill = ([text, ...given]: Fragment): string => {
    const markers = text.match(/\$\?/g)?.length ?? 0;
    if (markers !== given.length) throw new Error(`${markers} parameters in "${text.trim()}", ${given.length} values`);
    return text.replace(/\$\?/g, () => `$${values.push(given.shift())}`);
  };
  const where = conditions.filter((condition): condition is Fragment => Array.isArray(condition)).map(fill);
  const text = `${select}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ${fill(tail)}`;
  return { text, values };
}
