import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../server/clock/clock.ts';
import { AuthorizationServer, type RegisteredApplication } from './authorization.ts';
import { DEFAULT_SELLER, SellerDirectory } from './sellers.ts';

const APPLICATION: RegisteredApplication = {
  applicationId: 'amzn1.sp.solution.00000000-1111-2222-3333-444444444444',
  appName: 'AmazonBridge',
  clientId: 'amzn1.application-oa2-client.aaaabbbbccccddddeeeeffff00001111',
  clientSecret: 'amzn1.oa2-cs.v1.secret-secret-secret',
  redirectUris: ['https://app.example/amazon/oauth/callback'],
  loginUri: 'https://app.example/amazon/oauth/login?source=amazon',
};

function server(application: Partial<RegisteredApplication> = {}) {
  const clock = new AdjustableClock({ frozenAt: new Date('2026-06-01T00:00:00Z') });
  const directory = new SellerDirectory();
  directory.add(DEFAULT_SELLER);
  const authorizationServer = new AuthorizationServer(clock, { ...APPLICATION, ...application }, directory);
  const params = (fields: Record<string, string>) =>
    new URLSearchParams({ client_id: APPLICATION.clientId, client_secret: APPLICATION.clientSecret, ...fields });
  const grant = () => {
    const code = authorizationServer.issueCode(DEFAULT_SELLER.sellerId, APPLICATION.redirectUris[0] as string);
    const answer = authorizationServer.token(
      params({ grant_type: 'authorization_code', code, redirect_uri: APPLICATION.redirectUris[0] as string }),
    );
    if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
    return answer.body;
  };
  return { clock, authorizationServer, params, grant };
}

describe('LWA authorization server', () => {
  it('hands out tokens of realistic length (storage must hold several hundred characters)', () => {
    const { grant } = server();
    const tokens = grant();
    expect(tokens.access_token.length).toBeGreaterThan(350);
    expect(tokens.refresh_token.length).toBeGreaterThan(400);
  });

  it('refuses a repeated parameter', () => {
    const { authorizationServer, params } = server();
    const repeated = params({ grant_type: 'refresh_token', refresh_token: 'Atzr|a' });
    repeated.append('refresh_token', 'Atzr|b');
    expect(authorizationServer.token(repeated)).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'The request has a repeated parameter : refresh_token' },
    });
  });

  it('asks for client credentials before it looks at the grant', () => {
    const { authorizationServer } = server();
    const answer = authorizationServer.token(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }));
    expect(answer.body).toEqual({
      error: 'invalid_request',
      error_description: 'The request is missing a required parameter : client_id',
    });
  });

  it('refuses an unknown refresh token with invalid_grant', () => {
    const { authorizationServer, params } = server();
    const answer = authorizationServer.token(params({ grant_type: 'refresh_token', refresh_token: 'Atzr|IwEBforged' }));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('tells the SP-API gate whose access token it is, and when it is expired or unknown', () => {
    const { authorizationServer, grant, clock } = server();
    const { access_token } = grant();
    expect(authorizationServer.checkAccessToken(access_token)).toEqual({
      kind: 'valid',
      sellerId: DEFAULT_SELLER.sellerId,
      sellerRegion: 'eu',
    });
    clock.advance(3600_000);
    expect(authorizationServer.checkAccessToken(access_token)).toEqual({ kind: 'expired' });
    expect(authorizationServer.checkAccessToken('Atza|IwEBforged')).toEqual({ kind: 'invalid' });
  });

  it('keeps an access token of a replaced refresh token for its hour while the authorization stands', () => {
    const { authorizationServer, grant } = server();
    const first = grant();
    grant();
    expect(authorizationServer.checkAccessToken(first.access_token).kind).toBe('valid');
  });

  it('keeps the Login URI query and marks draft flows with version=beta', () => {
    const { authorizationServer } = server({ draft: true });
    const url = new URL(
      authorizationServer.startSellerCentralAuthorization(DEFAULT_SELLER.sellerId, 'https://cb.example/x'),
    );
    expect(url.searchParams.get('source')).toBe('amazon');
    expect(url.searchParams.get('version')).toBe('beta');
    expect(url.searchParams.get('amazon_callback_uri')).toBe('https://cb.example/x');
  });

  it('refuses to revoke what was never granted and a too short client secret', () => {
    const { authorizationServer } = server();
    expect(() => authorizationServer.revoke(DEFAULT_SELLER.sellerId)).toThrow(/has not authorized AmazonBridge/);
    expect(() => authorizationServer.rotateClientSecret('short')).toThrow(/at least 16 characters/);
  });

  it('resolves redirect URIs like Seller Central: default first, registered only, no fragments', () => {
    const { authorizationServer } = server();
    expect(authorizationServer.resolveRedirectUri(undefined)).toEqual({
      ok: true,
      redirectUri: APPLICATION.redirectUris[0],
    });
    expect(authorizationServer.resolveRedirectUri('https://other.example/cb')).toEqual({
      ok: false,
      problem: 'MD5101',
    });
    expect(authorizationServer.resolveRedirectUri(`${APPLICATION.redirectUris[0]}#x`)).toEqual({
      ok: false,
      problem: 'MD5110',
    });
  });
});
