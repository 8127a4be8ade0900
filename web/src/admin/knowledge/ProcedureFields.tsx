import { ActionIcon, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useT } from '../../console/messages';
import type { ProcedureSections } from './procedure-markdown';

/** An ordered list of short texts (steps, scripts): edit, move up and down, remove, add. */
function ListField({ legend, hint, items, onChange, itemLabel, addLabel, ordered, error, id }: { legend: string; hint: string; items: string[]; onChange: (items: string[]) => void; itemLabel: (n: number) => string; addLabel: string; ordered: boolean; error?: string; id: string }) {
  const t = useT();
  const move = (i: number, by: number) => {
    const next = [...items];
    const [x] = next.splice(i, 1);
    next.splice(i + by, 0, x!);
    onChange(next);
  };
  const List = ordered ? 'ol' : 'ul';
  return (
    <fieldset className="kn-fieldset" aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
      <legend>{legend}</legend>
      <Text size="sm" c="dimmed" id={`${id}-hint`} mb="xs">
        {hint}
      </Text>
      {error && (
        <Text size="sm" c="red.8" id={`${id}-error`} mb="xs">
          {error}
        </Text>
      )}
      <List className="kn-list" id={id}>
        {items.map((x, i) => (
          <li key={i}>
            <Group align="flex-start" gap="xs" wrap="nowrap">
              <Textarea aria-label={itemLabel(i + 1)} value={x} onChange={(e) => onChange(items.map((y, j) => (j === i ? e.currentTarget.value : y)))} autosize minRows={1} style={{ flex: 1 }} />
              <ActionIcon variant="default" size="lg" aria-label={t('knMoveUp', { item: itemLabel(i + 1) })} disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </ActionIcon>
              <ActionIcon variant="default" size="lg" aria-label={t('knMoveDown', { item: itemLabel(i + 1) })} disabled={i === items.length - 1} onClick={() => move(i, 1)}>
                ↓
              </ActionIcon>
              <ActionIcon variant="default" size="lg" aria-label={t('knRemove', { item: itemLabel(i + 1) })} onClick={() => onChange(items.filter((_, j) => j !== i))}>
                ×
              </ActionIcon>
            </Group>
          </li>
        ))}
      </List>
      <Button variant="default" size="compact-md" mt="xs" onClick={() => onChange([...items, ''])}>
        {addLabel}
      </Button>
    </fieldset>
  );
}

/** The sections of a procedure as fields: steps, what to say, when to escalate, official contacts, other notes. */
export function ProcedureFields({ value, onChange, stepsError }: { value: ProcedureSections; onChange: (s: ProcedureSections) => void; stepsError?: string }) {
  const t = useT();
  const set = <K extends keyof ProcedureSections>(k: K, v: ProcedureSections[K]) => onChange({ ...value, [k]: v });
  return (
    <Stack gap="md">
      <ListField id="kn-steps" legend={t('knSteps')} hint={t('knStepsHint')} items={value.steps} onChange={(v) => set('steps', v)} itemLabel={(n) => t('knStepN', { n })} addLabel={t('knAddStep')} ordered error={stepsError} />
      <ListField id="kn-scripts" legend={t('knScripts')} hint={t('knScriptsHint')} items={value.scripts} onChange={(v) => set('scripts', v)} itemLabel={(n) => t('knScriptN', { n })} addLabel={t('knAddScript')} ordered={false} />
      <Textarea label={t('knEscalation')} description={t('knEscalationHint')} value={value.escalation} onChange={(e) => set('escalation', e.currentTarget.value)} autosize minRows={3} />
      <Textarea label={t('knContacts')} description={t('knContactsHint')} value={value.contacts} onChange={(e) => set('contacts', e.currentTarget.value)} autosize minRows={3} className="kn-markdown-input" />
      <Textarea label={t('knOther')} description={t('knOtherHint')} value={value.other} onChange={(e) => set('other', e.currentTarget.value)} autosize minRows={3} className="kn-markdown-input" />
    </Stack>
  );
}
