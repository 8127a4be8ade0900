import { Button } from '@mantine/core';
import { useEffect, useState } from 'react';
import { navigate } from '../shared/router';
import { helpSearchPath } from './help-api';
import { useT } from './messages';

/**
 * The help centre's search box (help page and home page). A real GET form to /aide?q=…, so it
 * also works before the script has loaded; with the script, the page changes without reloading.
 */
export function HelpSearchForm({ initial = '', id = 'help-q' }: { initial?: string; id?: string }) {
  const t = useT();
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  return (
    <form
      role="search"
      action="/aide"
      method="get"
      className="help-search"
      aria-labelledby={`${id}-label`}
      onSubmit={(e) => {
        e.preventDefault();
        navigate(q.trim() ? helpSearchPath(q) : '/aide');
      }}
    >
      <label htmlFor={id} id={`${id}-label`} className="help-search-label">
        {t('hcSearchLabel')}
      </label>
      <p className="portal-hint" id={`${id}-hint`}>
        {t('hcSearchHint')}
      </p>
      <div className="help-search-row">
        <input id={id} name="q" type="search" className="help-search-input" value={q} onChange={(e) => setQ(e.currentTarget.value)} aria-describedby={`${id}-hint`} maxLength={200} autoComplete="off" enterKeyHint="search" />
        <Button type="submit">{t('hcSearchButton')}</Button>
      </div>
    </form>
  );
}
