import { useSyncExternalStore } from 'react';

/** Display preferences of the portal (large type, high contrast), kept in the browser. */
export interface Prefs {
  largeText: boolean;
  highContrast: boolean;
}
const KEY = 'relais.prefs';
const listeners = new Set<() => void>();
let prefs: Prefs = read();

function read(): Prefs {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Prefs>;
    return { largeText: v.largeText === true, highContrast: v.highContrast === true };
  } catch {
    return { largeText: false, highContrast: false };
  }
}

function apply(p: Prefs) {
  const root = document.documentElement;
  if (p.largeText) root.dataset.text = 'large';
  else delete root.dataset.text;
  if (p.highContrast) root.dataset.contrast = 'high';
  else delete root.dataset.contrast;
}

export function setPrefs(change: Partial<Prefs>): void {
  prefs = { ...prefs, ...change };
  try {
    localStorage.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Private browsing: the choice lasts for this page only.
  }
  apply(prefs);
  listeners.forEach((l) => l());
}

export function usePrefs(): Prefs {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => prefs,
  );
}

/** Applied to <html> by the portal only; the console keeps its normal size. */
export function applyPrefs(on: boolean): void {
  if (on) apply(prefs);
  else apply({ largeText: false, highContrast: false });
}
