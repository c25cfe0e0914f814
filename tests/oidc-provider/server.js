// A real OpenID provider (npm `oidc-provider`) for dmr's OIDC tests.
//
//   node server.js <config.json>
//
// The config (written by tests/tests/oidc_support) gives the port, the signing keys by kid
// and kind (and the kids to `regenerate`), and a key file where generated private keys are kept across restarts (so a
// restart with another list of kids is a key rotation). Access tokens are JWTs, issued to
// the client `svc` (secret `svc-secret`) by the client-credentials grant with a resource
// indicator `https://api.test/<ALG>`: audience `api`, signed with <ALG>.
//
// With `docs: {redirectUri, origin}` in the config there is also the docs page's client `docs`:
// public (no secret), authorization code with PKCE (S256) required, that one redirect URI, CORS
// for that one origin; users (`docs.users`: login -> password) log in and consent on the plain
// forms of interaction.js, and the login is the token's `sub`. Its tokens are the same JWTs (the
// resource indicator is sent with the authorization request).
//
// Test controls (not part of OpenID): `GET /__admin/stats` counts discovery and JWKS
// requests; `GET /__admin/mode?m=normal|slow|huge` makes the JWKS answer slowly or with a
// body of several MB; `GET /__admin/cache?v=<Cache-Control>` sets the JWKS caching header.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import Provider from 'oidc-provider';
import { interactions } from './interaction.js';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const stored = existsSync(config.keyFile) ? JSON.parse(readFileSync(config.keyFile, 'utf8')) : {};

function generate(kind) {
  const [type, options] = {
    rsa: ['rsa', { modulusLength: 2048 }],
    p256: ['ec', { namedCurve: 'P-256' }],
    p384: ['ec', { namedCurve: 'P-384' }],
    ed25519: ['ed25519', {}],
  }[kind];
  return generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' });
}

const keys = config.keys.map(({ kid, kind, alg }) => {
  // `regenerate`: new material under an old kid (a provider that reuses kids)
  if (config.regenerate?.includes(kid)) stored[kid] = generate(kind);
  stored[kid] ??= generate(kind);
  const jwk = { ...stored[kid], kid, use: 'sig' };
  if (alg) jwk.alg = alg;
  return jwk;
});
writeFileSync(config.keyFile, JSON.stringify(stored));

const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
const issuer = `http://127.0.0.1:${config.port}`;
const clients = [{
  client_id: 'svc',
  client_secret: 'svc-secret',
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  token_endpoint_auth_method: 'client_secret_post',
}];
const { docs } = config;
if (docs) {
  clients.push({
    client_id: 'docs',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [docs.redirectUri],
    token_endpoint_auth_method: 'none',
  });
}
const provider = new Provider(issuer, {
  clients,
  // the browser redeems the docs page's code from the page's origin
  clientBasedCORS: (ctx, origin, client) => Boolean(docs) && client.clientId === 'docs' && origin === docs.origin,
  pkce: { methods: ['S256'], required: () => true },
  // no implicit flow: discovery then offers the docs page only the code flow
  responseTypes: ['code'],
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  jwks: { keys },
  scopes: ['openid', 'read', 'write'],
  enabledJWA: { idTokenSigningAlgValues: ALGS },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo(ctx, resource) {
        const alg = resource.split('/').pop();
        if (!ALGS.includes(alg)) throw new Error(`no such resource ${resource}`);
        return {
          scope: 'read write',
          audience: 'api',
          accessTokenTTL: config.ttl ?? 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg } },
        };
      },
    },
  },
});

let mode = 'normal';
let cacheControl = config.cacheControl;
const stats = { discovery: 0, jwks: 0 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

provider.use(async (ctx, next) => {
  if (ctx.path === '/__admin/stats') {
    ctx.body = stats;
    return;
  }
  if (ctx.path === '/__admin/mode') {
    mode = ctx.query.m;
    ctx.body = { mode };
    return;
  }
  if (ctx.path === '/__admin/cache') {
    cacheControl = ctx.query.v;
    ctx.body = { cacheControl };
    return;
  }
  if (ctx.path === '/.well-known/openid-configuration') stats.discovery += 1;
  if (ctx.path === '/jwks') {
    stats.jwks += 1;
    if (mode === 'slow') await sleep(config.slowMs ?? 10000);
    if (mode === 'huge') {
      ctx.type = 'application/json';
      ctx.body = `{"keys":[${' '.repeat(8 * 1024 * 1024)}]}`;
      return;
    }
  }
  await next();
  if (ctx.path === '/jwks' && cacheControl) ctx.set('Cache-Control', cacheControl);
});

if (docs) provider.use(interactions(provider, docs.users ?? {}));

provider.listen(config.port, '127.0.0.1', () => console.log(`listening ${issuer}`));
process.on('SIGTERM', () => process.exit(0));
