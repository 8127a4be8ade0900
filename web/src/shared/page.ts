import { useEffect, useRef } from 'react';

/**
 * Page title per page ("Nouvelle demande — Relais"), with "Erreur : " in front while a form
 * shows errors, so a screen reader announces the problem as soon as the page changes.
 */
export function usePageTitle(title: string, opts: { site: string; error?: boolean; errorPrefix?: string }): void {
  useEffect(() => {
    document.title = `${opts.error ? (opts.errorPrefix ?? 'Erreur : ') : ''}${title} — ${opts.site}`;
  }, [title, opts.site, opts.error, opts.errorPrefix]);
}

/**
 * After an in-app navigation, move the focus to the new page's heading (as a full page load
 * would put it at the top), so keyboard and screen-reader users start reading the new page.
 * Not on the first load: the browser already starts at the top.
 */
export function useFocusOnNavigate(key: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    let tries = 0;
    const tick = () => {
      // Not a heading React still keeps (hidden) while the next page's code loads.
      const h1 = [...document.querySelectorAll<HTMLElement>('main h1')].find((h) => h.getClientRects().length > 0);
      if (h1) {
        if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
        h1.focus({ preventScroll: true });
      } else if (tries++ < 100) setTimeout(tick, 50);
    };
    requestAnimationFrame(tick);
  }, [key]);
}
