/**
 * The only SQL Lookout runs on a user's database on their behalf: COMMENT ON TABLE / COLUMN with
 * every identifier double-quoted and a standard string literal as the comment. A statement is
 * accepted only when rebuilding it from its parsed parts gives back exactly the same text, so
 * what runs is exactly what the user was shown, and nothing else can ride along (a second
 * statement, a comment, an E'' string, an unquoted name, a function call).
 */
import { qualifiedIdent, quoteIdent, quoteLiteral } from '../suggest/sql.js';

export interface CommentStatement {
  object: 'table' | 'column';
  schema: string;
  table: string;
  /** Set for COLUMN. */
  column?: string;
  comment: string;
  /** The statement as accepted (the text that runs). */
  sql: string;
}

export class CommentStatementError extends Error {
  override readonly name = 'CommentStatementError';
}

const IDENT = '"((?:[^"\\x00]|"")+)"';
const LITERAL = "'((?:[^'\\x00]|'')*)'";
const STATEMENT = new RegExp(`^COMMENT ON (TABLE|COLUMN) ${IDENT}\\.${IDENT}(?:\\.${IDENT})? IS ${LITERAL};$`);
/** PostgreSQL truncates longer names; a longer one is not what the suggestion named. */
const MAX_IDENTIFIER_BYTES = 63;
const MAX_COMMENT_LENGTH = 10_000;

const unquoteIdent = (s: string) => s.replace(/""/g, '"');
const unquoteLiteral = (s: string) => s.replace(/''/g, "'");

/** The statement that sets (or, with null, removes) the comment of the same object. */
export function commentSql(
  s: Pick<CommentStatement, 'object' | 'schema' | 'table' | 'column'>,
  comment: string | null,
) {
  const target =
    s.object === 'table' ? qualifiedIdent(s.schema, s.table) : qualifiedIdent(s.schema, s.table, s.column ?? '');
  return `COMMENT ON ${s.object.toUpperCase()} ${target} IS ${comment === null ? 'NULL' : quoteLiteral(comment)};`;
}

/** Parses one statement; throws CommentStatementError saying why anything else is refused. */
export function parseCommentStatement(sql: string): CommentStatement {
  if (typeof sql !== 'string') throw new CommentStatementError('a statement must be a string');
  const m = STATEMENT.exec(sql);
  if (!m)
    throw new CommentStatementError(
      'only COMMENT ON TABLE "schema"."table" IS \'…\'; ' +
        'or COMMENT ON COLUMN "schema"."table"."column" IS \'…\'; is run',
    );
  const object = m[1] === 'TABLE' ? 'table' : 'column';
  const names = [m[2], m[3], m[4]].filter((n): n is string => n !== undefined).map(unquoteIdent);
  if (names.length !== (object === 'table' ? 2 : 3))
    throw new CommentStatementError(
      object === 'table' ? 'a table is named "schema"."table"' : 'a column is named "schema"."table"."column"',
    );
  for (const n of names)
    if (Buffer.byteLength(n) > MAX_IDENTIFIER_BYTES)
      throw new CommentStatementError(`the name ${quoteIdent(n)} is longer than PostgreSQL's 63 bytes`);
  const comment = unquoteLiteral(m[5]!);
  if (comment.length > MAX_COMMENT_LENGTH) throw new CommentStatementError('the comment is too long');
  const parsed: CommentStatement = {
    object,
    schema: names[0]!,
    table: names[1]!,
    ...(object === 'column' ? { column: names[2]! } : {}),
    comment,
    sql,
  };
  // Belt and braces: the accepted text is exactly the canonical statement for these parts.
  if (commentSql(parsed, comment) !== sql) throw new CommentStatementError('the statement is not in canonical form');
  return parsed;
}

/** Parses a suggestion's statements: one to 200 of them, none repeated. */
export function parseCommentStatements(list: unknown): CommentStatement[] {
  if (!Array.isArray(list) || list.length === 0) throw new CommentStatementError('no COMMENT ON statements');
  if (list.length > 200) throw new CommentStatementError('more than 200 statements');
  const parsed = list.map((s) => parseCommentStatement(s as string));
  if (new Set(parsed.map((p) => p.sql)).size !== parsed.length)
    throw new CommentStatementError('a statement is repeated');
  return parsed;
}
