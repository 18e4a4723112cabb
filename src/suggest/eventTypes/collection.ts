/**
 * shopify.collection.created / updated: a dated launch (or refresh) plan and an announcement that
 * names the collection's products. Collection webhooks list no products: the pipeline finds them
 * by the collection's rules, by a tag equal to its handle, or as the products created just
 * before it (said as such), or asks the Admin API when connected.
 */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import type { CollectionStep } from '../i18n/texts.js';
import { at, list, str } from '../payload.js';
import { readCollection } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { bullets, joinSections, section } from './markdown.js';
import { defineEventType } from './module.js';
import { productBrief } from './productFacts.js';

interface Member {
  title: string;
  price: number | null;
  productType: string | null;
}

export interface CollectionFacts {
  collection: {
    id: string | null;
    title: string;
    handle: string | null;
    published: boolean;
    publishedAt: string | null;
    rules: Array<{ column: string; relation: string; condition: string }>;
  };
  updated: boolean;
  members: Member[];
  memberCount: number;
  memberBasis: 'rule' | 'tag' | 'recent' | 'admin' | null;
  /** The plan's steps with their dates (from the collection's own timestamps). */
  schedule: Array<{ step: CollectionStep; at: string }>;
  currency: string | null;
}

const DAY_MS = 86_400_000;

const PLANS: Record<'live' | 'draft' | 'refresh', Array<[CollectionStep, number]>> = {
  live: [
    ['announce', 0],
    ['stories', 1],
    ['socialProof', 3],
    ['recap', 7],
    ['review', 14],
  ],
  draft: [
    ['prepare', 0],
    ['tease', 1],
    ['earlyAccess', 2],
    ['publish', 3],
    ['review', 10],
  ],
  refresh: [
    ['reorder', 0],
    ['whatsNew', 2],
    ['emailViewers', 7],
  ],
};

export const collection = defineEventType<CollectionFacts>({
  needs: ['collectionMembers'],
  customerFacing: false,
  facts(input) {
    const c = readCollection(input.eventData);
    const updated = input.eventType === 'shopify.collection.updated';
    const anchorIso =
      (c.publishedAt && !updated ? c.publishedAt : undefined) ??
      input.occurredAt ??
      str(at(input.eventData, 'updated_at')) ??
      c.publishedAt;
    const anchor = anchorIso ? Date.parse(anchorIso) : Number.NaN;
    const plan = PLANS[updated ? 'refresh' : c.publishedAt ? 'live' : 'draft'];
    const found = input.context?.members;
    const members = (found?.products ?? []).map((p) => productBrief(p));
    const ranked = [...members].sort((a, b) => (b.price ?? -1) - (a.price ?? -1) || a.title.localeCompare(b.title));
    return {
      collection: {
        id: c.id ?? null,
        title: c.title,
        handle: c.handle ?? null,
        published: c.publishedAt !== undefined,
        publishedAt: c.publishedAt ?? null,
        rules: list(at(input.eventData, 'rules')).flatMap((r) => {
          const column = str(at(r, 'column'));
          const relation = str(at(r, 'relation'));
          const condition = str(at(r, 'condition'));
          return column && relation && condition ? [{ column, relation, condition }] : [];
        }),
      },
      updated,
      members: ranked.slice(0, 8).map((p) => ({ title: p.title, price: p.price, productType: p.productType })),
      memberCount: members.length,
      memberBasis: members.length > 0 ? (found?.basis ?? null) : null,
      schedule: Number.isNaN(anchor)
        ? []
        : plan.map(([step, days]) => ({ step, at: new Date(anchor + days * DAY_MS).toISOString() })),
      currency: input.context?.currency ?? null,
    };
  },
  task:
    'Write the dated plan (one action per step of the schedule, on its date) and an announcement post that ' +
    'names some of the members. Only name products listed in members. content: {steps: [{when, action}], ' +
    'announcement: string, featured: [{title}]}.',
  render(env, facts) {
    const { t, v, f } = env;
    const text = t.collection;
    const c = facts.collection;
    const featured = facts.members.slice(0, byLength(v, 3, 4, 8));
    const a = {
      title: c.title,
      handle: c.handle ?? undefined,
      published: c.published,
      highlights: featured.length > 0 ? f.list(featured.slice(0, 3).map((m) => m.title)) : undefined,
      more: facts.memberCount > 3,
    };
    const schedule = byLength(v, facts.schedule.slice(0, 3), facts.schedule, facts.schedule);
    const steps = schedule.map((s) => ({ when: f.day(s.at), action: text.steps[s.step](a) }));
    const announcement = `${emojiFor(v, EMOJI_SETS.launch, 0)}${text.announcement[v.tone](a, facts.updated)}`;
    const rule = c.rules[0];
    const basis = facts.memberBasis
      ? text.memberBasis[facts.memberBasis](
          facts.memberBasis === 'rule' && rule
            ? `${rule.column} ${rule.relation} ${rule.condition}`
            : (c.handle ?? c.title),
          f.integer(facts.memberCount),
        )
      : undefined;
    const memberLines = featured.map(
      (m) => `**${m.title}**${m.price !== null ? ` (${f.money(m.price, facts.currency ?? undefined)})` : ''}`,
    );
    return {
      title: text.title(a, facts.updated),
      body: joinSections([
        text.summary(a),
        section(
          text.headings.members,
          memberLines.length > 0 ? `${basis}\n\n${bullets(memberLines)}` : text.noMembers(a),
        ),
        section(
          text.headings.plan,
          bullets(steps.map((s, i) => `${emojiFor(v, EMOJI_SETS.plan, i + 1)}**${s.when}**: ${s.action}`)),
        ),
        section(text.headings.announcement, announcement),
      ]),
      content: {
        collection: { id: c.id, title: c.title, handle: c.handle },
        steps,
        announcement,
        featured: featured.map((m) => ({ title: m.title, price: m.price })),
        membersFoundBy: facts.memberBasis,
      },
    };
  },
});
