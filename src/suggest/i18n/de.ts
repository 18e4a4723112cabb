import type { Catalogue } from './catalogue.js';
import { en } from './en.js';

export const de: Catalogue = { ...en, language: 'de' };
