// A real OpenID Connect provider (oidc-provider) for the single sign-on tests.
//
// Started by tests/web/oidc_helpers.py::run_oidc_provider; configured from the environment:
//   OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
//   OIDC_REDIRECT_URIS (comma-separated), OIDC_POST_LOGOUT_REDIRECT_URIS (comma-separated, optional),
//   OIDC_USERS (path to {"<login>": {"sub": "...", "email": "...", "name": "...", "groups": [...]}}).
// Prints exactly one line "READY <issuer>" to stdout once listening; everything else goes to
// stderr (oidc-provider's development NOTICEs are dropped). Exits on SIGTERM/SIGINT.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

// oidc-provider writes its notices with console.info (stdout); stdout is reserved for READY.
const toStderr = (...args) => process.stderr.write(`${args.join(' ')}\n`);
console.log = toStderr;
console.warn = toStderr;
console.error = toStderr;
console.info = (...args) => {
  if (!String(args[0]).startsWith('oidc-provider NOTICE')) toStderr(...args);
};

const { default: Provider } = await import('oidc-provider');

function required(name) {
  const value = process.env[name];
  if (!value) {
    toStderr(`provider.mjs: environment variable ${name} is required`);
    process.exit(2);
  }
  return value;
}

const list = (value) => (value || '').split(',').map((s) => s.trim()).filter(Boolean);

const port = Number(required('OIDC_PORT'));
const clientId = required('OIDC_CLIENT_ID');
const clientSecret = required('OIDC_CLIENT_SECRET');
const redirectUris = list(required('OIDC_REDIRECT_URIS'));
const postLogoutRedirectUris = list(process.env.OIDC_POST_LOGOUT_REDIRECT_URIS);
const users = JSON.parse(readFileSync(required('OIDC_USERS'), 'utf8'));

const issuer = `http://127.0.0.1:${port}`;

// The account id (and so the ID token's `sub`) is the user's "sub", or the login without one.
const accountIdOf = (login) => String(users[login].sub ?? login);
const byAccountId = new Map(Object.keys(users).map((login) => [accountIdOf(login), login]));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutRedirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // client_secret_post is accepted too for a client registered with client_secret_basic
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  cookies: {
    keys: [randomBytes(32).toString('hex')],
    // the relying party also runs on 127.0.0.1 (cookies ignore ports): avoid its cookie names
    names: { session: '_op_session', interaction: '_op_interaction', resume: '_op_interaction_resume' },
  },
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'email', 'groups'],
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 3600,
    Session: 3600,
    Grant: 3600,
  },
  async findAccount(_ctx, id) {
    const login = byAccountId.get(id);
    if (login === undefined) return undefined;
    const user = users[login];
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: user.email,
          email_verified: user.email !== undefined ? true : undefined,
          name: user.name,
          groups: user.groups ?? [],
        };
      },
    };
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><html><head><title>oidc error</title></head><body>`
      + `<pre id="oidc-error">${JSON.stringify(out).replace(/</g, '&lt;')}</pre></body></html>`;
  },
};

const provider = new Provider(issuer, configuration);

// The development login form accepts any login; an unknown one ends the interaction with
// access_denied (the relying party receives ?error=access_denied&state=...). Any password.
const interactionFinished = provider.interactionFinished.bind(provider);
provider.interactionFinished = async (req, res, result, options) => {
  if (result?.login) {
    const login = String(result.login.accountId);
    if (!Object.hasOwn(users, login)) {
      return interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'unknown login',
      }, { mergeWithLastSubmission: false });
    }
    return interactionFinished(req, res, { ...result, login: { accountId: accountIdOf(login) } }, options);
  }
  return interactionFinished(req, res, result, options);
};

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
server.on('error', (err) => {
  toStderr(`provider.mjs: ${err.message}`);
  process.exit(1);
});

const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
  server.closeAllConnections?.();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
