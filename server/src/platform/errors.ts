/**
 * Errors with a stable code: the web app and API clients branch on `code`,
 * never on the (French) message.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) => new AppError(422, code, message, details);
export const forbidden = (message = 'Votre rôle ne permet pas cette action.') => new AppError(403, 'FORBIDDEN', message);
export const unauthorized = (message = 'Authentification requise.') => new AppError(401, 'UNAUTHENTICATED', message);
