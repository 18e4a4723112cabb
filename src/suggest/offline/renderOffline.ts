/**
 * The offline generator's render: the type module's facts through its template, in the user's
 * language and tone, then the vibe's hard rules. A setting the templates could not honour (a
 * language or tone they are not written in) is named at the end of the draft, never dropped.
 */
import { moduleFor } from '../eventTypes/index.js';
import { joinSections, section } from '../eventTypes/markdown.js';
import type { TemplateEnv } from '../eventTypes/module.js';
import { finalizeDraft } from '../finalizeDraft.js';
import { formatterFor } from '../format.js';
import { catalogueFor } from '../i18n/index.js';
import type { SuggestionDraft, SuggestionInput } from '../types.js';
import { resolveVibe, TONES } from '../vibe.js';

export function templateEnv(input: SuggestionInput): TemplateEnv {
  const v = resolveVibe(input.profile, input.vibe);
  return { input, v, t: catalogueFor(v.language), f: formatterFor(v.locale) };
}

function languageName(code: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** The draft from facts already computed (the offline generator computes them once for prompt and draft). */
/**
 * A sentence ending on an abbreviated date ("bis Di., 21. Apr.", "jusqu'au mar. 21 avr.") must not
 * get a second full stop.
 */
function tidy(draft: SuggestionDraft): SuggestionDraft {
  const fix = (t: string) => (t.includes('..') ? t.replace(/(\p{L})\.\.(?=\s|$)/gu, '$1.') : t);
  return { title: fix(draft.title), body: fix(draft.body), content: draft.content };
}

export function renderFacts(env: TemplateEnv, facts: unknown): SuggestionDraft {
  const draft = tidy(moduleFor(env.input).render(env, facts));
  const { v, t } = env;
  if (v.unapplied.length === 0) return finalizeDraft(draft, v);
  const notes = v.unapplied.map((u) =>
    u.setting === 'language'
      ? t.common.unapplied.language(languageName(u.requested, v.locale), languageName(u.used, v.locale))
      : t.common.unapplied.tone(u.requested, u.used, TONES.join(', ')),
  );
  return finalizeDraft(
    {
      title: draft.title,
      body: joinSections([
        draft.body,
        section(t.common.unapplied.heading, [...notes, t.common.unapplied.llm].join(' ')),
      ]),
      content: { ...draft.content, unappliedSettings: v.unapplied },
    },
    v,
  );
}

/** The draft for an input: deterministic, no I/O, no clock. Throws only on a template bug. */
export function renderOffline(input: SuggestionInput): SuggestionDraft {
  const env = templateEnv(input);
  return renderFacts(env, moduleFor(input).facts(input));
}
