export type SecretKind = 'card_number' | 'card_expiry' | 'cvv' | 'card_pin' | 'iban' | 'password' | 'otp_code';

export interface SecretFinding {
  kind: SecretKind;
  /** Position of the secret in the text given to `guardSecrets` (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
  /** Position of its mask in the returned text, for highlighting what was hidden. */
  maskedStart: number;
  maskedEnd: number;
  /** French, for the agent: "Numéro de carte bancaire masqué (vérifié par l'algorithme de Luhn)". */
  reason: string;
}

export interface GuardResult {
  /** The text with every secret replaced by its mask; safe to store. */
  text: string;
  findings: SecretFinding[];
}

/** What a detector found, before overlaps are resolved and masks applied. */
export interface Detection {
  kind: SecretKind;
  start: number;
  end: number;
  reason: string;
  mask: string;
}
