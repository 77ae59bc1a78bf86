// A vendor-like HTTP server in its own process: Kaleyra's /v1/<sid>/messages (form in, JSON out) and
// Twilio's Messages.json. Prints "LISTENING <port>" once ready.
import http from 'node:http';

const kind = process.argv[2] ?? 'kaleyra';
let counter = 0;

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    counter++;
    if (kind === 'twilio') {
      const sid = `SM${counter.toString(16).padStart(32, '0')}`;
      const body = JSON.stringify({
        sid,
        account_sid: 'ACbench',
        to: form.get('To'),
        from: form.get('From'),
        body: form.get('Body'),
        status: 'queued',
        date_created: new Date().toUTCString(),
        num_segments: '1',
        error_code: null,
        error_message: null,
        uri: `/2010-04-01/Accounts/ACbench/Messages/${sid}.json`,
      });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const id = `bench-${counter}`;
    const body = JSON.stringify({
      id,
      sender: form.get('sender') ?? 'KLRHXA',
      type: 'OTP',
      body: form.get('body'),
      createdDateTime: '2019-11-04 10:42:23+00:00',
      totalCount: 1,
      data: [{ message_id: `${id}:1`, recipient: (form.get('to') ?? '').replace('+', '') }],
      dlrurl: null,
      error: {},
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
