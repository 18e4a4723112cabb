/** shopify.collection.created / updated: a dated launch plan (or refresh plan) and an announcement. */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import { money } from '../format.js';
import { list } from '../payload.js';
import { readCollection, readProduct } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { bullets, joinSections, section } from './markdown.js';
import type { Template } from './templateEnv.js';
import type { CollectionPhraseArgs } from './text/shopifyText.js';

export const collectionLaunch: Template = (env) => {
  const { t, v, input } = env;
  const updated = input.eventType === 'shopify.collection.updated';
  const c = readCollection(input.eventData);
  const a: CollectionPhraseArgs = {
    title: c.title,
    handle: c.handle,
    published: c.publishedAt !== undefined,
    scope: c.publishedScope,
  };
  const all = updated ? t.collection.refreshSteps(a) : t.collection.launchSteps(a);
  // Short keeps the three steps that matter most: the eve, the day, the week after.
  const steps = updated
    ? all.slice(0, byLength(v, 2, 4, 4))
    : byLength(v, [all[1], all[2], all[4]], all.slice(0, 5), all).filter((s) => s !== undefined);
  const announcement = `${emojiFor(v, EMOJI_SETS.launch, 0)}${t.collection.announcement(v.tone, a, updated)}`;
  // Members, when the pipeline fetched them: the highest-priced lead the launch.
  const members = list(input.context?.products).map((p) => readProduct(p));
  const featured = [...members]
    .sort((x, y) => (y.maxPrice ?? -1) - (x.maxPrice ?? -1) || x.title.localeCompare(y.title))
    .slice(0, byLength(v, 3, 3, 5));
  const featuredLines = featured.map(
    (p) =>
      `${p.title}${p.minPrice !== undefined ? ` (${money(p.minPrice, input.context?.currency, v.language)})` : ''}`,
  );

  return {
    title: t.collection.title(a, updated),
    body: joinSections([
      t.collection.summary(a),
      section(
        t.headings.launchPlan,
        bullets(steps.map((s, i) => `${emojiFor(v, EMOJI_SETS.plan, i)}**${s.when}**: ${s.action}`)),
      ),
      featuredLines.length > 0 && section(t.headings.featured, bullets(featuredLines)),
      section(t.headings.announcement, announcement),
    ]),
    content: {
      collection: { id: c.id ?? null, title: c.title, handle: c.handle ?? null },
      steps,
      announcement,
      featured: featured.map((p) => ({ id: p.id ?? null, title: p.title, price: p.minPrice ?? null })),
    },
  };
};
