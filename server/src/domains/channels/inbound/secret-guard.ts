import { guardSecrets, secretWarningMessage, type SecretKind } from '../../knowledge/guard';

export interface GuardedInbound {
  text: string;
  filenames: string[];
  /** Kinds of secrets masked, without duplicates; empty when nothing was found. */
  kinds: SecretKind[];
  /** French message for the client, empty when nothing was masked. */
  warning: string;
}

/**
 * THE single place where inbound channel content meets the secret guard (knowledge domain):
 * the text a client sent and the names of the files they attached are masked before anything
 * is stored, so card numbers, passwords and one-time codes never reach the database.
 */
export function guardInbound(text: string, filenames: string[] = []): GuardedInbound {
  const kinds = new Set<SecretKind>();
  const body = guardSecrets(text);
  body.findings.forEach((f) => kinds.add(f.kind));
  const names = filenames.map((name) => {
    const g = guardSecrets(name);
    g.findings.forEach((f) => kinds.add(f.kind));
    return g.text;
  });
  const list = [...kinds];
  return { text: body.text, filenames: names, kinds: list, warning: list.length ? secretWarningMessage(list) : '' };
}
