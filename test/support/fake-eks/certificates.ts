import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A CA and a server certificate it signed, all PEM. */
export interface GeneratedCertificates {
  readonly caPem: string;
  readonly serverKeyPem: string;
  readonly serverCertPem: string;
}

// EC P-256 keys generate in milliseconds, where RSA would slow every test file down.
const EC_KEY = ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];

// The client verifies the server by IP (it connects to 127.0.0.1) or by name.
const SERVER_EXTENSIONS = [
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature',
  'extendedKeyUsage = serverAuth',
  'subjectAltName = IP:127.0.0.1, DNS:localhost',
].join('\n');

/**
 * Makes a fresh CA and a server certificate for 127.0.0.1 and localhost signed by it,
 * with the openssl CLI. Each call makes an unrelated CA, so calling it twice gives a
 * CA that must not be trusted for the other's server.
 */
export async function generateCertificates(): Promise<GeneratedCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-eks-certs-'));
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir });
  try {
    await openssl([...EC_KEY, '-out', 'ca.key']);
    await openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      '/CN=fake-eks-ca',
      '-days',
      '2',
      '-addext',
      'basicConstraints = critical, CA:TRUE',
      '-addext',
      'keyUsage = critical, keyCertSign, cRLSign',
      '-out',
      'ca.pem',
    ]);
    await openssl([...EC_KEY, '-out', 'server.key']);
    await openssl(['req', '-new', '-key', 'server.key', '-subj', '/CN=kube-apiserver', '-out', 'server.csr']);
    await writeFile(join(dir, 'server.ext'), SERVER_EXTENSIONS);
    await openssl([
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      // A random serial avoids openssl's serial file; 16 bytes stay under RFC 5280's 20.
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-days',
      '2',
      '-extfile',
      'server.ext',
      '-out',
      'server.pem',
    ]);
    const read = (file: string) => readFile(join(dir, file), 'utf8');
    const [caPem, serverKeyPem, serverCertPem] = await Promise.all([
      read('ca.pem'),
      read('server.key'),
      read('server.pem'),
    ]);
    return { caPem, serverKeyPem, serverCertPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
