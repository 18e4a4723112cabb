/** PostgreSQL quoting for generated statements: identifiers double their quotes, literals their apostrophes. */

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A standard string literal; standard_conforming_strings (on since 9.1) keeps backslashes literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function qualifiedIdent(schema: string, ...names: string[]): string {
  return [schema, ...names].map(quoteIdent).join('.');
}
