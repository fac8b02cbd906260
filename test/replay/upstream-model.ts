/**
 * A staging model for dependency-process tests: an OpenAI-compatible chat endpoint answering
 * "from the started model on port <port>", with GET /health. Prints `pid <pid>` once listening
 * so a test can check the process is gone after the run. `HEALTH=never` keeps /health failing;
 * `EXIT_AFTER=n` makes it exit (code 4) after answering n chat requests (dying mid-run).
 * Run as a process: `PORT=… node test/replay/upstream-model.ts`.
 */
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
let answered = 0;
const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.statusCode = process.env.HEALTH === 'never' ? 503 : 200;
    return void res.end();
  }
  // Past EXIT_AFTER the process is dying: it answers nothing more, whatever the timing.
  if (answered >= Number(process.env.EXIT_AFTER ?? Infinity)) return void req.socket.destroy();
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    const last = ++answered === Number(process.env.EXIT_AFTER);
    res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: `from the started model on port ${port}` } }] }), () => {
      if (last) process.exit(4);
    });
  });
});
server.listen(port, '127.0.0.1', () => console.log(`pid ${process.pid}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
