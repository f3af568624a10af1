// The independent side of the crypto interop tests: npm http_ece, web-push and
// jose, driven by tst_crypto_interop. Usage: node crypto-peer.mjs <command> < request.json
// Every binary value in and out is base64url; the answer is one JSON object on stdout.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import * as jose from 'jose';

const require = createRequire(import.meta.url);
const ece = require('http_ece');
const webpush = require('web-push');

const b64 = (buf) => Buffer.from(buf).toString('base64url');
const unb64 = (text) => Buffer.from(text, 'base64url');

// A raw 65-byte P-256 point as the JWK jose imports.
function jwkFromPoint(point, d) {
  const raw = unb64(point);
  const jwk = { kty: 'EC', crv: 'P-256', x: b64(raw.subarray(1, 33)), y: b64(raw.subarray(33, 65)) };
  if (d) jwk.d = d;
  return jwk;
}

const commands = {
  // (a) http_ece decrypts what our encryptWebPush made.
  eceDecrypt(req) {
    const receiver = crypto.createECDH('prime256v1');
    receiver.setPrivateKey(unb64(req.privateKey));
    const plaintext = ece.decrypt(unb64(req.body), {
      version: 'aes128gcm',
      privateKey: receiver,
      authSecret: req.auth,
    });
    return { plaintext: b64(plaintext) };
  },

  // (b)+(c) web-push builds a complete push request: aes128gcm body and VAPID header.
  webPushRequest(req) {
    const vapid = req.vapidPublicKey
      ? { publicKey: req.vapidPublicKey, privateKey: req.vapidPrivateKey }
      : webpush.generateVAPIDKeys();
    const details = webpush.generateRequestDetails(
      { endpoint: req.endpoint, keys: { p256dh: req.p256dh, auth: req.auth } },
      unb64(req.payload),
      {
        contentEncoding: 'aes128gcm',
        TTL: 60,
        vapidDetails: { subject: req.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
      });
    return {
      body: b64(details.body),
      authorization: details.headers.Authorization,
      contentEncoding: details.headers['Content-Encoding'],
      vapidPublicKey: vapid.publicKey,
    };
  },

  // web-push's lower-level encrypt, as a second path into our decryptWebPush.
  webPushEncrypt(req) {
    const result = webpush.encrypt(req.p256dh, req.auth, unb64(req.payload), 'aes128gcm');
    return { body: b64(result.cipherText) };
  },

  // (c)+(d) jose verifies an ES256 token against our public key (JWK or SPKI PEM).
  async joseVerify(req) {
    const key = req.spki
      ? await jose.importSPKI(req.spki, 'ES256')
      : await jose.importJWK(jwkFromPoint(req.publicKey), 'ES256');
    const options = { algorithms: ['ES256'] };
    if (req.audience) options.audience = req.audience;
    if (req.issuer) options.issuer = req.issuer;
    try {
      const { payload, protectedHeader } = await jose.jwtVerify(req.token, key, options);
      return { ok: true, payload, header: protectedHeader };
    } catch (e) {
      return { ok: false, error: String(e.code || e.message) };
    }
  },

  // (d) jose signs an ES256 token with a fresh key and hands us the public point.
  async joseSign(req) {
    const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
    const jwk = await jose.exportJWK(publicKey);
    let jwt = new jose.SignJWT(req.claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT' });
    if (req.expiresInSeconds !== undefined)
      jwt = jwt.setExpirationTime(Math.floor(Date.now() / 1000) + req.expiresInSeconds);
    const token = await jwt.sign(privateKey);
    const point = Buffer.concat([Buffer.from([4]), unb64(jwk.x), unb64(jwk.y)]);
    return { token, publicKey: b64(point) };
  },
};

async function main() {
  const command = commands[process.argv[2]];
  if (!command) throw new Error(`unknown command ${process.argv[2]}`);
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  process.stdout.write(JSON.stringify(await command(request)));
}

main().catch((e) => {
  process.stderr.write(`crypto-peer: ${e.stack || e}\n`);
  process.exit(1);
});
