import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes): ~30 ms here, slow enough against guessing.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/** Checked against when the email is unknown, so that case is as slow as a wrong password (no probing by timing). */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('relais-no-such-account');
  return dummy;
}
