import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { diffSchemas, type SchemaChange, schemaChangeToEventType } from '../../../src/sources/supabase/schemaDiff.js';
import { getCurrentSchema, type SchemaSnapshot } from '../../../src/sources/supabase/schemaSnapshot.js';
import { SupabaseAdapter } from '../../../src/sources/supabase/supabaseAdapter.js';
import { renderOffline } from '../../../src/suggest/offline/renderOffline.js';
import { describeOnUserDatabases } from './userDatabase.js';

const summary = (changes: SchemaChange[]) =>
  changes.map(
    (c) =>
      `${schemaChangeToEventType(c)} ${c.kind} ${c.schema}.${c.table}${'column' in c ? `.${c.column}` : ''}` +
      `${'constraint' in c ? ` ${c.constraint}` : ''}`,
  );

describeOnUserDatabases('schema changes from real DDL', (ud) => {
  let adapter: SupabaseAdapter;
  let previous: SchemaSnapshot;

  /** Runs DDL, diffs against the last snapshot, then checks that a second diff finds nothing. */
  async function afterDdl(sql: string): Promise<SchemaChange[]> {
    await ud.db.exec(sql);
    const { changes, snapshot } = await adapter.detectSchemaChanges(previous);
    const again = await adapter.detectSchemaChanges(snapshot);
    assert.deepEqual(again.changes, [], 'a second diff with no DDL in between finds nothing');
    // Detecting the same change twice (a poll and a trigger-driven diff) gives the same keys.
    assert.deepEqual(
      diffSchemas(previous, snapshot).map((c) => c.dedupeKey),
      changes.map((c) => c.dedupeKey),
    );
    previous = snapshot;
    return changes;
  }

  before(async () => {
    adapter = new SupabaseAdapter({ db: ud.db });
    previous = await adapter.getCurrentSchema();
  });

  it('an empty project has no tables', () => {
    assert.deepEqual(previous.tables, []);
  });

  it('create table: one supabase.table.created carrying its columns and keys', async () => {
    const changes = await afterDdl(`
      create table public.profiles (id uuid primary key default gen_random_uuid(), handle text not null unique);
      create table public.posts (
        id bigint generated always as identity primary key,
        author_id uuid not null references public.profiles(id) on delete cascade,
        title text,
        created_at timestamptz not null default now()
      );
      comment on table public.posts is 'Blog posts';`);
    assert.deepEqual(summary(changes), [
      'supabase.table.created table.created public.posts',
      'supabase.table.created table.created public.profiles',
    ]);
    const posts = changes[0]!;
    assert.equal(posts.kind, 'table.created');
    if (posts.kind !== 'table.created') return;
    assert.equal(posts.after.comment, 'Blog posts');
    assert.deepEqual(
      posts.after.columns.map((c) => [c.name, c.type, c.notNull, c.identity]),
      [
        ['id', 'bigint', true, 'always'],
        ['author_id', 'uuid', true, null],
        ['title', 'text', false, null],
        ['created_at', 'timestamp with time zone', true, null],
      ],
    );
    assert.equal(posts.after.columns[3]!.default, 'now()');
    assert.deepEqual(
      posts.after.constraints.map((c) => [c.type, c.definition]),
      [
        ['foreign key', 'FOREIGN KEY (author_id) REFERENCES profiles(id) ON DELETE CASCADE'],
        ['primary key', 'PRIMARY KEY (id)'],
      ],
    );
    assert.deepEqual(
      posts.after.indexes?.map((i) => [i.name, i.columns, i.primary]),
      [['posts_pkey', [1], true]],
      'indexes are in the snapshot: author_id has none',
    );

    // The suggestion a DBA gets for it: every key and index, RLS off on an exposed table, the
    // foreign key without an index, each with the statement that fixes it.
    const draft = renderOffline({
      eventType: 'supabase.table.created',
      eventId: 'posts',
      eventData: JSON.parse(JSON.stringify({ detectedBy: 'schema_diff', ...posts })),
      profile: {},
      vibe: {},
    });
    assert.match(
      draft.body,
      /Foreign key `posts_author_id_fkey`: `author_id` → `public\.profiles\(id\)`, ON DELETE CASCADE/,
    );
    assert.match(draft.body, /`posts_pkey`: `CREATE UNIQUE INDEX posts_pkey ON public\.posts USING btree \(id\)`/);
    assert.match(draft.body, /Row level security is off on `public\.posts`/);
    assert.match(draft.body, /`alter table "public"\."posts" enable row level security;`/);
    assert.match(draft.body, /The foreign key on `author_id` \(to `public\.profiles\(id\)`\) has no index/);
    assert.match(draft.body, /no index.*`create index on "public"\."posts" \("author_id"\);`/);
    // The suggested index is valid SQL on this database, and once it exists the advice is gone.
    await ud.db.exec(
      'create index on "public"."posts" ("author_id"); alter table public.posts enable row level security',
    );
    const table = (await adapter.getCurrentSchema()).tables.find((t) => t.name === 'posts')!;
    const after = renderOffline({
      eventType: 'supabase.table.created',
      eventId: 'posts-2',
      eventData: JSON.parse(
        JSON.stringify({
          detectedBy: 'schema_diff',
          kind: 'table.created',
          schema: 'public',
          table: 'posts',
          after: table,
        }),
      ),
      profile: {},
      vibe: {},
    });
    assert.doesNotMatch(after.body, /has no index|Row level security is off/);
    previous = await adapter.getCurrentSchema();
  });

  it('add column: one supabase.column.added', async () => {
    const changes = await afterDdl(`alter table public.posts add column body varchar(2000)`);
    assert.deepEqual(summary(changes), ['supabase.column.added column.added public.posts.body']);
    const [added] = changes;
    assert.ok(added?.kind === 'column.added');
    assert.equal(added.after.type, 'character varying(2000)');
  });

  it('rename column: one supabase.column.renamed, not a drop plus an add', async () => {
    const changes = await afterDdl(`alter table public.posts rename column body to content`);
    assert.deepEqual(summary(changes), ['supabase.column.renamed column.renamed public.posts.content']);
    const [renamed] = changes;
    assert.ok(renamed?.kind === 'column.renamed');
    assert.equal(renamed.before.name, 'body');
  });

  it('renaming a key column is a column rename only, though the constraint text changes', async () => {
    const changes = await afterDdl(`alter table public.profiles rename column id to profile_id`);
    assert.deepEqual(summary(changes), ['supabase.column.renamed column.renamed public.profiles.profile_id']);
  });

  it('retype column: one supabase.column.retyped', async () => {
    const changes = await afterDdl(`alter table public.posts alter column content type text`);
    assert.deepEqual(summary(changes), ['supabase.column.retyped column.retyped public.posts.content']);
    const [retyped] = changes;
    assert.ok(retyped?.kind === 'column.retyped');
    assert.deepEqual([retyped.before.type, retyped.after.type], ['character varying(2000)', 'text']);
  });

  it('retyping a primary key column is one retype (PostgreSQL rebuilds the constraint under a new oid)', async () => {
    await ud.db.exec(`create table public.tags (id integer primary key, label text)`);
    previous = await adapter.getCurrentSchema();
    const changes = await afterDdl(`alter table public.tags alter column id type bigint`);
    assert.deepEqual(summary(changes), ['supabase.column.retyped column.retyped public.tags.id']);
  });

  it(
    'a later, different change to the same column is a new key; nullability and default ' + 'are schema.changed',
    async () => {
      const first = await afterDdl(`alter table public.posts alter column content type varchar(10)`);
      const second = await afterDdl(`alter table public.posts alter column content type text`);
      assert.notEqual(first[0]!.dedupeKey, second[0]!.dedupeKey);
      const more = await afterDdl(
        `alter table public.posts alter column content set not null, alter column content set default ''`,
      );
      assert.deepEqual(summary(more), [
        'supabase.schema.changed column.nullability_changed public.posts.content',
        'supabase.schema.changed column.default_changed public.posts.content',
      ]);
    },
  );

  it('drop column: one supabase.column.dropped', async () => {
    const changes = await afterDdl(`alter table public.posts drop column content`);
    assert.deepEqual(summary(changes), ['supabase.column.dropped column.dropped public.posts.content']);
  });

  it('constraints: added, renamed and dropped are supabase.constraint.changed', async () => {
    assert.deepEqual(
      summary(await afterDdl(`alter table public.posts add constraint title_len check (char_length(title) < 200)`)),
      ['supabase.constraint.changed constraint.added public.posts title_len'],
    );
    assert.deepEqual(summary(await afterDdl(`alter table public.posts rename constraint title_len to title_short`)), [
      'supabase.constraint.changed constraint.renamed public.posts title_short',
    ]);
    assert.deepEqual(summary(await afterDdl(`alter table public.posts drop constraint title_short`)), [
      'supabase.constraint.changed constraint.dropped public.posts title_short',
    ]);
  });

  it('rename table and enable RLS: schema.changed', async () => {
    const changes = await afterDdl(
      `alter table public.tags rename to labels; alter table public.labels enable row level security`,
    );
    assert.deepEqual(summary(changes), [
      'supabase.schema.changed table.renamed public.labels',
      'supabase.schema.changed table.rls_changed public.labels',
    ]);
  });

  it('drop table: one supabase.table.dropped (its columns and constraints are not listed again)', async () => {
    const changes = await afterDdl(`drop table public.labels`);
    assert.deepEqual(summary(changes), ['supabase.table.dropped table.dropped public.labels']);
  });

  it('Supabase-internal schemas are ignored by default and the list is configurable', async () => {
    const changes = await afterDdl(
      `create schema auth; create table auth.sessions (id uuid); create schema app; create table app.things (id int)`,
    );
    assert.deepEqual(summary(changes), ['supabase.table.created table.created app.things']);
    const onlyAuth = await getCurrentSchema(ud.db, { schemas: ['auth'], excludeSchemas: [] });
    assert.deepEqual(
      onlyAuth.tables.map((t) => `${t.schema}.${t.name}`),
      ['auth.sessions'],
    );
  });

  it('a database restored under new oids diffs by name instead of reporting every table anew', async () => {
    const before = await adapter.getCurrentSchema();
    const restored: SchemaSnapshot = {
      ...before,
      tables: before.tables.map((t) => ({
        ...t,
        oid: `9${t.oid}`,
        constraints: t.constraints.map((c) => ({ ...c, oid: `9${c.oid}` })),
      })),
    };
    assert.deepEqual(diffSchemas(before, restored), []);
  });
});
