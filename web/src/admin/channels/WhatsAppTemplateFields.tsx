import { ActionIcon, Button, Group, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { QUICK_REPLY_PAYLOADS, type QuickReplyPayload } from '../../../../common/src/message-templates';
import { useChannelsAdminT, type ChannelsAdminKey } from './channels-admin-messages';
import type { TemplateErrors } from './template-checks';
import type { TemplateKey, WhatsAppTemplateRef } from './templates-api';

const PAYLOAD_LABEL: Record<QuickReplyPayload, ChannelsAdminKey> = {
  'rating:5': 'qrRating5',
  'rating:4': 'qrRating4',
  'rating:3': 'qrRating3',
  'rating:2': 'qrRating2',
  'rating:1': 'qrRating1',
  callback: 'qrCallback',
};

/** What a quick-reply button does when the client taps it, in words. */
export function QuickReplyLabel({ payload }: { payload: string }) {
  const t = useChannelsAdminT();
  const key = PAYLOAD_LABEL[payload as QuickReplyPayload];
  return <>{key ? t(key) : payload}</>;
}

const SATISFACTION: string[] = ['rating:5', 'rating:3', 'rating:1'];

function moved<T>(list: T[], i: number, by: number): T[] {
  const next = [...list];
  const [x] = next.splice(i, 1);
  next.splice(i + by, 0, x!);
  return next;
}

/**
 * The approved WhatsApp template sent instead of the text more than 24 hours after the client's
 * last message (Meta's rule): its name and language as approved, which information fills each
 * {{1}}, {{2}}…, and what each quick-reply button does.
 */
export function WhatsAppTemplateFields({
  templateKey,
  variables,
  variableLabel,
  value,
  onChange,
  errors,
}: {
  templateKey: TemplateKey;
  variables: string[];
  variableLabel: (v: string) => string;
  value: WhatsAppTemplateRef | null;
  onChange: (v: WhatsAppTemplateRef | null) => void;
  errors: TemplateErrors;
}) {
  const t = useChannelsAdminT();
  const resolved = templateKey === 'resolved';
  const set = (patch: Partial<WhatsAppTemplateRef>) => value && onChange({ ...value, ...patch });
  const quick = value?.quickReplies ?? [];
  const variableOptions = variables.map((v) => ({ value: v, label: `{{${v}}} — ${variableLabel(v)}` }));
  const payloadOptions = QUICK_REPLY_PAYLOADS.map((p) => ({ value: p, label: t(PAYLOAD_LABEL[p]) }));
  return (
    <fieldset className="tpl-fieldset">
      <legend>{t('tplWaLegend')}</legend>
      <Stack gap="sm">
        <Text size="sm">{t('tplWaExplain')}</Text>
        <Switch
          label={t('tplWaUse')}
          checked={!!value}
          onChange={(e) =>
            onChange(e.currentTarget.checked ? { name: '', language: 'fr', params: variables.includes('number') ? ['number'] : [], ...(resolved ? { quickReplies: SATISFACTION } : {}) } : null)
          }
        />
        {value && (
          <>
            <TextInput id="tpl-wa-name" label={t('tplWaName')} description={t('tplWaNameHint')} value={value.name} onChange={(e) => set({ name: e.currentTarget.value.trim() })} error={errors.waName} required autoComplete="off" spellCheck={false} />
            <TextInput id="tpl-wa-language" label={t('tplWaLanguage')} description={t('tplWaLanguageHint')} value={value.language} onChange={(e) => set({ language: e.currentTarget.value.trim() })} error={errors.waLanguage} required autoComplete="off" spellCheck={false} w={220} />
            <div role="group" aria-labelledby="tpl-wa-params-title" id="tpl-wa-params">
              <Text fw={600} size="sm" id="tpl-wa-params-title">
                {t('tplWaParams')}
              </Text>
              <Text size="sm" c="gray.7" mb={6}>
                {t('tplWaParamsHint')}
              </Text>
              {errors.waParams && (
                <Text size="sm" c="red.8" mb={6}>
                  {errors.waParams}
                </Text>
              )}
              <ol className="tpl-rows">
                {value.params.map((p, i) => (
                  <li key={i}>
                    <Group gap="xs" wrap="nowrap" align="flex-end">
                      <Select
                        label={t('tplWaParamN', { n: i + 1 })}
                        data={variableOptions}
                        value={p}
                        onChange={(v) => v && set({ params: value.params.map((x, j) => (j === i ? v : x)) })}
                        allowDeselect={false}
                        style={{ flex: 1 }}
                      />
                      <ActionIcon variant="default" size="lg" aria-label={t('moveUpParam', { n: i + 1 })} disabled={i === 0} onClick={() => set({ params: moved(value.params, i, -1) })}>
                        ↑
                      </ActionIcon>
                      <ActionIcon variant="default" size="lg" aria-label={t('moveDownParam', { n: i + 1 })} disabled={i === value.params.length - 1} onClick={() => set({ params: moved(value.params, i, 1) })}>
                        ↓
                      </ActionIcon>
                      <ActionIcon variant="default" size="lg" aria-label={t('removeParam', { n: i + 1 })} onClick={() => set({ params: value.params.filter((_, j) => j !== i) })}>
                        ×
                      </ActionIcon>
                    </Group>
                  </li>
                ))}
              </ol>
              <Button variant="default" size="compact-md" mt={6} disabled={value.params.length >= 10} onClick={() => set({ params: [...value.params, variables.find((v) => !value.params.includes(v)) ?? variables[0]!] })}>
                {t('tplWaParamAdd')}
              </Button>
            </div>
            <div role="group" aria-labelledby="tpl-wa-quick-title" id="tpl-wa-quick">
              <Text fw={600} size="sm" id="tpl-wa-quick-title">
                {t('tplWaQuick')}
              </Text>
              <Text size="sm" c="gray.7" mb={6}>
                {t(resolved ? 'tplWaQuickHintResolved' : 'tplWaQuickHint')}
              </Text>
              {errors.waQuickReplies && (
                <Text size="sm" c="red.8" mb={6}>
                  {errors.waQuickReplies}
                </Text>
              )}
              {quick.length === 0 && <Text size="sm">{t('tplWaQuickNone')}</Text>}
              <ol className="tpl-rows">
                {quick.map((p, i) => (
                  <li key={i}>
                    <Group gap="xs" wrap="nowrap" align="flex-end">
                      <Select label={t('tplWaButtonN', { n: i + 1 })} data={payloadOptions} value={p} onChange={(v) => v && set({ quickReplies: quick.map((x, j) => (j === i ? v : x)) })} allowDeselect={false} style={{ flex: 1 }} />
                      <ActionIcon variant="default" size="lg" aria-label={t('removeButton', { n: i + 1 })} onClick={() => set({ quickReplies: quick.filter((_, j) => j !== i) })}>
                        ×
                      </ActionIcon>
                    </Group>
                  </li>
                ))}
              </ol>
              <Group gap="xs" mt={6}>
                <Button variant="default" size="compact-md" disabled={quick.length >= 10} onClick={() => set({ quickReplies: [...quick, resolved ? 'rating:5' : 'callback'] })}>
                  {t('tplWaQuickAdd')}
                </Button>
                {resolved && JSON.stringify(quick) !== JSON.stringify(SATISFACTION) && (
                  <Button variant="subtle" size="compact-md" onClick={() => set({ quickReplies: SATISFACTION })}>
                    {t('tplWaQuickSatisfaction')}
                  </Button>
                )}
              </Group>
            </div>
          </>
        )}
      </Stack>
    </fieldset>
  );
}
