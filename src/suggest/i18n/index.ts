import type { Language } from '../vibe.js';
import type { Catalogue } from './catalogue.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { Catalogue } from './catalogue.js';

const CATALOGUES: Record<Language, Catalogue> = { en, es, fr, de };

export function catalogueFor(language: Language): Catalogue {
  return CATALOGUES[language];
}
