import { runDemo } from './demo.js';

// npm run example — against a gateway you run (npm start), with a merchant key you issued.
const apiKey = process.env.GATEWAY_API_KEY;
if (!apiKey) {
  console.error('Set GATEWAY_API_KEY to a merchant key (sk_test_… is best: see examples/merchant/README.md)');
  process.exit(2);
}
const result = await runDemo({
  gatewayUrl: process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000',
  apiKey,
  port: Number(process.env.MERCHANT_PORT ?? 0),
});
const ok = result.retryReplayed && result.events.includes('refund.succeeded') && result.forgedWebhookStatus === 400;
console.log(ok ? 'All good.' : 'Something did not go as expected (see above).');
process.exit(ok ? 0 : 1);
