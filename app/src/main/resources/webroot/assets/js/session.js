// Who the page acts for. On a node with tokens on (security.mode=jwt), the person pastes a token
// before anything else shows; it is kept in this tab's sessionStorage only (gone with the tab),
// sent as a bearer token on every API call and as the `token` query parameter on the bridge.

const STORAGE_KEY = 'switchboard.token';

export function token() {
  return window.sessionStorage.getItem(STORAGE_KEY);
}

/** The headers that say who calls: none on a node without tokens. */
export function authorization() {
  const stored = token();
  return stored ? { Authorization: `Bearer ${stored}` } : {};
}

export function forget() {
  window.sessionStorage.removeItem(STORAGE_KEY);
}

/** The token was refused (expired, say): forget it and ask again, from a clean page. */
export function signInAgain() {
  forget();
  window.location.reload();
}

/**
 * Resolves with the session ({principal, roles, secured}) once the node knows the caller: at once on
 * a node without tokens or with a stored token it accepts; else after the person signs in with the
 * form (shown only then).
 */
export async function establish(form, message) {
  for (;;) {
    const answer = await ask();
    if (answer.ok) {
      form.hidden = true;
      return answer.session;
    }
    if (!answer.unauthorized) {
      throw new Error(answer.error);
    }
    if (token()) {
      message.textContent = `The node refused this token: ${answer.error}`;
      forget();
    }
    form.hidden = false;
    form.querySelector('textarea').focus();
    window.sessionStorage.setItem(STORAGE_KEY, await submitted(form));
    message.textContent = '';
  }
}

async function ask() {
  const response = await fetch('/session', { headers: { Accept: 'application/json', ...authorization() }, cache: 'no-store' });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, unauthorized: response.status === 401, session: body, error: body.error || `status ${response.status}` };
}

function submitted(form) {
  return new Promise(resolve => {
    const onSubmit = event => {
      event.preventDefault();
      const pasted = form.querySelector('textarea').value.trim().replace(/^Bearer\s+/i, '');
      if (pasted) {
        form.removeEventListener('submit', onSubmit);
        form.querySelector('textarea').value = '';
        resolve(pasted);
      }
    };
    form.addEventListener('submit', onSubmit);
  });
}
