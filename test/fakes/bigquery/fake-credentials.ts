import { generateKeyPairSync } from 'node:crypto';

export interface FakeServiceAccount {
  /** Pass as the BigQuery client's (or the warehouse's) `credentials`. */
  credentials: Record<string, string>;
  privateKey: string;
  publicKey: string;
}

/**
 * A service account key made for this test run (never written to disk). Its universe_domain is not
 * googleapis.com, which makes google-auth-library sign a self-signed JWT locally instead of trading
 * the key for a token at oauth2.googleapis.com: the client authenticates for real, fully offline.
 */
export function fakeServiceAccount(projectId: string): FakeServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    privateKey,
    publicKey,
    credentials: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: 'fake-key-1',
      private_key: privateKey,
      client_email: `improvement-loop@${projectId}.iam.gserviceaccount.com`,
      client_id: '100000000000000000001',
      universe_domain: 'fake-bigquery.invalid',
    },
  };
}
