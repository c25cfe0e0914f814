// The login and consent pages of the test provider (for the docs page's client): plain HTML
// forms without any outside resource, so a browser driven by a script can complete them
// offline. `users` maps a login to its password; the login becomes the token's `sub`.
//
//   GET  /interaction/<uid>          the login form, or the consent form once logged in
//   POST /interaction/<uid>/login    login + password -> back to the provider, or the form again
//   POST /interaction/<uid>/consent  grants what the client asked for -> back to the provider
import { timingSafeEqual, createHash } from 'node:crypto';

const page = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:sans-serif;max-width:24em;margin:4em auto}input,button{display:block;margin:.5em 0;padding:.4em;width:100%}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;

const loginForm = (uid, error) => page('Sign in', `
${error ? '<p id="error">Wrong login or password.</p>' : ''}
<form method="post" action="/interaction/${uid}/login">
  <input name="login" placeholder="login" required autofocus>
  <input name="password" type="password" placeholder="password" required>
  <button type="submit" id="sign-in">Sign in</button>
</form>`);

const consentForm = (uid, client, scopes) => page('Authorize', `
<p><b>${client}</b> asks for: <span id="scopes">${scopes.join(' ')}</span></p>
<form method="post" action="/interaction/${uid}/consent">
  <button type="submit" id="allow">Allow</button>
</form>`);

async function form(req) {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 10000) break;
  }
  return new URLSearchParams(raw);
}

// compares digests, so neither the length nor the content of the password leaks by timing
const same = (a, b) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export function interactions(provider, users) {
  return async (ctx, next) => {
    const match = /^\/interaction\/([\w-]+)(\/login|\/consent)?$/.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match;
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { prompt, params, session, grantId } = details;
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    if (ctx.method === 'GET' && !action) {
      const scopes = [...new Set([
        ...(prompt.details.missingOIDCScope ?? []),
        ...Object.values(prompt.details.missingResourceScopes ?? {}).flat(),
      ])];
      ctx.body = prompt.name === 'login' ? loginForm(uid, false) : consentForm(uid, params.client_id, scopes);
      return;
    }
    if (ctx.method !== 'POST') ctx.throw(405);
    const body = await form(ctx.req);
    let result;
    if (action === '/login' && prompt.name === 'login') {
      const login = body.get('login') ?? '';
      const password = body.get('password') ?? '';
      if (!Object.hasOwn(users, login) || !same(users[login], password)) {
        ctx.status = 401;
        ctx.body = loginForm(uid, true);
        return;
      }
      result = { login: { accountId: login } };
    } else if (action === '/consent' && prompt.name === 'consent') {
      const grant = grantId
        ? await provider.Grant.find(grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      const missing = prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      result = { consent: { grantId: await grant.save() } };
    } else {
      ctx.throw(400, `no ${action} at the ${prompt.name} prompt`);
    }
    const to = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
    ctx.status = 303;
    ctx.redirect(to);
  };
}
