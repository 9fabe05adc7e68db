import { createApp } from './server';

const port = Number(process.env.PORT ?? 8080);

createApp({
  service: '${{ values.name }}',
  version: process.env.SERVICE_VERSION ?? '0.1.0',
}).listen(port, () => {
  console.log('${{ values.name }} listening on port', port);
});
