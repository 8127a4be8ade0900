import { Badge } from '@mantine/core';
import { useT } from '../../console/messages';
import type { ContentStatus, Severity } from './knowledge-api';

const SEVERITY_COLOR: Record<Severity, string> = { info: 'gray', normal: 'relais', high: 'orange', critique: 'red' };

/** Words for a procedure's severity and a content's state. */
export function useKnowledgeLabels() {
  const t = useT();
  return {
    severity: (s: Severity | string) => ({ info: t('knSeverityInfo'), normal: t('knSeverityNormal'), high: t('knSeverityHigh'), critique: t('knSeverityCritical') })[s as Severity] ?? s,
    severityColor: (s: Severity | string) => SEVERITY_COLOR[s as Severity] ?? 'gray',
    status: (s: ContentStatus | string) => (s === 'published' ? t('knPublished') : t('knDraft')),
  };
}

export function StatusBadge({ status }: { status: ContentStatus }) {
  const K = useKnowledgeLabels();
  return (
    <Badge color={status === 'published' ? 'green' : 'orange'} variant="light">
      {K.status(status)}
    </Badge>
  );
}
