export { guardSecrets } from './guard';
export { secretWarningMessage } from './warning';
export type { GuardResult, SecretFinding, SecretKind } from './types';
