import { useSyncExternalStore } from 'react';

/**
 * French by default, English available. Every string shown goes through a dictionary made by
 * `defineMessages`: the French one defines the keys, the English one must have the same keys
 * (the type checker refuses a missing translation). Each area keeps its own dictionary, so the
 * portal does not ship the console's words.
 */
export type Lang = 'fr' | 'en';
export const LANGS: Lang[] = ['fr', 'en'];
const KEY = 'relais.lang';

const listeners = new Set<() => void>();
let current: Lang = readStored();

function readStored(): Lang {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // Private browsing: the choice lasts for this page only.
  }
  document.documentElement.lang = lang;
  listeners.forEach((l) => l());
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

export type Vars = Record<string, string | number>;
export type Translate<K extends string> = (key: K, vars?: Vars) => string;

/**
 * `{name}` is replaced by its value; `{n|demande|demandes}` by the singular or the plural word
 * for the number n (French takes the singular for 0 and 1, English for 1 only), so a count never
 * reads "demande(s)".
 */
export function format(template: string, vars?: Vars, lang: Lang = 'fr'): string {
  if (!vars) return template;
  return template
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (m, k: string, one: string, other: string) => {
      if (!(k in vars)) return m;
      const n = Math.abs(Number(vars[k]));
      return (lang === 'fr' ? n < 2 : n === 1) ? one : other;
    })
    .replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function defineMessages<T extends Record<string, string>>(fr: T, en: { [K in keyof T]: string }) {
  const dicts: Record<Lang, Record<keyof T, string>> = { fr, en };
  const translate = (lang: Lang): Translate<Extract<keyof T, string>> => (key, vars) => format(dicts[lang][key] ?? String(key), vars, lang);
  return {
    /** The translate function for the current language; re-renders when the language changes. */
    useT: () => translate(useLang()),
    /** Outside React (document titles set in effects, error texts). */
    t: (key: Extract<keyof T, string>, vars?: Vars) => translate(current)(key, vars),
  };
}

/** Dates and times in the user's language, in the hotline's time zone when given. */
export function formatDateTime(iso: string, lang: Lang, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', opts).format(new Date(iso));
}

if (typeof document !== 'undefined') document.documentElement.lang = current;
