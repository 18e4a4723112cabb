/**
 * The COMMENT ON parser: what table docs generate is accepted as is; anything that is not exactly
 * one COMMENT ON TABLE/COLUMN with quoted identifiers and a plain string literal is refused.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  CommentStatementError,
  commentSql,
  parseCommentStatement,
  parseCommentStatements,
} from '../../src/actions/commentStatements.js';
import { renderOffline } from '../../src/suggest/index.js';

const name = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\0') && Buffer.byteLength(s) <= 63);
const text = fc.string({ maxLength: 200 }).filter((s) => !s.includes('\0'));

const refused = (sql: string) =>
  assert.throws(() => parseCommentStatement(sql), CommentStatementError, `accepted: ${JSON.stringify(sql)}`);

describe('COMMENT ON statements', () => {
  test('every statement table docs writes parses back to its parts', () => {
    const draft = renderOffline({
      eventType: 'supabase.table.created',
      eventId: 'e1',
      eventData: {
        schema: 'public',
        name: 'o\'rders "x"',
        columns: [
          { name: 'id', type: 'bigint', isPrimaryKey: true },
          { name: 'customer_email', type: 'text' },
          { name: 'we"ird; drop table x', type: 'text' },
        ],
      },
      profile: {},
      vibe: {},
    });
    const statements = (draft.content.apply as { statements: string[] }).statements;
    assert.equal(statements.length, 4);
    const parsed = parseCommentStatements(statements);
    assert.deepEqual(
      parsed.map((p) => [p.object, p.schema, p.table, p.column]),
      [
        ['table', 'public', 'o\'rders "x"', undefined],
        ['column', 'public', 'o\'rders "x"', 'id'],
        ['column', 'public', 'o\'rders "x"', 'customer_email'],
        ['column', 'public', 'o\'rders "x"', 'we"ird; drop table x'],
      ],
    );
    assert.equal(draft.content.sql, statements.join('\n'), 'the statements run are the ones shown');
  });

  test('property: any table or column comment round-trips through the canonical statement', () => {
    fc.assert(
      fc.property(fc.boolean(), name, name, name, text, (isColumn, schema, table, column, comment) => {
        const target = isColumn
          ? { object: 'column' as const, schema, table, column }
          : { object: 'table' as const, schema, table };
        const sql = commentSql(target, comment);
        const p = parseCommentStatement(sql);
        assert.deepEqual(
          [p.object, p.schema, p.table, p.column, p.comment, p.sql],
          [target.object, schema, table, isColumn ? column : undefined, comment, sql],
        );
      }),
      { numRuns: 500 },
    );
  });

  test('property: arbitrary text is refused unless it is exactly a canonical COMMENT ON', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (sql) => {
        let parsed: ReturnType<typeof parseCommentStatement> | undefined;
        try {
          parsed = parseCommentStatement(sql);
        } catch (err) {
          assert.ok(err instanceof CommentStatementError);
          return;
        }
        assert.equal(commentSql(parsed, parsed.comment), sql);
      }),
      { numRuns: 2000 },
    );
  });

  test('property: a valid statement with anything added, removed or swapped is refused', () => {
    const statement = fc
      .tuple(fc.boolean(), name, name, name, text)
      .map(([isColumn, schema, table, column, comment]) =>
        commentSql(
          isColumn ? { object: 'column', schema, table, column } : { object: 'table', schema, table },
          comment,
        ),
      );
    const suffix = fc.constantFrom(
      ' DROP TABLE x;',
      '; DROP TABLE users;',
      '\nSELECT 1;',
      ' -- x',
      ' /* x */',
      ';',
      ' ',
      '\n',
    );
    fc.assert(
      fc.property(statement, suffix, (sql, extra) => {
        refused(`${sql}${extra}`);
        refused(`${extra}${sql}`);
        refused(sql.slice(0, -1));
        refused(sql.toLowerCase() === sql ? `${sql} ` : sql.toLowerCase());
      }),
      { numRuns: 300 },
    );
  });

  test('the forms an attacker would try are refused with a reason', () => {
    for (const sql of [
      `COMMENT ON TABLE public.orders IS 'x';`,
      `COMMENT ON TABLE "public".orders IS 'x';`,
      `COMMENT ON TABLE "orders" IS 'x';`,
      `COMMENT ON COLUMN "public"."orders" IS 'x';`,
      `COMMENT ON TABLE "public"."orders"."id" IS 'x';`,
      `COMMENT ON FUNCTION "public"."f"() IS 'x';`,
      `COMMENT ON TABLE "public"."orders" IS E'x\\';`,
      `COMMENT ON TABLE "public"."orders" IS $$x$$;`,
      `COMMENT ON TABLE "public"."orders" IS 'x' || current_user;`,
      `COMMENT ON TABLE "public"."orders" IS 'a'; DROP TABLE "public"."orders";`,
      `COMMENT ON TABLE "public"."orders" IS 'it's';`,
      `COMMENT ON TABLE "pub"lic"."orders" IS 'x';`,
      `COMMENT ON TABLE "public"."orders" IS NULL;`,
      `comment on table "public"."orders" is 'x';`,
      `COMMENT ON TABLE "public"."orders" IS 'x'`,
      `COMMENT  ON TABLE "public"."orders" IS 'x';`,
      `COMMENT ON TABLE "public"."orders" IS 'x\0';`,
      `COMMENT ON TABLE "${'a'.repeat(64)}"."orders" IS 'x';`,
      '',
    ])
      refused(sql);
    assert.throws(() => parseCommentStatements([]), CommentStatementError);
    assert.throws(() => parseCommentStatements('COMMENT ON …'), CommentStatementError);
    const one = commentSql({ object: 'table', schema: 'public', table: 'orders' }, 'x');
    assert.throws(() => parseCommentStatements([one, one]), /repeated/);
  });
});
