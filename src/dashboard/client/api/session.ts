import { ApiRequestError, apiGet, apiSend, setCsrfToken } from './http.js';
import type { Session } from './types.js';

/** The signed-in session, or null when signed out (the API answers 401). */
export async function readSession(): Promise<Session | null> {
  try {
    const session = await apiGet<Session>('session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) return null;
    throw error;
  }
}

/** Exchanges a token for the session cookie; a wrong token throws the API's 401 message. */
export async function signIn(token: string): Promise<Session> {
  const session = await apiSend<Session>('POST', 'session', { token: token.trim() });
  if (session === null) throw new ApiRequestError(500, 'the sign-in answer was empty');
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  await apiSend('DELETE', 'session');
  setCsrfToken(null);
}
